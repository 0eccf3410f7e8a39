//! Tracing: one span per call with its operation, attempt, status and request id, and no
//! secret in anything logged. Alone in its binary: a tracing subscriber is process-wide.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use contract_tests::calls::*;
use contract_tests::*;
use dbplane_core::{RetryPolicy, Runtime};
use dbplane_huaweicloud::{dbss, Credentials, ServiceClient};
use serde_json::json;
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn each_call_is_traced_without_secrets() {
    use std::io::Write;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // The only test of this binary, so the subscriber sees every call site.
    tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let success = ResponseTemplate::new(200)
        .insert_header("x-request-id", REQUEST_ID)
        .set_body_json(json!({"result": "success"}));
    Mock::given(any())
        .respond_with(success)
        .mount(&server)
        .await;
    let credentials = Credentials::aksk(AK, SK).with_security_token("temporary-token");
    let retry = RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        jitter: false,
        ..RetryPolicy::default()
    };
    let runtime = Runtime::builder(credentials).retry(retry).build().unwrap();
    let client = dbss::Client::with_runtime(&server.uri(), runtime).unwrap();
    stop_db_om_instance(&client).await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("dbplane.call"), "{log}");
    assert!(
        log.contains("operation=\"stop_db_om_instance\"")
            || log.contains("operation=stop_db_om_instance"),
        "{log}"
    );
    assert!(log.contains("retrying"), "{log}");
    assert!(
        log.contains(&format!("request_id=\"{REQUEST_ID}\""))
            || log.contains(&format!("request_id={REQUEST_ID}")),
        "{log}"
    );
    assert!(log.contains("status=200"), "{log}");
    for secret in [SK, "temporary-token"] {
        assert!(!log.contains(secret), "{secret} was logged: {log}");
    }
}
