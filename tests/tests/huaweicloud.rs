//! Huawei Cloud contract tests: DBSS `stop_db_om_instance` and DWS `pause_disaster_recovery`
//! against the samples documented in `specs/huaweicloud/`.

use contract_tests::calls::*;
use contract_tests::*;
use dbplane_huaweicloud::{dbss, dws, CallExt, Credentials, Error, ServiceClient};
use serde_json::Value;
use wiremock::matchers::header;

#[tokio::test]
async fn dbss_stop_matches_the_documented_sample() {
    let op = dbss_op();
    let server = serve_documented(&op, header("x-auth-token", TOKEN)).await;
    let client = dbss::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();

    let answer = stop_db_om_instance(&client)
        .await
        .expect("documented sample succeeds");

    let documented = op.response_example(200);
    assert_eq!(answer.result.as_deref(), documented["result"].as_str());
    assert_eq!(json_of(answer), documented);
    insta::assert_snapshot!(render(&only_request(&server).await));
}

#[tokio::test]
async fn dbss_stop_signed_with_aksk_matches_the_reference_signature() {
    let op = dbss_op();
    let expected = "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=host;x-sdk-date, Signature=6cc35d05e1a8fdba169b5f4626ee031965f02c059cdf6d72db1b48c7a97e20e4";
    let server = serve_documented(&op, header_is("authorization", expected)).await;
    let host = "dbss.ap-southeast-1.myhuaweicloud.com";
    let client = client_at_host::<dbss::Client>(host, &server, Credentials::aksk(AK, SK));

    stop_db_om_instance(&client)
        .await
        .expect("signed call succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.headers["x-sdk-date"], "20240910T020758Z");
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn dbss_stop_with_project_scoped_aksk_sends_and_signs_x_project_id() {
    let op = dbss_op();
    let expected = "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=host;x-project-id;x-sdk-date, Signature=4c77db69d5599cd46aa1ecaf7913c13183481bcdb7f94b7d6d048b119acf8e26";
    let project_id = op.str_param("project_id");
    let server = serve_documented(&op, header_is("authorization", expected)).await;
    let host = "dbss.ap-southeast-1.myhuaweicloud.com";
    let credentials = Credentials::aksk(AK, SK).with_project_id(project_id.as_str());
    let client = client_at_host::<dbss::Client>(host, &server, credentials);

    stop_db_om_instance(&client)
        .await
        .expect("signed call succeeds");
    assert_eq!(
        only_request(&server).await.headers["x-project-id"],
        project_id.as_str()
    );
}

#[tokio::test]
async fn dbss_every_documented_error_keeps_status_code_message_and_request_id() {
    let errors = each_documented_error(&dbss_op(), |uri| async move {
        let client =
            dbss::Client::with_runtime(&uri, single_attempt(Credentials::token(TOKEN))).unwrap();
        stop_db_om_instance(&client)
            .await
            .expect_err("an error status fails")
    })
    .await;
    assert_eq!(errors.len(), 4, "DBSS documents 400, 401, 403 and 500");
    for (status, documented, error) in errors {
        assert_documented_error(&error, status, &documented);
        let api = error.api().expect("vendor error");
        assert_eq!(
            api.encoded_authorization_message.as_deref(),
            documented["encoded_authorization_message"].as_str()
        );
        let detail_codes: Vec<Option<&str>> =
            api.details.iter().map(|d| d.code.as_deref()).collect();
        let documented_codes: Vec<Option<&str>> = documented["details"]
            .as_array()
            .map(|d| d.iter().map(|x| x["error_code"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(detail_codes, documented_codes, "HTTP {status}");
    }
}

#[tokio::test]
async fn dbss_result_failed_in_a_200_is_an_error() {
    let server = serve_status(200, &serde_json::json!({"result": "failed"})).await;
    let client = dbss::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let error = stop_db_om_instance(&client)
        .await
        .expect_err("`failed` is a failure");
    let api = error.api().expect("vendor error");
    assert_eq!(
        (api.status, api.request_id.as_deref()),
        (200, Some(REQUEST_ID))
    );
    assert!(api.body.contains("failed"), "{api:?}");
}

#[tokio::test]
async fn html_gateway_page_keeps_status_and_raw_text() {
    let server = serve_status(502, &Value::String(HTML_502.into())).await;
    let client =
        dbss::Client::with_runtime(&server.uri(), single_attempt(Credentials::token(TOKEN)))
            .unwrap();
    let error = stop_db_om_instance(&client).await.expect_err("502 fails");
    let api = error.api().expect("vendor error");
    assert_eq!(api.status, 502);
    assert_eq!(api.body, HTML_502);
    assert_eq!(api.request_id.as_deref(), Some(REQUEST_ID));
}

#[tokio::test]
async fn html_on_a_documented_status_keeps_status_and_raw_text() {
    let server = serve_status(503, &Value::String(HTML_502.into())).await;
    let client =
        dws::Client::with_runtime(&server.uri(), single_attempt(Credentials::token(TOKEN)))
            .unwrap();
    let error = pause_disaster_recovery(&client)
        .await
        .expect_err("503 fails");
    let api = error
        .api()
        .unwrap_or_else(|| panic!("not a vendor error: {error:?}"));
    assert_eq!(
        (api.status, api.body.as_str(), api.request_id.as_deref()),
        (503, HTML_502, Some(REQUEST_ID))
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = serve_status(200, &serde_json::json!({"result": "success"})).await;
    let client = dbss::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let project_id = dbss_op().str_param("project_id");
    client
        .stop_db_om_instance()
        .project_id(project_id.as_str())
        .instance_id(HOSTILE_ID)
        .send()
        .outcome()
        .await
        .expect("call succeeds");
    let request = only_request(&server).await;
    let segments: Vec<&str> = request.url.path().split('/').collect();
    assert_eq!(
        segments,
        [
            "",
            "v1",
            project_id.as_str(),
            "db-om",
            "a%3Fb%23c%25d%20e..f~g-%C3%A9-0123456789abcdef0123",
            "stop"
        ]
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(request.url.fragment(), None);
}

#[tokio::test]
async fn a_parameter_breaking_its_constraint_fails_before_sending() {
    let server = serve_status(200, &serde_json::json!({"result": "success"})).await;
    let client = dbss::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let error = client
        .stop_db_om_instance()
        .project_id("too-short")
        .instance_id(dbss_op().str_param("instance_id").as_str())
        .send()
        .outcome()
        .await
        .expect_err("a 9-character project_id is refused");
    assert!(
        matches!(&error, Error::InvalidInput { parameter, .. } if parameter == "project_id"),
        "{error:?}"
    );
    // The rule comes from the spec's minLength/maxLength, through the generated PARAMETER_RULES.
    assert_eq!(
        error.to_string(),
        "invalid `project_id`: must be 32 to 64 characters, not `.` or `..`, without `/` or `\\` (nothing was sent)"
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

#[tokio::test]
async fn dws_pause_matches_the_documented_sample() {
    let op = dws_op();
    let server = serve_documented(&op, header("x-auth-token", TOKEN)).await;
    let client = dws::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();

    let answer = pause_disaster_recovery(&client)
        .await
        .expect("documented sample succeeds");

    let documented = op.response_example(200);
    let id = answer
        .disaster_recovery
        .as_ref()
        .and_then(|dr| dr.id.as_deref());
    assert_eq!(id, documented["disaster_recovery"]["id"].as_str());
    assert_eq!(json_of(answer), documented);
    insta::assert_snapshot!(render(&only_request(&server).await));
}

#[tokio::test]
async fn dws_pause_signed_with_project_scoped_aksk_matches_the_reference_signature() {
    let op = dws_op();
    let expected = "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=host;x-project-id;x-sdk-date, Signature=f9756752c6abdc7e470b4561c1f29b239b7cfc2f52c65e117323af471eee6d0a";
    let server = serve_documented(&op, header_is("authorization", expected)).await;
    let host = "dws.cn-north-4.myhuaweicloud.com";
    let credentials =
        Credentials::aksk(AK, SK).with_project_id(op.str_param("project_id").as_str());
    let client = client_at_host::<dws::Client>(host, &server, credentials);

    pause_disaster_recovery(&client)
        .await
        .expect("signed call succeeds");
    insta::assert_snapshot!(render(&only_request(&server).await));
}

#[tokio::test]
async fn dws_every_documented_error_keeps_status_code_message_and_request_id() {
    let errors = each_documented_error(&dws_op(), |uri| async move {
        let client =
            dws::Client::with_runtime(&uri, single_attempt(Credentials::token(TOKEN))).unwrap();
        pause_disaster_recovery(&client)
            .await
            .expect_err("an error status fails")
    })
    .await;
    let statuses: Vec<u16> = errors.iter().map(|(status, _, _)| *status).collect();
    assert_eq!(statuses, [400, 401, 403, 404, 500, 503]);
    for (status, documented, error) in errors {
        assert_documented_error(&error, status, &documented);
    }
}

#[tokio::test]
async fn regions_map_to_the_documented_hosts() {
    use dbplane_core::endpoint::region_url;
    assert_eq!(
        region_url(dbss::SERVERS, "ap-southeast-1").unwrap(),
        "https://dbss.ap-southeast-1.myhuaweicloud.com"
    );
    assert_eq!(
        region_url(dws::SERVERS, "cn-north-4").unwrap(),
        "https://dws.cn-north-4.myhuaweicloud.com"
    );
    assert_eq!(
        region_url(dws::SERVERS, "eu-west-101").unwrap(),
        "https://dws.eu-west-101.myhuaweicloud.eu"
    );
    assert_eq!(
        region_url(dws::SERVERS, "tr-west-1").unwrap(),
        "https://dws.tr-west-1.myhuaweicloud.cn"
    );
    assert!(dbss::Client::for_region("bad/region", Credentials::token(TOKEN)).is_err());
}

#[tokio::test]
async fn temporary_credentials_send_and_sign_the_security_token() {
    let server =
        serve_documented(&dbss_op(), header_is("x-security-token", "temporary-token")).await;
    let host = "dbss.ap-southeast-1.myhuaweicloud.com";
    let credentials = Credentials::aksk(AK, SK).with_security_token("temporary-token");
    let client = client_at_host::<dbss::Client>(host, &server, credentials);

    stop_db_om_instance(&client)
        .await
        .expect("signed call succeeds");

    let request = only_request(&server).await;
    let authorization = request.headers["authorization"].to_str().unwrap();
    assert!(
        authorization.contains("SignedHeaders=host;x-sdk-date;x-security-token,"),
        "{authorization}"
    );
    // The same request signed by the core signer over exactly these headers.
    let url = url::Url::parse(&format!("http://{host}{}", dbss_op().sample_path)).unwrap();
    let headers = [
        ("host", host),
        ("x-sdk-date", "20240910T020758Z"),
        ("x-security-token", "temporary-token"),
    ];
    let expected = dbplane_core::sign::sdk_hmac_sha256::authorization(
        AK,
        SK,
        "20240910T020758Z",
        &dbplane_core::sign::sdk_hmac_sha256::SignableRequest {
            method: "POST",
            url: &url,
            headers: &headers,
            body: b"",
        },
    );
    assert_eq!(authorization, expected);
}
