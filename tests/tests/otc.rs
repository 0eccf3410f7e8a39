//! Open Telekom Cloud contract tests: RDS `stop_instance` against the sample documented
//! in `specs/otc/rds.yaml`.

use contract_tests::calls::*;
use contract_tests::*;
use dbplane_otc::{rds, CallExt, Credentials, ServiceClient};
use serde_json::Value;

#[tokio::test]
async fn shutdown_matches_the_documented_sample() {
    let op = rds_op();
    assert_eq!(
        op.request_example(),
        Some(serde_json::json!({})),
        "the page documents `{{}}` as the body"
    );
    let server = serve_documented(&op, header_is("x-auth-token", TOKEN)).await;
    let client = rds::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();

    let job = stop_instance(&client)
        .await
        .expect("documented sample succeeds");

    let documented = op.response_example(200);
    assert_eq!(job.job_id.as_deref(), documented["job_id"].as_str());
    assert_eq!(json_of(job), documented);
    let request = only_request(&server).await;
    assert_eq!(request.body, b"{}");
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn shutdown_signed_with_aksk_matches_the_reference_signature() {
    let op = rds_op();
    let expected = "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=content-type;host;x-sdk-date, Signature=afb55fcd91f29bb4576f38a14a8895c83bb6f1f05384a51734a3588c64982fbb";
    let server = serve_documented(&op, header_is("authorization", expected)).await;
    let host = "rds.eu-de.otc.t-systems.com";
    let client = client_at_host::<rds::Client>(host, &server, Credentials::aksk(AK, SK));

    stop_instance(&client).await.expect("signed call succeeds");
    insta::assert_snapshot!(render(&only_request(&server).await));
}

#[tokio::test]
async fn every_abnormal_response_keeps_status_code_message_and_request_id() {
    let errors = each_documented_error(&rds_op(), |uri| async move {
        let client =
            rds::Client::with_runtime(&uri, single_attempt(Credentials::token(TOKEN))).unwrap();
        stop_instance(&client)
            .await
            .expect_err("an error status fails")
    })
    .await;
    for (status, documented, error) in errors {
        assert_documented_error(&error, status, &documented);
        // Each status has its own documented example, read from the spec.
        let shown = error.to_string();
        let expected = format!(
            "{} (HTTP {status}, request {REQUEST_ID}): {}",
            documented["error_code"].as_str().unwrap(),
            documented["error_msg"].as_str().unwrap()
        );
        // APIGW.0301 adds the clock hint.
        assert!(shown.starts_with(&expected), "{shown}");
    }
}

#[tokio::test]
async fn html_gateway_page_keeps_status_and_raw_text() {
    let server = serve_status(504, &Value::String(HTML_502.into())).await;
    let client =
        rds::Client::with_runtime(&server.uri(), single_attempt(Credentials::token(TOKEN)))
            .unwrap();
    let error = stop_instance(&client).await.expect_err("504 fails");
    let api = error.api().expect("vendor error");
    assert_eq!((api.status, api.body.as_str()), (504, HTML_502));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = serve_status(200, &serde_json::json!({"job_id": "j"})).await;
    let client = rds::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let project_id = rds_op().str_param("project_id");
    client
        .stop_instance()
        .project_id(project_id.as_str())
        .instance_id("x y..?#%")
        .send()
        .outcome()
        .await
        .expect("call succeeds");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        format!("/v3/{project_id}/instances/x%20y..%3F%23%25/action/shutdown")
    );
}

#[tokio::test]
async fn regions_map_to_the_documented_hosts() {
    use dbplane_core::endpoint::region_url;
    assert_eq!(
        region_url(rds::SERVERS, "eu-de").unwrap(),
        "https://rds.eu-de.otc.t-systems.com"
    );
    assert_eq!(
        region_url(rds::SERVERS, "eu-nl").unwrap(),
        "https://rds.eu-nl.otc.t-systems.com"
    );
    assert_eq!(
        region_url(rds::SERVERS, "eu-ch2").unwrap(),
        "https://rds.eu-ch2.sc.otc.t-systems.com"
    );
    let error = rds::Client::for_region("ap-southeast-1", Credentials::token(TOKEN)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown region `ap-southeast-1`; known regions: eu-de, eu-nl, eu-ch2"
    );
}

/// A map-typed body (a parameter template's `values`) goes on the wire in key order: the
/// same input gives the same bytes, whatever order it was built in.
#[tokio::test]
async fn a_map_body_is_sent_in_the_same_bytes_every_time() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = rds::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let names: Vec<String> = (0..64)
        .map(|i| format!("param_{:02}", (i * 37) % 64))
        .collect();
    for order in [names.clone(), names.iter().rev().cloned().collect()] {
        let values: std::collections::BTreeMap<String, String> = order
            .iter()
            .map(|n| (n.clone(), format!("v-{n}")))
            .collect();
        let body = rds::types::UpdateConfigurationRequest {
            description: None,
            name: Some("template".into()),
            values,
        };
        let _ = client
            .update_configuration()
            .project_id("0483b6b16e954cb88930a360d2c4e663")
            .config_id("7b4e07fc7c5d4a8bb32a7a4a0e3ba7c6pr01")
            .body(body)
            .send()
            .outcome()
            .await;
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the same bytes");
    let text = String::from_utf8(requests[0].body.clone()).unwrap();
    let positions: Vec<usize> = (0..64)
        .map(|i| text.find(&format!("\"param_{i:02}\"")).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "in key order: {text}"
    );
}
