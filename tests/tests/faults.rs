//! Fault injection through the generated clients: a scripted loopback server
//! (`contract_tests::fault_server`) answers with gateway errors, resets, stalls, drips,
//! endless and truncated bodies, redirects and failures dressed as successes. Each test
//! names the property it holds (issue: safe under faults and hostile input).

use std::time::{Duration, Instant};

use contract_tests::calls::*;
use contract_tests::fault_server::{closed_port, Body, FaultServer, Reply};
use contract_tests::*;
use dbplane_core::{
    CallExt, Credentials, Dialect, Error, Operation, RetryPolicy, Runtime, ServiceClient,
    TransportKind,
};
use dbplane_huaweicloud::{dbss, dws};
use dbplane_oceanbase::ocp;
use dbplane_otc::rds;
use serde_json::json;

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        jitter: false,
        ..RetryPolicy::default()
    }
}

fn runtime() -> dbplane_core::RuntimeBuilder {
    Runtime::builder(Credentials::token(TOKEN)).retry(fast_retries())
}

fn rds_at(uri: &str, runtime: dbplane_core::RuntimeBuilder) -> rds::Client {
    rds::Client::with_runtime(uri, runtime.build().unwrap()).unwrap()
}

fn html(status: u16) -> Reply {
    Reply::raw(status, "text/html", HTML_502)
}

// 1. No double action.

#[tokio::test]
async fn a_stop_is_sent_once_when_the_gateway_loses_the_answer() {
    let already =
        json!({"error_code": "DBS.200019", "error_msg": "The instance is already stopped."});
    let server = FaultServer::start(vec![html(504), Reply::json(409, &already)]).await;
    let error = stop_instance(&rds_at(&server.uri(), runtime()))
        .await
        .expect_err("the gateway timed out");
    assert_eq!(server.requests().len(), 1, "the stop is sent once");
    assert_eq!(error.status(), Some(504));
    assert!(error.may_have_been_applied(), "{error}");
    let shown = error.to_string();
    assert!(shown.contains("may have been applied"), "{shown}");
    assert!(shown.contains("check the resource's state"), "{shown}");
}

#[tokio::test]
async fn an_always_failing_gateway_gets_one_stop_per_call() {
    for status in [500, 502, 503, 504] {
        let server = FaultServer::start(vec![html(status)]).await;
        let client = dws::Client::with_runtime(&server.uri(), runtime().build().unwrap()).unwrap();
        let error = pause_disaster_recovery(&client).await.expect_err("fails");
        assert_eq!(server.requests().len(), 1, "HTTP {status}: {error}");
    }
}

#[tokio::test]
async fn a_reset_after_sending_may_have_applied_the_stop_and_is_not_repeated() {
    let server = FaultServer::start(vec![Reply::Reset]).await;
    let client = dbss::Client::with_runtime(&server.uri(), runtime().build().unwrap()).unwrap();
    let error = stop_db_om_instance(&client).await.expect_err("reset");
    assert_eq!(server.requests().len(), 1);
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.may_have_been_applied(), "{error}");
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_stop_and_named() {
    let uri = format!("http://127.0.0.1:{}", closed_port());
    let error = stop_instance(&rds_at(&uri, runtime()))
        .await
        .expect_err("nothing listens");
    let transport = error.transport().expect("a transport error");
    assert_eq!(transport.kind, TransportKind::ConnectionRefused, "{error}");
    assert_eq!(
        transport.attempts, 3,
        "nothing was sent, so retrying is safe"
    );
    assert!(!error.may_have_been_applied());
    assert!(error.to_string().contains("connection refused"), "{error}");
}

#[tokio::test]
async fn a_repeatable_operation_is_retried_on_gateway_errors() {
    let server = FaultServer::start(vec![html(503), html(502), Reply::json(200, &json!({}))]).await;
    let runtime = runtime().build().unwrap();
    let http = runtime.http_client("faults").unwrap();
    for operation in [
        Operation {
            id: "list",
            method: "GET",
            path: "",
            idempotent: false,
            bounds: &[],
        },
        Operation {
            id: "marked",
            method: "POST",
            path: "",
            idempotent: true,
            bounds: &[],
        },
    ] {
        let method = reqwest::Method::from_bytes(operation.method.as_bytes()).unwrap();
        let request = reqwest::Request::new(method, server.uri().parse().unwrap());
        let response = runtime
            .execute(&http, request, &operation, Dialect::Huawei)
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", operation.id);
    }
    assert_eq!(server.requests().len(), 3 + 1, "503, 502, 200, then 200");
}

