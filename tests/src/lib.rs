//! Helpers for the contract tests: the documented samples, read from `specs/`, and a
//! stable text form of the requests the mock server received.

pub mod canned;
pub mod fault_server;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::SystemTime;

use dbplane_core::sign::{ocp, sdk_hmac_sha256};
use serde_json::Value;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One operation of a spec, with its documented samples.
pub struct Operation {
    doc: Value,
    op: Value,
    /// HTTP method, upper case.
    pub method: String,
    /// The documented sample request's path.
    pub sample_path: String,
}

impl Operation {
    /// Finds `operation_id` in `specs/<spec>`.
    pub fn load(spec: &str, operation_id: &str) -> Self {
        let path = workspace_root().join("specs").join(spec);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Value =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let paths = doc["paths"].as_object().expect("paths").clone();
        for item in paths.values() {
            for (method, op) in item.as_object().expect("path item") {
                if op["operationId"] == operation_id {
                    let sample = &op["x-dbplane-sample-request"];
                    return Self {
                        method: method.to_uppercase(),
                        sample_path: sample["path"].as_str().expect("sample path").to_string(),
                        op: op.clone(),
                        doc,
                    };
                }
            }
        }
        panic!("no operation {operation_id} in {spec}");
    }

    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        dbplane_spec::resolve(&self.doc, value)
    }

    /// The documented example of a parameter.
    pub fn param(&self, name: &str) -> &Value {
        let params = self.op["parameters"].as_array().expect("parameters");
        let param = params
            .iter()
            .map(|p| self.resolve(p))
            .find(|p| p["name"] == name);
        &param.unwrap_or_else(|| panic!("no parameter {name}"))["example"]
    }

    /// A string parameter's documented example.
    pub fn str_param(&self, name: &str) -> String {
        self.param(name)
            .as_str()
            .expect("string example")
            .to_string()
    }

    /// An integer parameter's documented example.
    pub fn int_param(&self, name: &str) -> i64 {
        self.param(name).as_i64().expect("integer example")
    }

    /// The documented request body, if the operation has one.
    pub fn request_example(&self) -> Option<Value> {
        self.op
            .get("requestBody")
            .map(|b| self.resolve(b)["content"]["application/json"]["example"].clone())
    }

    /// The documented example answer for `status`.
    pub fn response_example(&self, status: u16) -> Value {
        let response = self.resolve(&self.op["responses"][status.to_string()]);
        response["content"]["application/json"]["example"].clone()
    }

    /// Every documented error status.
    pub fn error_statuses(&self) -> Vec<u16> {
        let responses = self.op["responses"].as_object().expect("responses");
        responses
            .keys()
            .filter_map(|s| s.parse().ok())
            .filter(|s| *s >= 400)
            .collect()
    }
}

/// 2024-09-10T02:07:58Z, the date of the research file's reference signatures.
pub fn reference_time() -> SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_725_934_078)
}

/// An HTTP client that sends requests for `host` to the mock server, so a request carries
/// the real host name (and signs over it) while staying on this machine.
pub fn http_to_mock(host: &str, server: &wiremock::MockServer) -> reqwest::Client {
    let addr: SocketAddr = *server.address();
    reqwest::Client::builder()
        .resolve(host, addr)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

/// A client for the real `host` whose requests reach `server`, its signatures dated
/// [`reference_time`]: the request carries (and signs) the documented host name.
pub fn client_at_host<C: dbplane_core::ServiceClient>(
    host: &str,
    server: &wiremock::MockServer,
    credentials: dbplane_core::Credentials,
) -> C {
    C::from_parts(
        &format!("http://{host}"),
        http_to_mock(host, server),
        at_reference_time(credentials),
    )
}

/// A typed answer as JSON, to compare with the documented example.
pub fn json_of<T: serde::Serialize>(answer: progenitor_client::ResponseValue<T>) -> Value {
    serde_json::to_value(answer.into_inner()).expect("answers serialize")
}

/// A stable text form of a received request: method, path and query, headers that matter
/// (sorted; `host` and `user-agent` left out, secrets masked), and body.
pub fn render(request: &wiremock::Request) -> String {
    let mut out = format!("{} {}", request.method, request.url.path());
    if let Some(query) = request.url.query() {
        out.push('?');
        out.push_str(query);
    }
    out.push('\n');
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "host" | "user-agent"))
        .map(|(name, value)| {
            (
                name.to_string(),
                mask(name.as_str(), value.to_str().unwrap_or("<binary>")),
            )
        })
        .collect();
    headers.sort();
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\n"));
    }
    if request.body.is_empty() {
        out.push_str("<no body>\n");
    } else {
        out.push_str(&String::from_utf8_lossy(&request.body));
        out.push('\n');
    }
    out
}

