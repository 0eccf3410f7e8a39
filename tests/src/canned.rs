//! A canned HTTP/1.1 server for the benchmarks: every request is answered at once with what a
//! function of its head gives, nothing read or checked. The floor the mock is measured
//! against, and the server the client benchmark calls.

use std::convert::Infallible;

use http_body_util::Full;
use hyper::body::Bytes;

/// An answer: status and JSON body.
pub type Canned = (u16, Bytes);

/// Serves `listener` until the task is dropped, answering each request with `answer(head)`.
pub async fn serve<F>(listener: tokio::net::TcpListener, answer: F)
where
    F: Fn(&hyper::http::request::Parts) -> Canned + Clone + Send + Sync + 'static,
{
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let answer = answer.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
                let (head, _) = request.into_parts();
                let (status, body) = answer(&head);
                async move {
                    Ok::<_, Infallible>(
                        hyper::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .header("x-request-id", "canned")
                            .body(Full::new(body))
                            .unwrap_or_default(),
                    )
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