// 2. Ids cannot change which resource is acted on.

const ESCAPES: [&str; 8] = [
    ".",
    "..",
    "a/b",
    "a\\b",
    "..\\..\\ffffffffffffffffffffffffffffffff\\instances\\victim",
    "../../victim",
    "x/../../y",
    "\\",
];

#[tokio::test]
async fn path_parameters_that_would_reshape_the_path_are_refused_before_sending() {
    let server = FaultServer::start(vec![Reply::json(200, &json!({"job_id": "j"}))]).await;
    let rds = rds::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let dbss = dbss::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let dws = dws::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let (rds_op, dbss_op, dws_op) = (rds_op(), dbss_op(), dws_op());
    for id in ESCAPES {
        let errors = [
            (
                "instance_id",
                rds.stop_instance()
                    .project_id(rds_op.str_param("project_id").as_str())
                    .instance_id(id)
                    .send()
                    .outcome()
                    .await
                    .err(),
            ),
            (
                "project_id",
                rds.stop_instance()
                    .project_id(id)
                    .instance_id("i")
                    .send()
                    .outcome()
                    .await
                    .err(),
            ),
            (
                "instance_id",
                dbss.stop_db_om_instance()
                    .project_id(dbss_op.str_param("project_id").as_str())
                    .instance_id(id)
                    .send()
                    .outcome()
                    .await
                    .err(),
            ),
            (
                "disaster_recovery_id",
                dws.pause_disaster_recovery()
                    .project_id(dws_op.str_param("project_id").as_str())
                    .disaster_recovery_id(id)
                    .send()
                    .outcome()
                    .await
                    .err(),
            ),
        ];
        for (parameter, error) in errors {
            let error = error.unwrap_or_else(|| panic!("`{id}` as {parameter} was accepted"));
            match &error {
                Error::InvalidInput {
                    parameter: named, ..
                } => assert_eq!(named, parameter, "{error}"),
                other => panic!("`{id}` as {parameter}: {other:?}"),
            }
        }
    }
    assert!(
        server.requests().is_empty(),
        "nothing was sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn other_characters_stay_inside_their_segment_on_the_wire() {
    let server = FaultServer::start(vec![Reply::json(200, &json!({"job_id": "j"}))]).await;
    let client = rds::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let project = rds_op().str_param("project_id");
    for id in [
        "...",
        ".a",
        "a.",
        "%2e%2e",
        "%2F",
        "?x=1",
        "#f",
        "a b",
        "名",
        "😀",
        "~!$&'()*+,;=:@",
    ] {
        client
            .stop_instance()
            .project_id(project.as_str())
            .instance_id(id)
            .send()
            .outcome()
            .await
            .unwrap_or_else(|e| panic!("`{id}`: {e}"));
    }
    for seen in server.requests() {
        let segments: Vec<&str> = seen.target.split('/').collect();
        assert_eq!(segments.len(), 7, "{}", seen.target);
        assert_eq!(
            (
                segments[1],
                segments[2],
                segments[3],
                segments[5],
                segments[6]
            ),
            ("v3", project.as_str(), "instances", "action", "shutdown"),
            "{}",
            seen.target
        );
        assert!(
            !segments[4].to_ascii_lowercase().contains("%2f"),
            "{}",
            seen.target
        );
    }
}

// 3. Bounded memory.

#[tokio::test]
async fn an_endless_answer_stops_at_the_body_limit_with_a_clear_error() {
    let endless = Body::Endless {
        chunk: vec![b'x'; 64 * 1024],
        max_bytes: 1 << 32,
    };
    let server = FaultServer::start(vec![Reply::streamed(200, endless)]).await;
    let started = Instant::now();
    let error = stop_instance(&rds_at(&server.uri(), runtime().max_body_bytes(1 << 20)))
        .await
        .expect_err("too large");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let transport = error.transport().expect("transport error");
    assert_eq!(
        transport.kind,
        TransportKind::BodyTooLarge { limit: 1 << 20 }
    );
    assert!(
        error
            .to_string()
            .contains("larger than the 1048576-byte limit"),
        "{error}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a stop whose answer is too large is not repeated"
    );
}

#[tokio::test]
async fn a_large_error_body_keeps_a_bounded_prefix_and_its_length() {
    let body = vec![b'e'; 3 * 1024 * 1024];
    let server = FaultServer::start(vec![Reply::raw(500, "text/plain", body.clone())]).await;
    let error = stop_instance(&rds_at(&server.uri(), runtime()))
        .await
        .expect_err("500");
    let api = error.api().expect("vendor error");
    assert_eq!(api.body_len, body.len());
    assert!(api.body.len() <= dbplane_core::error::BODY_PREFIX_BYTES);
    assert!(error.to_string().len() < 1024, "Display stays short");
    assert!(format!("{error:?}").len() < 16 * 1024, "Debug stays short");
}

#[tokio::test]
async fn an_undecodable_large_success_keeps_a_bounded_prefix() {
    let garbage = vec![b'<'; 2 * 1024 * 1024];
    let server = FaultServer::start(vec![Reply::raw(200, "application/json", garbage)]).await;
    let error = stop_instance(&rds_at(&server.uri(), runtime()))
        .await
        .expect_err("garbage");
    match &error {
        Error::InvalidResponse { body, body_len, .. } => {
            assert_eq!(*body_len, 2 * 1024 * 1024);
            assert!(body.len() <= dbplane_core::error::BODY_PREFIX_BYTES);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error.to_string().len() < 1024,
        "{}",
        error.to_string().len()
    );
}

// 4. Bounded time.

#[tokio::test]
async fn retry_after_cannot_push_a_call_past_its_deadline() {
    let throttled = Reply::json(
        429,
        &json!({"error_code": "APIGW.0308", "error_msg": "throttled"}),
    )
    .with_header("retry-after", "10");
    let server = FaultServer::start(vec![throttled]).await;
    let builder = runtime()
        .timeout(Duration::from_secs(2))
        .operation_timeout(Duration::from_secs(3));
    let started = Instant::now();
    let error = stop_instance(&rds_at(&server.uri(), builder))
        .await
        .expect_err("throttled");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.status(), Some(429));
    assert_eq!(
        server.requests().len(),
        1,
        "a 10 s wait does not fit a 3 s deadline"
    );
}

#[tokio::test]
async fn a_dripping_answer_ends_at_the_deadline_and_says_so() {
    let drip = Body::Drip {
        every: Duration::from_millis(100),
        count: 600,
    };
    let server = FaultServer::start(vec![Reply::streamed(200, drip)]).await;
    let builder = runtime()
        .timeout(Duration::from_secs(60))
        .operation_timeout(Duration::from_secs(2));
    let started = Instant::now();
    let error = stop_instance(&rds_at(&server.uri(), builder))
        .await
        .expect_err("too slow");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let transport = error.transport().expect("transport error");
    assert!(
        matches!(transport.kind, TransportKind::Deadline { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("deadline passed"), "{error}");
    assert!(
        error.may_have_been_applied(),
        "the stop reached the service: {error}"
    );
}

#[tokio::test]
async fn a_stalled_server_times_out_and_the_error_says_timeout() {
    let server = FaultServer::start(vec![Reply::Stall]).await;
    let builder = runtime().timeout(Duration::from_millis(500));
    let error = stop_instance(&rds_at(&server.uri(), builder))
        .await
        .expect_err("stalled");
    assert_eq!(
        error.transport().map(|t| t.kind.clone()),
        Some(TransportKind::Timeout),
        "{error}"
    );
    assert!(error.to_string().contains("timed out"), "{error}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn settings_out_of_bounds_are_refused_when_the_runtime_is_built() {
    for (builder, setting) in [
        (runtime().clock_offset_secs(i64::MAX), "clock_offset_secs"),
        (
            runtime().clock_offset_secs(-100 * 365 * 24 * 3600),
            "clock_offset_secs",
        ),
        (
            runtime().retry(RetryPolicy {
                max_attempts: 1000,
                ..RetryPolicy::default()
            }),
            "retry.max_attempts",
        ),
        (
            runtime().retry(RetryPolicy {
                max_attempts: 0,
                ..RetryPolicy::default()
            }),
            "retry.max_attempts",
        ),
        (runtime().timeout(Duration::ZERO), "timeout"),
        (
            runtime().operation_timeout(Duration::ZERO),
            "operation_timeout",
        ),
        (runtime().max_body_bytes(0), "max_body_bytes"),
    ] {
        let error = builder.build().expect_err(setting);
        assert!(error.to_string().contains(setting), "{error}");
    }
    let ocp = Runtime::builder(Credentials::ocp_access_key("id", "secret"))
        .clock_offset_secs(i64::MIN)
        .build();
    assert!(ocp.is_err());
}

// 7. Errors say what happened.

#[tokio::test]
async fn a_redirect_is_not_followed_and_says_where_it_pointed() {
    let redirect = Reply::raw(302, "text/html", "moved")
        .with_header("location", "https://elsewhere.example/v3/x");
    let server = FaultServer::start(vec![redirect]).await;
    let error = stop_instance(&rds_at(&server.uri(), runtime()))
        .await
        .expect_err("302");
    assert_eq!(error.status(), Some(302));
    let shown = error.to_string();
    assert!(
        shown.contains("redirect to https://elsewhere.example/v3/x not followed"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_truncated_answer_is_a_transport_error_not_a_panic() {
    let truncated = Body::Truncated {
        declared: 100,
        sent: b"{\"job_id\":".to_vec(),
    };
    let server = FaultServer::start(vec![Reply::streamed(200, truncated)]).await;
    let error = stop_instance(&rds_at(&server.uri(), runtime()))
        .await
        .expect_err("truncated");
    assert_eq!(
        error.transport().map(|t| t.kind.clone()),
        Some(TransportKind::Body),
        "{error}"
    );
}

#[tokio::test]
async fn vendor_text_cannot_clear_the_screen_or_fake_a_line() {
    let hostile =
        json!({"error_code": "DBS.1\u{1b}[2J", "error_msg": "no\r\nfake: success\u{1b}[0m\u{7}"});
    let server = FaultServer::start(vec![
        Reply::json(400, &hostile).with_header("x-request-id", "r1")
    ])
    .await;
    let error = stop_instance(&rds_at(&server.uri(), runtime()))
        .await
        .expect_err("400");
    let shown = error.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert_eq!(
        error.api().and_then(|a| a.code.as_deref()),
        Some("DBS.1\u{1b}[2J"),
        "kept raw"
    );
}

#[tokio::test]
async fn an_ocp_failure_inside_a_200_keeps_code_message_trace_and_raw_body() {
    let body = json!({"successful": false, "error": {"code": 60018, "message": "Tenant not found"}, "traceId": "9f2c", "status": 404});
    let server = FaultServer::start(vec![
        Reply::json(200, &body).with_header("x-request-id", "req-7")
    ])
    .await;
    let client =
        ocp::Client::with_endpoint(&server.uri(), Credentials::basic("admin", "pw")).unwrap();
    let error = stop_backup_schedule(&client)
        .await
        .expect_err("failure inside a 200");
    let api = error.api().expect("vendor error");
    assert_eq!(
        (api.code.as_deref(), api.message.as_deref()),
        (Some("60018"), Some("Tenant not found"))
    );
    assert_eq!(
        (api.trace_id.as_deref(), api.request_id.as_deref()),
        (Some("9f2c"), Some("req-7"))
    );
    assert_eq!(
        api.body,
        body.to_string(),
        "the raw reply, not a re-serialisation"
    );
}

// 8. No silent success, even through `.send()` alone.

#[tokio::test]
async fn failures_dressed_as_successes_are_errors_even_without_outcome() {
    let project = dbss_op().str_param("project_id");
    let instance = dbss_op().str_param("instance_id");
    for body in [
        json!({"result": "FAILED"}),
        json!({"result": "fail"}),
        json!({"error_code": "DBSS.9", "error_msg": "x"}),
    ] {
        let server = FaultServer::start(vec![Reply::json(200, &body)]).await;
        let client = dbss::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
        let sent = client
            .stop_db_om_instance()
            .project_id(project.as_str())
            .instance_id(instance.as_str())
            .send()
            .await;
        assert!(sent.is_err(), "{body}: `.send()` alone reported success");
        let error = client
            .stop_db_om_instance()
            .project_id(project.as_str())
            .instance_id(instance.as_str())
            .send()
            .outcome()
            .await
            .expect_err("fails");
        assert_eq!(error.status(), Some(200), "{body}");
    }
    let server = FaultServer::start(vec![Reply::json(
        200,
        &json!({"job_id": "j", "error_code": "DBS.280001", "error_msg": "busy"}),
    )])
    .await;
    let error = stop_instance(&rds_at(&server.uri(), runtime()))
        .await
        .expect_err("error_code in a 200");
    assert_eq!(
        error.api().and_then(|a| a.code.as_deref()),
        Some("DBS.280001")
    );
    let server = FaultServer::start(vec![Reply::json(
        200,
        &json!({"status": 500, "error": {"code": 1, "message": "internal"}}),
    )])
    .await;
    let client =
        ocp::Client::with_endpoint(&server.uri(), Credentials::basic("admin", "pw")).unwrap();
    assert!(client
        .stop_backup_schedule()
        .id(1)
        .tenant_id(2)
        .send()
        .await
        .is_err());
}

// 6. No secret in what is printed.

#[tokio::test]
async fn no_secret_in_debug_or_display_of_anything_public() {
    const SECRETS: [&str; 4] = ["S3CRET-SK", "S3CRET-TOKEN", "S3CRET-PW", "S3CRET-ST"];
    let runtimes = [
        Runtime::new(Credentials::aksk("AK", "S3CRET-SK").with_security_token("S3CRET-ST"))
            .unwrap(),
        Runtime::new(Credentials::token("S3CRET-TOKEN")).unwrap(),
        Runtime::new(Credentials::basic("admin", "S3CRET-PW")).unwrap(),
    ];
    let server = FaultServer::start(vec![html(502)]).await;
    for runtime in runtimes {
        let client = rds::Client::with_runtime(&server.uri(), runtime.clone()).unwrap();
        let error = stop_instance(&client).await.expect_err("502");
        let shown = format!(
            "{runtime:?} {:?} {client:?} {error} {error:?}",
            runtime.credentials()
        );
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
    let error = rds::Client::with_endpoint("http://admin:S3CRET-PW@host", Credentials::token("t"))
        .unwrap_err();
    assert!(
        !format!("{error} {error:?}").contains("S3CRET-PW"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_tls_handshake_with_a_plain_http_server_is_named_tls() {
    let server = FaultServer::start(vec![html(400)]).await;
    let uri = format!("https://127.0.0.1:{}", server.port());
    let error = stop_instance(&rds_at(&uri, runtime()))
        .await
        .expect_err("not TLS");
    assert_eq!(
        error.transport().map(|t| t.kind.clone()),
        Some(TransportKind::Tls),
        "{error:?}"
    );
    assert_eq!(
        error.transport().map(|t| t.attempts),
        Some(3),
        "a handshake failure sent nothing"
    );
}

#[tokio::test]
async fn query_values_go_on_the_wire_unambiguously_and_are_signed_as_sent() {
    let server = FaultServer::start(vec![Reply::json(
        200,
        &json!({"instances": [], "total_count": 0}),
    )])
    .await;
    let runtime = Runtime::builder(Credentials::aksk(AK, SK))
        .clock(dbplane_core::Clock::fixed(reference_time()))
        .build()
        .unwrap();
    let client = rds::Client::with_runtime(&server.uri(), runtime).unwrap();
    client
        .list_instances()
        .project_id("054ea741f700d4a32f1bc00f5c80dd4c")
        .name("a b+c/é&d=1")
        .send()
        .outcome()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    let query = seen
        .target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default();
    assert_eq!(
        query, "name=a%20b%2Bc%2F%C3%A9%26d%3D1",
        "no `+` on the wire"
    );
    // The signature is the official algorithm's over what was sent.
    let url = url::Url::parse(&format!(
        "http://127.0.0.1:{}{}",
        server.port(),
        seen.target
    ))
    .unwrap();
    let header = |name: &str| {
        seen.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let host = header("host").to_string();
    let date = header("x-sdk-date").to_string();
    let expected = dbplane_core::sign::sdk_hmac_sha256::authorization(
        AK,
        SK,
        &date,
        &dbplane_core::sign::sdk_hmac_sha256::SignableRequest {
            method: "GET",
            url: &url,
            headers: &[("host", &host), ("x-sdk-date", &date)],
            body: b"",
        },
    );
    assert_eq!(header("authorization"), expected);
}