/// Secrets masked as the CLI's dry run masks them, except signatures: made with the test
/// keys, they are the evidence these snapshots keep.
fn mask(name: &str, value: &str) -> String {
    let signed = [sdk_hmac_sha256::ALGORITHM, ocp::ALGORITHM]
        .iter()
        .any(|scheme| value.starts_with(scheme));
    if name == "authorization" && signed {
        value.to_string()
    } else {
        dbplane_core::runtime::mask_header(name, value)
    }
}

/// The only request the server received.
pub async fn only_request(server: &wiremock::MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {}",
        requests.len()
    );
    requests.remove(0)
}

/// The public API of a generated module, one item per line, for a snapshot.
pub fn api_surface(generated: &str) -> String {
    let path = workspace_root().join(generated);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = syn::parse_file(&text).expect("generated code parses");
    let mut lines = Vec::new();
    surface(&file.items, "", &mut lines);
    lines
        .iter()
        .map(|line| tidy(line))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Token streams print with spaces everywhere; close the ones a person would not write.
fn tidy(line: &str) -> String {
    let mut out = line.to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        ("{  }", "{}"),
        (":::", ": ::"),
        (" : ", ": "),
    ] {
        out = out.replace(from, to);
    }
    out
}

fn surface(items: &[syn::Item], prefix: &str, out: &mut Vec<String>) {
    use quote::ToTokens;
    let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    for item in items {
        match item {
            syn::Item::Mod(m) if public(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    surface(inner, &format!("{prefix}{}::", m.ident), out);
                }
            }
            syn::Item::Struct(s) if public(&s.vis) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| public(&f.vis))
                    .map(|f| {
                        let name = f
                            .ident
                            .as_ref()
                            .map(|i| format!("{i}: "))
                            .unwrap_or_default();
                        format!("{name}{}", f.ty.to_token_stream())
                    })
                    .collect();
                out.push(format!(
                    "struct {prefix}{} {{ {} }}",
                    s.ident,
                    fields.join(", ")
                ));
            }
            syn::Item::Enum(e) if public(&e.vis) => {
                let variants: Vec<String> =
                    e.variants.iter().map(|v| v.ident.to_string()).collect();
                out.push(format!(
                    "enum {prefix}{} {{ {} }}",
                    e.ident,
                    variants.join(", ")
                ));
            }
            syn::Item::Const(c) if public(&c.vis) => out.push(format!(
                "const {prefix}{}: {}",
                c.ident,
                c.ty.to_token_stream()
            )),
            syn::Item::Impl(i) => {
                let ty = i.self_ty.to_token_stream().to_string();
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        if public(&f.vis) {
                            let sig = f.sig.to_token_stream().to_string();
                            out.push(format!(
                                "fn {prefix}{ty}::{}",
                                sig.trim_start_matches("fn ")
                            ));
                        }
                    }
                }
            }
            syn::Item::Use(u) if public(&u.vis) => {
                out.push(format!("use {prefix}{}", u.tree.to_token_stream()))
            }
            _ => {}
        }
    }
}

/// IAM token the contract tests authenticate with.
pub const TOKEN: &str = "MIIEXAMPLE-test-token";
/// Request ID the mock answers carry.
pub const REQUEST_ID: &str = "5f3c1a2b-request";

/// A mock server that answers the documented sample request, and only it, with the
/// documented 200 answer. `auth` must also match. It verifies on drop that exactly one
/// request matched, and prints what it received otherwise.
pub async fn serve_documented(
    op: &Operation,
    auth: impl wiremock::Match + 'static,
) -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    let body = op.request_example();
    wiremock::Mock::given(method(op.method.as_str()))
        .and(path(op.sample_path.as_str()))
        .and(|request: &wiremock::Request| !request.headers.contains_key("api-version"))
        .and(move |request: &wiremock::Request| match &body {
            Some(expected) => {
                serde_json::from_slice::<Value>(&request.body).ok().as_ref() == Some(expected)
            }
            None => request.body.is_empty(),
        })
        .and(auth)
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(op.response_example(200))
                .insert_header("x-request-id", REQUEST_ID),
        )
        .expect(1)
        .named(format!(
            "documented sample {} {}",
            op.method, op.sample_path
        ))
        .mount(&server)
        .await;
    server
}

