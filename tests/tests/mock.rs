//! The spec-driven mock server (`features = ["mock"]`): the generated clients pass against it,
//! and requests that break the spec are refused with the reason.

use contract_tests::calls::*;
use contract_tests::*;
use dbplane_huaweicloud::{dbss, dws, Credentials, ServiceClient};
use dbplane_oceanbase::ocp;
use dbplane_otc::rds;
use serde_json::Value;

#[tokio::test]
async fn every_operation_passes_against_the_mock_with_each_auth_method() {
    let huawei = dbplane_huaweicloud::mock::start().await;
    let otc = dbplane_otc::mock::start().await;
    let oceanbase = dbplane_oceanbase::mock::start().await;

    for credentials in [Credentials::token(TOKEN), Credentials::aksk(AK, SK)] {
        let client = dbss::Client::with_endpoint(&huawei.uri(), credentials.clone()).unwrap();
        assert_eq!(
            json_of(stop_db_om_instance(&client).await.unwrap()),
            dbss_op().response_example(200)
        );
        let client = dws::Client::with_endpoint(&huawei.uri(), credentials.clone()).unwrap();
        assert_eq!(
            json_of(pause_disaster_recovery(&client).await.unwrap()),
            dws_op().response_example(200)
        );
        let client = rds::Client::with_endpoint(&otc.uri(), credentials).unwrap();
        assert_eq!(
            json_of(shutdown_instance(&client).await.unwrap()),
            rds_op().response_example(200)
        );
    }
    for credentials in [
        Credentials::basic("admin", "pw"),
        Credentials::ocp_access_key("id", "secret"),
    ] {
        let client = ocp::Client::with_endpoint(&oceanbase.uri(), credentials).unwrap();
        assert_eq!(
            json_of(stop_backup_schedule(&client).await.unwrap()),
            ocp_op().response_example(200)
        );
    }
}

/// Sends a hand-crafted request and returns the status and the mock's explanation.
async fn raw(
    server: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut request = reqwest::Client::new()
        .request(method.parse().unwrap(), format!("{server}{path}"))
        .body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error_code"].as_str().unwrap_or_default().to_string(),
        body["error_msg"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn requests_that_break_the_spec_are_refused_with_the_reason() {
    // Keep the servers alive: a dropped wiremock server goes back to a pool for reuse.
    let (huawei_server, oceanbase_server, otc_server) = (
        dbplane_huaweicloud::mock::start().await,
        dbplane_oceanbase::mock::start().await,
        dbplane_otc::mock::start().await,
    );
    let (huawei, oceanbase, otc) = (
        huawei_server.uri(),
        oceanbase_server.uri(),
        otc_server.uri(),
    );
    let dbss_path = dbss_op().sample_path;
    let ocp_path = ocp_op().sample_path;
    let rds_path = rds_op().sample_path;
    let token = [("x-auth-token", TOKEN)];
    let basic = [("authorization", "Basic YWRtaW46cHc=")];

    let (status, code, message) = raw(&huawei, "POST", &dbss_path, &[], "").await;
    assert_eq!(
        (status, code.as_str()),
        (401, "MOCK.CREDENTIALS"),
        "{message}"
    );
    assert!(
        message.contains("X-Auth-Token") && message.contains("SDK-HMAC-SHA256"),
        "{message}"
    );

    let (status, code, _) = raw(
        &huawei,
        "POST",
        &dbss_path,
        &[("authorization", "Bearer nope")],
        "",
    )
    .await;
    assert_eq!((status, code.as_str()), (401, "MOCK.CREDENTIALS"));

    let (status, code, message) = raw(&huawei, "GET", &dbss_path, &token, "").await;
    assert_eq!((status, code.as_str()), (405, "MOCK.METHOD"), "{message}");

    let (status, code, message) = raw(
        &oceanbase,
        "POST",
        &ocp_path.replace("1000002", "abc"),
        &basic,
        "",
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (400, "MOCK.PARAMETER"),
        "{message}"
    );
    assert!(message.contains("`id` must be an integer"), "{message}");

    let (status, code, message) =
        raw(&huawei, "POST", &format!("{dbss_path}/extra"), &token, "").await;
    assert_eq!((status, code.as_str()), (404, "MOCK.PATH"), "{message}");

    let (status, code, message) = raw(
        &huawei,
        "POST",
        "/v1/short/db-om/fedcba9876543210fedcba9876543210/stop",
        &token,
        "",
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (400, "MOCK.PARAMETER"),
        "{message}"
    );
    assert!(message.contains("project_id"), "{message}");

    let (status, code, message) = raw(&otc, "POST", &rds_path, &token, "{\"unexpected\": 1}").await;
    assert_eq!((status, code.as_str()), (400, "MOCK.BODY"), "{message}");
    let (status, code, _) = raw(&otc, "POST", &rds_path, &token, "").await;
    assert_eq!((status, code.as_str()), (400, "MOCK.BODY"));
}
