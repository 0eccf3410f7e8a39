//! Transport behaviour every generated client shares (through `dbplane-core`): retries,
//! re-signing, redirects, timeouts, and secrets kept out of what is printed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use contract_tests::calls::*;
use contract_tests::*;
use dbplane_core::{Clock, RetryPolicy, Runtime};
use dbplane_huaweicloud::{dbss, CallExt, Credentials, Error, ServiceClient};
use serde_json::json;
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        jitter: false,
        ..RetryPolicy::default()
    }
}

/// A clock that moves one second forward each time it is read.
fn ticking_clock() -> Clock {
    let tick = Arc::new(AtomicU64::new(0));
    Clock::from_fn(move || {
        reference_time() + Duration::from_secs(tick.fetch_add(1, Ordering::SeqCst))
    })
}

async fn stop(client: &dbss::Client) -> Result<dbss::types::StopDbOmInstanceResponse, Error> {
    stop_db_om_instance(client).await.map(|v| v.into_inner())
}

fn client(server: &MockServer, credentials: Credentials, retry: RetryPolicy) -> dbss::Client {
    let runtime = Runtime::builder(credentials)
        .retry(retry)
        .clock(ticking_clock())
        .build()
        .unwrap();
    dbss::Client::with_runtime(&server.uri(), runtime).unwrap()
}

async fn answer_n_times(server: &MockServer, n: u64, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .up_to_n_times(n)
        .mount(server)
        .await;
}

