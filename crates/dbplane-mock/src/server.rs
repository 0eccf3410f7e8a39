//! The HTTP side of the mock: hyper on 127.0.0.1, with a request-size limit and timeouts so
//! that no client, however broken, can make it panic, hang or grow.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;

use crate::{MockRequest, SpecMock, MAX_REQUEST_BYTES};

/// Time allowed for a request's head, and for its body.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A running mock; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// `http://127.0.0.1:port`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(crate) async fn serve(
    mock: SpecMock,
    listener: std::net::TcpListener,
) -> std::io::Result<MockServer> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let address = listener.local_addr()?;
    let mock = Arc::new(mock);
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let mock = mock.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let mock = mock.clone();
                    async move { Ok::<_, Infallible>(handle(&mock, request).await) }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(READ_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(MockServer { address, task })
}

async fn handle(mock: &SpecMock, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str();
    let path = parts.uri.path();
    let body = match tokio::time::timeout(
        READ_TIMEOUT,
        Limited::new(body, MAX_REQUEST_BYTES).collect(),
    )
    .await
    {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) => {
            let (status, reason) = if error
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                (
                    413,
                    format!("the body is larger than {MAX_REQUEST_BYTES} bytes"),
                )
            } else {
                (400, format!("the body could not be read: {error}"))
            };
            return plain(mock, method, path, status, "MOCK.BODY", reason);
        }
        Err(_) => {
            return plain(
                mock,
                method,
                path,
                408,
                "MOCK.TIMEOUT",
                "the body did not arrive in time".into(),
            )
        }
    };
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
        .collect();
    let answer = mock.answer(&MockRequest {
        method,
        path,
        query: parts.uri.query(),
        headers: &headers,
        body: &body,
    });
    if mock.log {
        let reason = answer
            .refusal
            .as_deref()
            .map(|r| format!(" {r}"))
            .unwrap_or_default();
        log_line(format_args!("{method} {path} -> {}{reason}", answer.status));
    }
    let mut response = Response::builder()
        .status(answer.status)
        .header("content-type", "application/json")
        .header("x-request-id", "dbplane-mock");
    for (name, value) in &answer.headers {
        response = response.header(name, value);
    }
    response
        .body(Full::new(Bytes::from(answer.body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// A refusal made before the request could be judged against a spec (Huawei's envelope).
fn plain(
    mock: &SpecMock,
    method: &str,
    path: &str,
    status: u16,
    code: &str,
    message: String,
) -> Response<Full<Bytes>> {
    if mock.log {
        log_line(format_args!(
            "{method} {path} -> {status} {code}: {message}"
        ));
    }
    let body = json!({"error_code": code, "error_msg": message}).to_string();
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("connection", "close")
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Writes one line of the request log to stdout. Logging never fails a request: a closed or
/// full stdout (`dbplane mock | head -1`) loses the line, not the answer. What a client sent
/// is shown with control characters escaped, so a request cannot forge log lines.
fn log_line(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut text = String::new();
    for c in line.to_string().chars() {
        if c.is_control() {
            text.extend(c.escape_default());
        } else {
            text.push(c);
        }
    }
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}
