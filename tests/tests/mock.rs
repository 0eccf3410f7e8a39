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
    let huawei = dbplane_huaweicloud::mock::start().await.unwrap();
    let otc = dbplane_otc::mock::start().await.unwrap();
    let oceanbase = dbplane_oceanbase::mock::start().await.unwrap();

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
            json_of(stop_instance(&client).await.unwrap()),
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

/// Every operation of every spec that has a documented sample — the operations sharing a
/// method and path among them, told apart by their bodies — is answered by the mock with its
/// documented answer.
#[tokio::test]
async fn the_mock_answers_every_documented_sample_with_its_operation() {
    let mut answered = 0;
    for file in [
        "huaweicloud/dbss.yaml",
        "huaweicloud/dws.yaml",
        "oceanbase/ocp.yaml",
        "otc/rds.yaml",
    ] {
        let path = workspace_root().join("specs").join(file);
        let spec: Value = serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let (header, value) = credential_header(&spec);
        let server = dbplane_mock::SpecMock::new()
            .with_spec(spec.clone())
            .unwrap()
            .start()
            .await
            .unwrap();
        for op in dbplane_spec::operations(&spec) {
            let Some(sample) = op.documented_sample() else {
                continue;
            };
            let id = op.id().unwrap();
            let query = sample["query"]
                .as_str()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            let url = format!(
                "{}{}{query}",
                server.uri(),
                sample["path"].as_str().unwrap()
            );
            let mut request = reqwest::Client::new()
                .request(op.method.to_uppercase().parse().unwrap(), url)
                .header(&header, &value);
            if let Some(body) = sample.get("body") {
                request = request.json(body);
            }
            let response = request.send().await.unwrap();
            let (status, documented) = dbplane_mock::documented_answer(&spec, op.op);
            assert_eq!(response.status().as_u16(), status, "{file} {id}");
            let text = response.text().await.unwrap();
            if !documented.is_null() {
                let answer: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{file} {id}: {e}: {text}"));
                assert_eq!(
                    answer, documented,
                    "{file} {id}: answered as another operation?"
                );
            }
            answered += 1;
        }
    }
    assert!(answered >= 100, "only {answered} samples");
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
    // Huawei's envelope, or OCP's (`error.code`, `error.message`).
    let text = |huawei: &str, ocp: &str| {
        body[huawei]
            .as_str()
            .or_else(|| body.pointer(ocp).and_then(Value::as_str))
            .unwrap_or_default()
            .to_string()
    };
    (
        status,
        text("error_code", "/error/code"),
        text("error_msg", "/error/message"),
    )
}

