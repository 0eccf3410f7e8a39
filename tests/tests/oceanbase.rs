//! OceanBase OCP contract tests: `stopBackupSchedule` against the sample documented in
//! `specs/oceanbase/ocp.yaml`.

use contract_tests::calls::*;
use contract_tests::*;
use dbplane_oceanbase::{ocp, Credentials, ServiceClient};
use serde_json::{json, Value};

#[tokio::test]
async fn stop_backup_schedule_matches_the_documented_sample() {
    let op = ocp_op();
    let server = serve_documented(
        &op,
        header_is("authorization", "Basic YWRtaW46b2NwLXBhc3N3b3Jk"),
    )
    .await;
    let client =
        ocp::Client::with_endpoint(&server.uri(), Credentials::basic("admin", "ocp-password"))
            .unwrap();

    let answer = stop_backup_schedule(&client)
        .await
        .expect("documented sample succeeds");

    let documented = op.response_example(200);
    assert_eq!(answer.successful, documented["successful"].as_bool());
    assert_eq!(answer.trace_id.as_deref(), documented["traceId"].as_str());
    let data = answer.data.as_ref().expect("data");
    assert_eq!(
        data.ob_backup_task_type.as_deref(),
        documented["data"]["obBackupTaskType"].as_str()
    );
    let object = &data.backup_object_ops_result_list[0].ob_backup_object_list[0];
    assert_eq!(
        object.tenant_id,
        documented["data"]["backupObjectOpsResultList"][0]["obBackupObjectList"][0]["tenantId"]
            .as_i64()
    );
    assert_eq!(json_of(answer), documented);
    insta::assert_snapshot!(render(&only_request(&server).await));
}

#[tokio::test]
async fn stop_backup_schedule_signed_with_an_ocp_access_key() {
    let op = ocp_op();
    // base64(HMAC-SHA1("ak-secret", "POST\n\n\nTue, 10 Sep 2024 02:07:58 GMT\nocp-host\n\n<path>")),
    // computed by hand with Python's hmac module.
    let expected = "OCP-ACCESS-KEY-HMACSHA1 ak-id:Kx6Q7PDFAxYgT1CxE08BZOuv7L8=";
    let server = serve_documented(&op, header_is("authorization", expected)).await;
    let credentials = Credentials::ocp_access_key("ak-id", "ak-secret");
    let client = client_at_host::<ocp::Client>("ocp-host", &server, credentials);

    stop_backup_schedule(&client)
        .await
        .expect("signed call succeeds");
    let request = only_request(&server).await;
    assert_eq!(request.headers["date"], "Tue, 10 Sep 2024 02:07:58 GMT");
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn every_documented_failure_keeps_status_code_message_and_trace_id() {
    let op = ocp_op();
    for status in op.error_statuses() {
        let documented = op.response_example(status);
        let server = serve_status(status, &documented).await;
        let client = ocp::Client::with_runtime(
            &server.uri(),
            single_attempt(Credentials::basic("admin", "pw")),
        )
        .unwrap();
        let error = stop_backup_schedule(&client)
            .await
            .expect_err("failure status fails");
        let api = error
            .api()
            .unwrap_or_else(|| panic!("HTTP {status}: {error:?}"));
        assert_eq!(api.status, status);
        assert_eq!(
            api.code,
            Some(documented["error"]["code"].to_string()),
            "HTTP {status}"
        );
        assert_eq!(
            api.message.as_deref(),
            documented["error"]["message"].as_str(),
            "HTTP {status}"
        );
    }
}

#[tokio::test]
async fn successful_false_in_a_200_is_an_error() {
    let mut body = ocp_op().response_example(200);
    body["successful"] = json!(false);
    let server = serve_status(200, &body).await;
    let client =
        ocp::Client::with_endpoint(&server.uri(), Credentials::basic("admin", "pw")).unwrap();
    let error = stop_backup_schedule(&client)
        .await
        .expect_err("`successful: false` is a failure");
    let api = error.api().expect("an API error");
    // OCP's traceId is kept beside the X-Request-Id header: support may ask for either.
    assert_eq!(api.trace_id.as_deref(), body["traceId"].as_str());
    assert_eq!(api.request_id.as_deref(), Some(REQUEST_ID));
}

#[tokio::test]
async fn a_failed_backup_object_is_a_partial_failure_naming_the_object() {
    let mut body = ocp_op().response_example(200);
    let item = &mut body["data"]["backupObjectOpsResultList"][0];
    item["beSuccessful"] = json!(false);
    item["hint"] = json!("tenant is not in backup scheduling");
    item["errorCode"] = json!({"code": "BACKUP_NOT_SCHEDULED"});
    let server = serve_status(200, &body).await;
    let client =
        ocp::Client::with_endpoint(&server.uri(), Credentials::basic("admin", "pw")).unwrap();
    let error = stop_backup_schedule(&client)
        .await
        .expect_err("a failed object is a failure");
    let api = error.api().expect("vendor error");
    assert_eq!(
        api.message.as_deref(),
        Some("tenant is not in backup scheduling")
    );
    assert_eq!(api.failed_objects.len(), 1);
    assert_eq!(
        api.failed_objects[0]["obBackupObjectList"][0]["tenantId"],
        body["data"]["backupObjectOpsResultList"][0]["obBackupObjectList"][0]["tenantId"]
    );
    assert!(
        api.code
            .as_deref()
            .is_some_and(|c| c.contains("BACKUP_NOT_SCHEDULED")),
        "{api:?}"
    );
}

#[tokio::test]
async fn unknown_fields_and_task_types_still_decode() {
    let mut body = ocp_op().response_example(200);
    body["data"]["obBackupTaskType"] = json!("SOME_FUTURE_TASK_TYPE");
    body["data"]["backupObjectOpsResultList"][0]["obBackupObjectList"][0]["backupDimension"] =
        json!("REGION");
    body["newTopLevelField"] = json!({"added": "without notice"});
    let server = serve_status(200, &body).await;
    let client =
        ocp::Client::with_endpoint(&server.uri(), Credentials::basic("admin", "pw")).unwrap();
    let answer = stop_backup_schedule(&client)
        .await
        .expect("extra fields and new enum values are tolerated");
    assert_eq!(
        answer
            .data
            .as_ref()
            .and_then(|d| d.ob_backup_task_type.as_deref()),
        Some("SOME_FUTURE_TASK_TYPE")
    );
}

#[tokio::test]
async fn html_gateway_page_keeps_status_and_raw_text() {
    let server = serve_status(502, &Value::String(HTML_502.into())).await;
    let client = ocp::Client::with_runtime(
        &server.uri(),
        single_attempt(Credentials::basic("admin", "pw")),
    )
    .unwrap();
    let error = stop_backup_schedule(&client).await.expect_err("502 fails");
    let api = error.api().expect("vendor error");
    assert_eq!((api.status, api.body.as_str()), (502, HTML_502));
}