/// A mock server answering anything with `status` and `body` (JSON, or raw text).
pub async fn serve_status(status: u16, body: &Value) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let template =
        wiremock::ResponseTemplate::new(status).insert_header("x-request-id", REQUEST_ID);
    let template = match body {
        Value::String(text) => template.set_body_raw(text.clone(), "text/html"),
        json => template.set_body_json(json),
    };
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// A runtime that never retries, for error tests.
pub fn single_attempt(credentials: dbplane_core::Credentials) -> dbplane_core::Runtime {
    dbplane_core::Runtime::builder(credentials)
        .retry(dbplane_core::RetryPolicy::disabled())
        .build()
        .expect("runtime builds")
}

/// A runtime whose signatures are dated [`reference_time`].
pub fn at_reference_time(credentials: dbplane_core::Credentials) -> dbplane_core::Runtime {
    dbplane_core::Runtime::builder(credentials)
        .clock(dbplane_core::Clock::fixed(reference_time()))
        .retry(dbplane_core::RetryPolicy::disabled())
        .build()
        .expect("runtime builds")
}

/// The research file's test access key and secret key.
pub const AK: &str = "AKEXAMPLE0000000000";
/// See [`AK`].
pub const SK: &str = "SKEXAMPLE0000000000000000000000000000000";

/// A page a gateway might answer with instead of JSON.
pub const HTML_502: &str =
    "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

/// Characters that would change a path's shape if sent unencoded.
pub const HOSTILE_ID: &str = "a?b#c%d e..f~g-é-0123456789abcdef0123";