#[tokio::test]
async fn requests_that_break_the_spec_are_refused_with_the_reason() {
    // Keep the servers alive: a dropped wiremock server goes back to a pool for reuse.
    let (huawei_server, oceanbase_server, otc_server) = (
        dbplane_huaweicloud::mock::start().await.unwrap(),
        dbplane_oceanbase::mock::start().await.unwrap(),
        dbplane_otc::mock::start().await.unwrap(),
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

    let json = [
        ("x-auth-token", TOKEN),
        ("content-type", "application/json"),
    ];
    let (status, code, message) = raw(&otc, "POST", &rds_path, &json, "{\"unexpected\": 1}").await;
    assert_eq!((status, code.as_str()), (400, "MOCK.BODY"), "{message}");
    let (status, code, message) = raw(&otc, "POST", &rds_path, &token, "{}").await;
    assert_eq!(
        (status, code.as_str()),
        (415, "MOCK.CONTENT_TYPE"),
        "{message}"
    );
    let text = [("x-auth-token", TOKEN), ("content-type", "text/plain")];
    let (status, code, message) = raw(&otc, "POST", &rds_path, &text, "{}").await;
    assert_eq!(
        (status, code.as_str()),
        (415, "MOCK.CONTENT_TYPE"),
        "{message}"
    );
    let (status, code, message) = raw(&huawei, "POST", &dbss_path, &json, "{}").await;
    assert_eq!(
        (status, code.as_str()),
        (400, "MOCK.BODY"),
        "a body where none is documented: {message}"
    );
    // The official SDK stops an instance without a body; the page's example sends `{}`: the
    // body is optional, and both are served.
    let (status, code, message) = raw(&otc, "POST", &rds_path, &token, "").await;
    assert_eq!((status, code.as_str()), (200, ""), "{message}");
    let (status, code, message) = raw(&otc, "POST", &rds_path, &json, "{}").await;
    assert_eq!((status, code.as_str()), (200, ""), "{message}");
}

#[tokio::test]
async fn path_values_that_decode_to_no_text_are_refused_not_matched() {
    let server = dbplane_huaweicloud::mock::start().await.unwrap();
    let path = dbss_op().sample_path;
    let id = "fedcba9876543210fedcba9876543210";
    assert!(path.contains(id), "{path}");
    let token = [("x-auth-token", TOKEN)];
    for (segment, why) in [
        ("abc%00def", "holds the control character \\u{0}"),
        ("abc%0Adef", "holds the control character \\u{a}"),
        ("%C0%AF", "is not UTF-8 once percent-decoded"),
        ("%FF%FE", "is not UTF-8 once percent-decoded"),
    ] {
        let (status, code, message) = raw(
            &server.uri(),
            "POST",
            &path.replace(id, segment),
            &token,
            "",
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (400, "MOCK.PARAMETER"),
            "{segment}: {message}"
        );
        assert!(
            message.contains("path parameter `instance_id`") && message.contains(why),
            "{segment}: {message}"
        );
    }
}

#[tokio::test]
async fn each_vendor_refuses_in_its_own_envelope_and_the_mock_survives_broken_clients() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let oceanbase = dbplane_oceanbase::mock::start().await.unwrap();
    let response = reqwest::get(format!("{}{}", oceanbase.uri(), ocp_op().sample_path))
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (
            body["successful"].clone(),
            body["status"].clone(),
            body["error"]["code"].clone()
        ),
        (
            Value::Bool(false),
            Value::from(405),
            Value::from("MOCK.METHOD")
        ),
        "{body}"
    );
    // The CLI reads the refusal as an OCP error, not as `error (HTTP 405…)`.
    let error = dbplane_core::ApiError::decode(405, None, body.to_string().as_bytes());
    assert_eq!(error.code.as_deref(), Some("MOCK.METHOD"));

    // A body that promises 100 bytes and stops; then one far over the limit.
    let address = oceanbase.address();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"POST /x HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{\"a\":")
        .await
        .unwrap();
    stream.shutdown().await.unwrap();
    let mut ignored = Vec::new();
    let _ = stream.read_to_end(&mut ignored).await;
    let huge = vec![b' '; 2 * dbplane_mock::MAX_REQUEST_BYTES];
    let response = reqwest::Client::new()
        .post(format!("{}{}", oceanbase.uri(), ocp_op().sample_path))
        .header("authorization", "Basic YWRtaW46cHc=")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
    }
    // Still serving.
    let client =
        ocp::Client::with_endpoint(&oceanbase.uri(), Credentials::basic("admin", "pw")).unwrap();
    stop_backup_schedule(&client)
        .await
        .expect("the mock survived");
}

#[tokio::test]
async fn a_stalled_client_is_disconnected() {
    use tokio::io::AsyncReadExt;
    let server = dbplane_otc::mock::start().await.unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.address())
        .await
        .unwrap();
    // Half a request head, then nothing: the mock gives up on it (10 s for a head).
    tokio::io::AsyncWriteExt::write_all(&mut stream, b"POST /v3/x HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        stream.read_to_end(&mut rest),
    )
    .await;
    assert!(closed.is_ok(), "the connection was still open after 30 s");
}

/// An operation whose page documents no sample answer is answered with the least value its
/// schema accepts (never `null`), which the typed client then decodes.
#[tokio::test]
async fn an_answer_without_a_sample_still_fits_its_schema() {
    let mut checked = 0;
    for spec_json in [
        dbplane_otc::rds::SPEC_JSON,
        dbplane_otc::geminidb::SPEC_JSON,
        dbplane_otc::opengauss::SPEC_JSON,
        dbplane_huaweicloud::dbss::SPEC_JSON,
        dbplane_huaweicloud::dws::SPEC_JSON,
        dbplane_oceanbase::ocp::SPEC_JSON,
    ] {
        let spec: Value = serde_json::from_str(spec_json).unwrap();
        for op in dbplane_spec::operations(&spec) {
            let Some((status, response)) = dbplane_spec::success_response(&spec, op.op) else {
                continue;
            };
            let media = &response["content"]["application/json"];
            if media.get("example").is_some() || media.get("schema").is_none() {
                continue;
            }
            let id = op.id().unwrap_or_default();
            let (answered_status, answer) = dbplane_mock::documented_answer(&spec, op.op);
            assert_eq!(answered_status, status, "{id}");
            assert!(!answer.is_null(), "{id}: answered null");
            dbplane_spec::validate(&spec, &media["schema"], &answer)
                .unwrap_or_else(|e| panic!("{id}: {answer} breaks its schema: {e}"));
            checked += 1;
        }
    }
    assert!(
        checked >= 5,
        "only {checked} operations without a sample answer"
    );
}