#[tokio::test]
async fn fail_fail_succeed_is_retried_and_each_attempt_is_signed_afresh() {
    let server = MockServer::start().await;
    // Throttling is retried even for a stop: the service did not act on it.
    answer_n_times(&server, 2, ResponseTemplate::new(429)).await;
    answer_n_times(
        &server,
        1,
        ResponseTemplate::new(200).set_body_json(json!({"result": "success"})),
    )
    .await;
    let client = client(&server, Credentials::aksk(AK, SK), fast_retries(3));

    let answer = stop(&client).await.expect("third attempt succeeds");
    assert_eq!(answer.result.as_deref(), Some("success"));

    let requests = server.received_requests().await.unwrap();
    let dates: Vec<&str> = requests
        .iter()
        .map(|r| r.headers["x-sdk-date"].to_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["20240910T020758Z", "20240910T020759Z", "20240910T020800Z"]
    );
    let signatures: std::collections::HashSet<_> = requests
        .iter()
        .map(|r| r.headers["authorization"].clone())
        .collect();
    assert_eq!(
        signatures.len(),
        3,
        "every attempt carries its own signature"
    );
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error() {
    let server = MockServer::start().await;
    answer_n_times(
        &server,
        2,
        ResponseTemplate::new(429)
            .set_body_json(json!({"error_code": "DBSS.1", "error_msg": "first"})),
    )
    .await;
    answer_n_times(
        &server,
        1,
        ResponseTemplate::new(429).set_body_raw(HTML_502, "text/html"),
    )
    .await;
    let client = client(&server, Credentials::token(TOKEN), fast_retries(3));

    let error = stop(&client).await.expect_err("all attempts fail");
    let api = error.api().expect("vendor error");
    assert_eq!((api.status, api.body.as_str()), (429, HTML_502));
    assert_eq!(api.attempts, 3);
    assert!(error.to_string().contains("3 attempts"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    let server = MockServer::start().await;
    answer_n_times(
        &server,
        5,
        ResponseTemplate::new(400)
            .set_body_json(json!({"error_code": "DBSS.0001", "error_msg": "bad"})),
    )
    .await;
    let client = client(&server, Credentials::token(TOKEN), fast_retries(5));
    let error = stop(&client).await.expect_err("400 fails");
    assert_eq!(error.status(), Some(400));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_too_long_wait_is_not_retried() {
    let server = MockServer::start().await;
    answer_n_times(
        &server,
        1,
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
    )
    .await;
    answer_n_times(
        &server,
        1,
        ResponseTemplate::new(200).set_body_json(json!({"result": "success"})),
    )
    .await;
    let client = client(&server, Credentials::token(TOKEN), fast_retries(3));
    stop(&client)
        .await
        .expect("retried after the server's zero wait");

    let server = MockServer::start().await;
    answer_n_times(
        &server,
        5,
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
    )
    .await;
    let client = self::client(&server, Credentials::token(TOKEN), fast_retries(3));
    let error = stop(&client)
        .await
        .expect_err("an hour is longer than the policy waits");
    assert_eq!(error.status(), Some(429));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let server = MockServer::start().await;
    answer_n_times(&server, 5, ResponseTemplate::new(503)).await;
    let client = client(&server, Credentials::token(TOKEN), RetryPolicy::disabled());
    stop(&client).await.expect_err("503 fails");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn redirects_are_not_followed_so_credentials_stay_on_their_host() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    let location = format!("{}/steal", elsewhere.uri());
    answer_n_times(
        &server,
        2,
        ResponseTemplate::new(302).insert_header("location", location.as_str()),
    )
    .await;

    for credentials in [
        Credentials::token(TOKEN),
        Credentials::aksk(AK, SK).with_security_token("temporary-token"),
    ] {
        let client = client(&server, credentials, RetryPolicy::disabled());
        let error = stop(&client)
            .await
            .expect_err("a redirect is not a success");
        assert_eq!(error.status(), Some(302));
    }
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "nothing reached the other host"
    );
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    answer_n_times(
        &server,
        1,
        ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
    )
    .await;
    let runtime = Runtime::builder(Credentials::token(TOKEN))
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let client = dbss::Client::with_runtime(&server.uri(), runtime).unwrap();
    let error = stop(&client).await.expect_err("times out");
    assert!(
        matches!(&error, Error::Transport(e) if e.kind == dbplane_core::TransportKind::Timeout),
        "{error:?}"
    );
    assert!(error.to_string().contains("timed out"), "{error}");
    // A stop whose answer was lost may have been applied.
    assert!(error.may_have_been_applied(), "{error}");
}

#[tokio::test]
async fn user_agent_names_the_vendor_crate() {
    let server = MockServer::start().await;
    answer_n_times(
        &server,
        1,
        ResponseTemplate::new(200).set_body_json(json!({"result": "success"})),
    )
    .await;
    stop(&client(
        &server,
        Credentials::token(TOKEN),
        RetryPolicy::disabled(),
    ))
    .await
    .unwrap();
    let request = only_request(&server).await;
    let user_agent = <dbss::Client as ServiceClient>::USER_AGENT;
    assert!(
        user_agent.starts_with("dbplane-huaweicloud/0."),
        "{user_agent}"
    );
    assert_eq!(request.headers["user-agent"], user_agent);
}

#[tokio::test]
async fn secrets_never_show_in_debug_or_errors() {
    const SECRETS: [&str; 3] = ["SKEXAMPLE", "MIIEXAMPLE", "temporary-token"];
    let server = MockServer::start().await;
    answer_n_times(&server, 5, ResponseTemplate::new(401).set_body_json(json!({"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}))).await;
    for credentials in [
        Credentials::token(TOKEN),
        Credentials::aksk(AK, SK).with_security_token("temporary-token"),
    ] {
        let client = client(&server, credentials, RetryPolicy::disabled());
        let error = stop(&client).await.expect_err("401 fails");
        let shown = format!("{client:?} {error} {error:?}");
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(
            error.to_string().contains("clock"),
            "a rejected signature mentions the clock: {error}"
        );
    }
}

#[tokio::test]
async fn project_id_defaults_from_project_scoped_credentials() {
    let server = MockServer::start().await;
    answer_n_times(
        &server,
        2,
        ResponseTemplate::new(200).set_body_json(json!({"result": "success"})),
    )
    .await;
    let op = dbss_op();
    let project_id = op.str_param("project_id");
    let credentials = Credentials::token(TOKEN).with_project_id(project_id.as_str());
    let client = client(&server, credentials, RetryPolicy::disabled());

    // The caller passes only the instance id.
    client
        .stop_db_om_instance_in_project()
        .instance_id(op.str_param("instance_id").as_str())
        .send()
        .outcome()
        .await
        .unwrap();
    assert_eq!(client.default_project_id().unwrap(), project_id);

    let unscoped = self::client(&server, Credentials::token(TOKEN), RetryPolicy::disabled());
    assert_eq!(
        unscoped.default_project_id().unwrap_err(),
        dbplane_core::ConfigError::MissingProjectId
    );
    let error = unscoped
        .stop_db_om_instance_in_project()
        .instance_id(op.str_param("instance_id").as_str())
        .send()
        .outcome()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid `project_id`: is required (nothing was sent)"
    );

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "the unscoped call sent nothing");
    assert_eq!(requests[0].url.path(), op.sample_path);
}

#[tokio::test]
async fn a_proxy_is_configured_through_reqwest_s_own_options() {
    let proxy = MockServer::start().await;
    answer_n_times(
        &proxy,
        1,
        ResponseTemplate::new(200).set_body_json(json!({"result": "success"})),
    )
    .await;
    let runtime = Runtime::builder(Credentials::token(TOKEN))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let http = runtime
        .http_client_builder(<dbss::Client as ServiceClient>::USER_AGENT)
        .proxy(reqwest::Proxy::http(proxy.uri()).unwrap())
        .build()
        .unwrap();
    // The host does not resolve: only the proxy can have answered.
    let client =
        dbss::Client::with_http_client("http://dbss.region.invalid", http, runtime).unwrap();
    stop(&client).await.expect("answered through the proxy");
    let request = only_request(&proxy).await;
    assert_eq!(request.url.path(), dbss_op().sample_path);
    assert_eq!(request.headers["host"], "dbss.region.invalid");
}

/// The runtime finds an operation's entry by a binary search over its service's table: every
/// table is sorted by id (shorter ids first), one entry per id, one per operation of the
/// spec, and each id finds its own entry.
#[test]
fn every_operations_table_is_sorted_by_id_and_covers_its_spec() {
    fn check<C: ServiceClient>(spec_json: &str) {
        let spec: serde_json::Value = serde_json::from_str(spec_json).expect("the spec");
        let table = C::OPERATIONS;
        assert_eq!(table.len(), dbplane_spec::operations(&spec).count());
        for pair in table.windows(2) {
            let key = |o: &dbplane_core::Operation| (o.id.len(), o.id);
            assert!(
                key(&pair[0]) < key(&pair[1]),
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        for operation in table {
            let found = dbplane_core::__private::find_operation(table, operation.id);
            assert_eq!(found, *operation);
        }
        let unknown = dbplane_core::__private::find_operation(table, "no_such_operation");
        assert_eq!(
            unknown,
            dbplane_core::Operation::unknown("no_such_operation")
        );
    }
    check::<dbss::Client>(dbss::SPEC_JSON);
    check::<dbplane_huaweicloud::dws::Client>(dbplane_huaweicloud::dws::SPEC_JSON);
    check::<dbplane_oceanbase::ocp::Client>(dbplane_oceanbase::ocp::SPEC_JSON);
    check::<dbplane_otc::rds::Client>(dbplane_otc::rds::SPEC_JSON);
    check::<dbplane_otc::geminidb::Client>(dbplane_otc::geminidb::SPEC_JSON);
    check::<dbplane_otc::opengauss::Client>(dbplane_otc::opengauss::SPEC_JSON);
}