/// Matches a header whose whole value is `expected` (wiremock's `header` splits values on
/// commas, which an `Authorization` header contains).
pub fn header_is(name: &'static str, expected: &str) -> impl wiremock::Match + 'static {
    let expected = expected.to_string();
    move |request: &wiremock::Request| {
        request.headers.get(name).and_then(|v| v.to_str().ok()) == Some(expected.as_str())
    }
}

/// The README's examples compile (`cargo test --doc -p contract-tests`).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme {}

/// Each operation called with its documented sample's parameters, read from the spec.
pub mod calls {
    use dbplane_core::{CallExt, Error};
    use dbplane_huaweicloud::{dbss, dws};
    use dbplane_oceanbase::ocp;
    use dbplane_otc::rds;
    use progenitor_client::ResponseValue;

    use super::Operation;

    /// The DBSS operation of `specs/huaweicloud/dbss.yaml`.
    pub fn dbss_op() -> Operation {
        Operation::load("huaweicloud/dbss.yaml", "stop_db_om_instance")
    }

    /// The DWS operation of `specs/huaweicloud/dws.yaml`.
    pub fn dws_op() -> Operation {
        Operation::load("huaweicloud/dws.yaml", "pause_disaster_recovery")
    }

    /// The RDS operation of `specs/otc/rds.yaml`.
    pub fn rds_op() -> Operation {
        Operation::load("otc/rds.yaml", "stop_instance")
    }

    /// The OCP operation of `specs/oceanbase/ocp.yaml`.
    pub fn ocp_op() -> Operation {
        Operation::load("oceanbase/ocp.yaml", "stopBackupSchedule")
    }

    /// `stop_db_om_instance` with the documented sample's ids.
    pub async fn stop_db_om_instance(
        client: &dbss::Client,
    ) -> Result<ResponseValue<dbss::types::StopDbOmInstanceResponse>, Error> {
        let op = dbss_op();
        client
            .stop_db_om_instance()
            .project_id(op.str_param("project_id").as_str())
            .instance_id(op.str_param("instance_id").as_str())
            .send()
            .outcome()
            .await
    }

    /// `pause_disaster_recovery` with the documented sample's ids.
    pub async fn pause_disaster_recovery(
        client: &dws::Client,
    ) -> Result<ResponseValue<dws::types::DisasterRecoveryResp>, Error> {
        let op = dws_op();
        client
            .pause_disaster_recovery()
            .project_id(op.str_param("project_id").as_str())
            .disaster_recovery_id(op.str_param("disaster_recovery_id").as_str())
            .send()
            .outcome()
            .await
    }

    /// `stop_instance` with the documented sample's ids.
    pub async fn stop_instance(
        client: &rds::Client,
    ) -> Result<ResponseValue<rds::types::StopInstanceResponse>, Error> {
        let op = rds_op();
        client
            .stop_instance()
            .project_id(op.str_param("project_id").as_str())
            .instance_id(op.str_param("instance_id").as_str())
            .send()
            .outcome()
            .await
    }

    /// `stop_backup_schedule` with the documented sample's ids.
    pub async fn stop_backup_schedule(
        client: &ocp::Client,
    ) -> Result<ResponseValue<ocp::types::BackupCommonResult>, Error> {
        let op = ocp_op();
        client
            .stop_backup_schedule()
            .id(op.int_param("id"))
            .tenant_id(op.int_param("tenantId"))
            .send()
            .outcome()
            .await
    }
}

/// Answers every documented error status of `op` with its documented example, calls the
/// operation through `call(base_url)`, and returns each status, example and error.
pub async fn each_documented_error<F, Fut>(
    op: &Operation,
    call: F,
) -> Vec<(u16, Value, dbplane_core::Error)>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = dbplane_core::Error>,
{
    let mut out = Vec::new();
    for status in op.error_statuses() {
        let documented = op.response_example(status);
        let server = serve_status(status, &documented).await;
        out.push((status, documented, call(server.uri()).await));
    }
    out
}

/// Checks a Huawei Cloud / OTC error against its documented body (`error_code`, `error_msg`)
/// and the mock's request id.
pub fn assert_documented_error(error: &dbplane_core::Error, status: u16, documented: &Value) {
    let api = error
        .api()
        .unwrap_or_else(|| panic!("HTTP {status}: not a vendor error: {error:?}"));
    assert_eq!(
        (
            api.status,
            api.code.as_deref(),
            api.message.as_deref(),
            api.request_id.as_deref()
        ),
        (
            status,
            documented["error_code"].as_str(),
            documented["error_msg"].as_str(),
            Some(REQUEST_ID)
        ),
        "HTTP {status}"
    );
    let line = error.to_string();
    assert!(
        line.contains(&format!("HTTP {status}")) && line.contains(REQUEST_ID),
        "{line}"
    );
}

/// The official SDK's wire requests (`tests/vectors/sdk/wire/<service>.json`, made by
/// `make_wire_vectors.py` from the same inputs as the documented samples), and how a request
/// differs from the SDK's.
pub mod sdk_wire {
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    use serde_json::Value;

    /// The SDK's request for `operation` of `service` (`rds`), if the SDK has one. The
    /// vectors are read once per test binary, not once per contract test.
    pub fn vector(service: &str, operation: &str) -> Option<&'static Value> {
        static VECTORS: OnceLock<BTreeMap<String, Value>> = OnceLock::new();
        let vectors = VECTORS.get_or_init(|| {
            let folder = super::workspace_root().join("tests/vectors/sdk/wire");
            std::fs::read_dir(&folder)
                .expect("the wire vectors are committed")
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|e| e == "json"))
                .map(|path| {
                    let text = std::fs::read_to_string(&path).expect("readable vectors");
                    let service = path
                        .file_stem()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    (
                        service,
                        serde_json::from_str(&text).expect("the wire vectors are JSON"),
                    )
                })
                .collect()
        });
        vectors.get(service)?["operations"]
            .as_array()?
            .iter()
            .find(|v| v["operation"] == operation)
    }

    /// Every accepted difference (`tests/vectors/sdk/wire/accepted.yaml`): difference → why.
    pub fn accepted() -> &'static BTreeMap<String, String> {
        static ACCEPTED: OnceLock<BTreeMap<String, String>> = OnceLock::new();
        ACCEPTED.get_or_init(|| {
            let path = super::workspace_root().join("tests/vectors/sdk/wire/accepted.yaml");
            let text = std::fs::read_to_string(&path).expect("the accepted list is committed");
            serde_norway::from_str(&text).expect("a map of difference to reason")
        })
    }

    /// How a request (method, path, decoded query pairs, JSON body) differs from the SDK's,
    /// one line each, prefixed `service operation:`.
    pub fn differences(
        service: &str,
        vector: &Value,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Vec<String> {
        let operation = vector["operation"].as_str().unwrap_or_default();
        let mut out = Vec::new();
        let mut say = |what: String| out.push(format!("{service} {operation}: {what}"));
        if vector["method"] != method {
            say(format!("method {method}, the SDK's {}", vector["method"]));
        }
        let decode = |p: &str| {
            percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned()
        };
        let sdk_path = vector["path"].as_str().unwrap_or_default();
        if decode(sdk_path) != decode(path) {
            say(format!("path {path}, the SDK's {sdk_path}"));
        }
        let mut ours: Vec<(String, String)> = query.to_vec();
        ours.sort();
        let mut theirs: Vec<(String, String)> =
            url::form_urlencoded::parse(vector["query"].as_str().unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        theirs.sort();
        for (name, value) in &ours {
            if !theirs.iter().any(|(n, v)| n == name && v == value) {
                match theirs.iter().find(|(n, _)| n == name) {
                    Some((_, v)) => say(format!("query `{name}`: `{value}`, the SDK's `{v}`")),
                    None => say(format!("query `{name}` the SDK does not send")),
                }
            }
        }
        for (name, _) in theirs
            .iter()
            .filter(|(n, _)| !ours.iter().any(|(o, _)| o == n))
        {
            say(format!("query `{name}` only the SDK sends"));
        }
        let empty = Value::Null;
        let sdk_body = &vector["body"];
        body_differences(body.unwrap_or(&empty), sdk_body, "", &mut say);
        out
    }

    fn body_differences(ours: &Value, theirs: &Value, at: &str, say: &mut dyn FnMut(String)) {
        let field = |name: &str| {
            if at.is_empty() {
                name.to_string()
            } else {
                format!("{at}.{name}")
            }
        };
        match (ours, theirs) {
            (Value::Object(a), Value::Object(b)) => {
                for (name, value) in a {
                    match b.get(name) {
                        Some(other) => body_differences(value, other, &field(name), say),
                        None => say(format!(
                            "body field `{}` is not in the SDK's model (it drops it)",
                            field(name)
                        )),
                    }
                }
                for name in b.keys().filter(|n| !a.contains_key(*n)) {
                    say(format!("body field `{}` only the SDK sends", field(name)));
                }
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    body_differences(x, y, &format!("{at}[{i}]"), say);
                }
            }
            (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
            (a, b) if a == b => {}
            (Value::Null, b) => say(format!("a body only the SDK sends: {b}")),
            (a, Value::Null) if at.is_empty() => say(format!("a body the SDK does not send: {a}")),
            (a, b) => say(format!("body field `{at}`: {a}, the SDK's {b}")),
        }
    }
}

/// The documented sample of one operation, for the generated contract tests
/// (`tests/tests/contracts.rs`).
pub mod sample {
    use serde_json::Value;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// An operation's sample request and documented success answer, read from its spec.
    pub struct Sample {
        spec: String,
        id: String,
        method: String,
        path: String,
        query: Vec<(String, String)>,
        body: Option<Value>,
        status: u16,
        answer: Value,
    }

    impl Sample {
        /// The sample of `operation_id` in `specs/<spec>`.
        pub fn load(spec: &str, operation_id: &str) -> Self {
            let path = super::workspace_root().join("specs").join(spec);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let doc: Value =
                serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let op = dbplane_spec::operations(&doc)
                .find(|o| o.id() == Some(operation_id))
                .unwrap_or_else(|| panic!("{operation_id} is not in {spec}"));
            let sample = &op.op["x-dbplane-sample-request"];
            let (status, response) = op
                .success(&doc)
                .map(|(status, response)| (status, response.clone()))
                .expect("a documented success answer");
            Self {
                spec: spec.to_string(),
                id: operation_id.to_string(),
                method: op.method.to_ascii_uppercase(),
                path: sample["path"].as_str().expect("sample path").to_string(),
                query: pairs(sample["query"].as_str().unwrap_or_default()),
                body: sample.get("body").cloned(),
                status,
                answer: response["content"]["application/json"]["example"].clone(),
            }
        }

        /// A server that answers the documented answer to exactly the documented request.
        pub async fn serve(&self) -> MockServer {
            let server = MockServer::start().await;
            let (method, path, query, body) = (
                self.method.clone(),
                self.path.clone(),
                self.query.clone(),
                self.body.clone(),
            );
            let mut expected_query = query.clone();
            expected_query.sort();
            Mock::given(move |request: &wiremock::Request| {
                let mut sent = pairs(request.url.query().unwrap_or_default());
                sent.sort();
                let body_matches = match &body {
                    Some(expected) => {
                        serde_json::from_slice::<Value>(&request.body).ok().as_ref()
                            == Some(expected)
                    }
                    None => request.body.is_empty(),
                };
                request.method.as_str() == method
                    && request.url.path() == path
                    && sent == expected_query
                    && body_matches
                    && !request.headers.contains_key("api-version")
            })
            .respond_with(
                ResponseTemplate::new(self.status)
                    .insert_header("x-request-id", super::REQUEST_ID)
                    .set_body_json(&self.answer),
            )
            .expect(1)
            .named(format!("the documented sample of {}", self.id))
            .mount(&server)
            .await;
            server
        }

        /// The call succeeded with the documented answer, decoded and re-encoded unchanged,
        /// and the documented request arrived once.
        pub async fn check<T: serde::Serialize>(
            &self,
            server: &MockServer,
            answer: Result<progenitor_client::ResponseValue<T>, dbplane_core::Error>,
        ) {
            let received = server.received_requests().await.unwrap_or_default();
            let shown: Vec<String> = received.iter().map(super::render).collect();
            let answer = answer.unwrap_or_else(|e| {
                panic!(
                    "{}: the sample call failed: {e}\nsent:\n{}",
                    self.id,
                    shown.join("\n")
                )
            });
            assert_eq!(answer.status().as_u16(), self.status, "{}", self.id);
            self.check_against_the_sdk(&received);
            let decoded = serde_json::to_value(answer.into_inner()).expect("the answer serialises");
            assert_eq!(
                normalise(decoded),
                normalise(self.answer.clone()),
                "{}: the documented answer does not round-trip",
                self.id
            );
            server.verify().await;
        }
    }

    impl Sample {
        /// The request the generated client sent, against the official SDK's for the same
        /// inputs: every difference must be accepted, with its reason.
        fn check_against_the_sdk(&self, received: &[wiremock::Request]) {
            let service = self
                .spec
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".yaml");
            let Some(vector) = super::sdk_wire::vector(service, &self.id) else {
                return;
            };
            let [request] = received else { return };
            let body = serde_json::from_slice::<Value>(&request.body).ok();
            let query = pairs(request.url.query().unwrap_or_default());
            let accepted = super::sdk_wire::accepted();
            let unexplained: Vec<String> = super::sdk_wire::differences(
                service,
                vector,
                request.method.as_str(),
                request.url.path(),
                &query,
                body.as_ref(),
            )
            .into_iter()
            .filter(|d| !accepted.contains_key(d))
            .collect();
            assert!(
                unexplained.is_empty(),
                "{}: the request differs from the official SDK's, and tests/vectors/sdk/wire/accepted.yaml does not say why:\n{}",
                self.id,
                unexplained.join("\n")
            );
        }
    }

    /// `k=v&k2=v2`, percent-decoded (`+` as a space, as servers decode queries).
    fn pairs(query: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    /// Drops what serialisation leaves out: `null` and empty lists.
    pub fn normalise(value: Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                    .map(|(k, v)| (k, normalise(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
            // A `number` field reads 2803 as 2803.0: equal numbers are the same answer.
            Value::Number(n) => n.as_f64().map(Value::from).unwrap_or(Value::Number(n)),
            other => other,
        }
    }
}

/// A credential header the mock accepts for `spec`'s security scheme (a token header, or
/// HTTP Basic).
pub fn credential_header(spec: &serde_json::Value) -> (String, String) {
    use serde_json::Value;
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for (_, scheme) in schemes.into_iter().flatten() {
        match scheme["type"].as_str() {
            Some("http") => return ("authorization".into(), "Basic YWRtaW46cHc=".into()),
            Some("apiKey") if scheme["x-dbplane-authorization-prefix"].is_null() => {
                return (
                    scheme["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    "token".into(),
                )
            }
            _ => {}
        }
    }
    ("authorization".into(), "Basic YWRtaW46cHc=".into())
}
