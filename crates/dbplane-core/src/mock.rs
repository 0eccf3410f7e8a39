//! A mock of a vendor API, driven by its OpenAPI spec (feature `mock`).
//!
//! Every operation answers its documented sample response. A request that breaks the spec
//! gets a 4xx JSON explanation: unknown path (404), wrong method (405), a path parameter
//! outside its constraints or a body that does not fit its schema (400), or no credentials of
//! the spec's security schemes (401).

use std::fmt;
use std::net::TcpListener;

use serde_json::{json, Value};
pub use wiremock::MockServer;
use wiremock::{Mock, Request, Respond, ResponseTemplate};

/// Starts a mock of the given specs (JSON text, as the vendor crates embed them) on a free
/// port of 127.0.0.1.
pub async fn start(specs: &[&str]) -> MockServer {
    let mut mock = SpecMock::new();
    for spec in specs {
        mock = mock
            .with_spec_json(spec)
            .unwrap_or_else(|e| panic!("an embedded spec does not load: {e}"));
    }
    mock.start().await
}

/// One or more specs served together.
#[derive(Clone, Default)]
pub struct SpecMock {
    specs: Vec<Value>,
    log: bool,
}

impl fmt::Debug for SpecMock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpecMock")
            .field("specs", &self.specs.len())
            .finish()
    }
}

/// A request the mock refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// HTTP status of the refusal.
    pub status: u16,
    /// Machine-readable reason (`MOCK.METHOD`, `MOCK.PARAMETER`, …).
    pub code: &'static str,
    /// What was wrong, for a person.
    pub message: String,
}

impl SpecMock {
    /// An empty mock; add specs with [`SpecMock::with_spec`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a spec given as JSON text (the vendor crates embed theirs as `SPEC_JSON`).
    pub fn with_spec_json(self, text: &str) -> Result<Self, String> {
        let spec = serde_json::from_str(text).map_err(|e| format!("the spec is not JSON: {e}"))?;
        self.with_spec(spec)
    }

    /// Adds a parsed spec.
    pub fn with_spec(mut self, spec: Value) -> Result<Self, String> {
        if spec.get("paths").and_then(Value::as_object).is_none() {
            return Err("not an OpenAPI document: no `paths`".into());
        }
        self.specs.push(spec);
        Ok(self)
    }

    /// Prints one line per request received (method, path, status, reason).
    pub fn logging(mut self, log: bool) -> Self {
        self.log = log;
        self
    }

    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start(self) -> MockServer {
        let server = MockServer::start().await;
        self.mount(&server).await;
        server
    }

    /// Starts a server on `listener` (e.g. a fixed port).
    pub async fn start_on(self, listener: TcpListener) -> MockServer {
        let server = MockServer::builder().listener(listener).start().await;
        self.mount(&server).await;
        server
    }

    async fn mount(self, server: &MockServer) {
        Mock::given(wiremock::matchers::any())
            .respond_with(self)
            .mount(server)
            .await;
    }

    /// The documented answer to `request`, or why it is refused.
    pub fn answer(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<(u16, Value), Rejection> {
        let mut method_mismatch = None;
        for spec in &self.specs {
            let paths = spec["paths"].as_object().into_iter().flatten();
            for (template, item) in paths {
                let Some(params) = match_path(template, path) else {
                    continue;
                };
                let Some(op) = item.get(method.to_ascii_lowercase()) else {
                    method_mismatch = Some(template.clone());
                    continue;
                };
                let operation = Operation { spec, op };
                operation.check_parameters(&params)?;
                operation.check_credentials(headers)?;
                operation.check_body(body)?;
                return Ok(operation.documented_answer());
            }
        }
        Err(match method_mismatch {
            Some(template) => reject(
                405,
                "MOCK.METHOD",
                format!("{method} is not documented for {template}"),
            ),
            None => reject(
                404,
                "MOCK.PATH",
                format!("no documented operation has the path {path}"),
            ),
        })
    }
}

fn reject(status: u16, code: &'static str, message: String) -> Rejection {
    Rejection {
        status,
        code,
        message,
    }
}

/// Path parameters by name when `path` has the template's shape.
fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let wanted: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let given: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if wanted.len() != given.len() {
        return None;
    }
    let mut params = Vec::new();
    for (w, g) in wanted.iter().zip(&given) {
        match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) => {
                let value = percent_encoding::percent_decode_str(g)
                    .decode_utf8_lossy()
                    .into_owned();
                params.push((name.to_string(), value));
            }
            None if w == g => {}
            None => return None,
        }
    }
    Some(params)
}

struct Operation<'a> {
    spec: &'a Value,
    op: &'a Value,
}

impl Operation<'_> {
    fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        resolve(self.spec, value)
    }

    fn check_parameters(&self, params: &[(String, String)]) -> Result<(), Rejection> {
        let declared = self.op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| self.resolve(p));
        for param in declared.filter(|p| p["in"] == "path") {
            let name = param["name"].as_str().unwrap_or_default();
            let value = params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            let schema = self.resolve(&param["schema"]);
            let instance = match schema["type"].as_str() {
                Some("integer") => match value.parse::<i64>() {
                    Ok(n) => json!(n),
                    Err(_) => {
                        return Err(reject(
                            400,
                            "MOCK.PARAMETER",
                            format!("path parameter `{name}` must be an integer, got `{value}`"),
                        ))
                    }
                },
                _ => json!(value),
            };
            validate(self.spec, schema, &instance).map_err(|why| {
                reject(
                    400,
                    "MOCK.PARAMETER",
                    format!("path parameter `{name}` = `{value}`: {why}"),
                )
            })?;
        }
        Ok(())
    }

    fn check_credentials(&self, headers: &[(&str, &str)]) -> Result<(), Rejection> {
        let requirements = self
            .op
            .get("security")
            .or_else(|| self.spec.get("security"));
        let Some(alternatives) = requirements
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            return Ok(());
        };
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
                .filter(|v| !v.is_empty())
        };
        let schemes = &self.spec["components"]["securitySchemes"];
        let mut accepted = Vec::new();
        for alternative in alternatives.iter().filter_map(Value::as_object) {
            for name in alternative.keys() {
                let scheme = &schemes[name];
                let (header_name, prefix) = match scheme["type"].as_str() {
                    Some("http") => ("authorization", "Basic "),
                    _ => (
                        scheme["name"].as_str().unwrap_or_default(),
                        scheme["x-dbplane-authorization-prefix"]
                            .as_str()
                            .unwrap_or_default(),
                    ),
                };
                if header(header_name).is_some_and(|v| v.starts_with(prefix)) {
                    return Ok(());
                }
                accepted.push(if prefix.is_empty() {
                    header_name.to_string()
                } else {
                    format!("{header_name}: {}…", prefix.trim_end())
                });
            }
        }
        Err(reject(
            401,
            "MOCK.CREDENTIALS",
            format!("no credentials: send one of {}", accepted.join(", ")),
        ))
    }

    fn check_body(&self, body: &[u8]) -> Result<(), Rejection> {
        let Some(request_body) = self.op.get("requestBody").map(|b| self.resolve(b)) else {
            return Ok(());
        };
        if body.is_empty() {
            return match request_body["required"].as_bool() {
                Some(true) => Err(reject(400, "MOCK.BODY", "a JSON body is required".into())),
                _ => Ok(()),
            };
        }
        let instance: Value = serde_json::from_slice(body)
            .map_err(|e| reject(400, "MOCK.BODY", format!("the body is not JSON: {e}")))?;
        let schema = &request_body["content"]["application/json"]["schema"];
        validate(self.spec, schema, &instance).map_err(|why| {
            reject(
                400,
                "MOCK.BODY",
                format!("the body does not fit its schema: {why}"),
            )
        })
    }

    fn documented_answer(&self) -> (u16, Value) {
        let responses = self.op["responses"].as_object().into_iter().flatten();
        let success = responses
            .filter(|(status, _)| status.starts_with('2'))
            .min_by_key(|(status, _)| status.as_str());
        match success {
            Some((status, response)) => (
                status.parse().unwrap_or(200),
                self.resolve(response)["content"]["application/json"]["example"].clone(),
            ),
            None => (200, Value::Null),
        }
    }
}

/// The HTTP methods an OpenAPI path item can hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a spec.
#[derive(Debug, Clone, Copy)]
pub struct SpecOperation<'a> {
    /// The path template.
    pub path: &'a str,
    /// The method, lower case as in the spec.
    pub method: &'a str,
    /// The operation object.
    pub op: &'a Value,
}

/// Every operation of `spec`, in the spec's order.
pub fn operations(spec: &Value) -> impl Iterator<Item = SpecOperation<'_>> {
    spec["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .map(move |(method, op)| SpecOperation { path, method, op })
        })
}

/// Follows local `$ref`s (`#/components/...`) in `spec`; other values are returned as they are.
pub fn resolve<'v>(spec: &'v Value, value: &'v Value) -> &'v Value {
    let mut current = value;
    for _ in 0..16 {
        let target = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'));
        match target.and_then(|pointer| spec.pointer(pointer)) {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

/// Validates `instance` against an OpenAPI schema of `spec`, resolving `#/components/...` refs.
pub fn validate(spec: &Value, schema: &Value, instance: &Value) -> Result<(), String> {
    let root = json!({
        "components": spec.get("components").cloned().unwrap_or(Value::Null),
        "allOf": [schema],
    });
    let validator =
        jsonschema::validator_for(&root).map_err(|e| format!("schema is not usable: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} (at `{}`)", e, e.instance_path))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

impl Respond for SpecMock {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
            .collect();
        let path = request.url.path();
        let answer = self.answer(request.method.as_str(), path, &headers, &request.body);
        let (status, body, reason) = match answer {
            Ok((status, body)) => (status, body, String::new()),
            Err(r) => (
                r.status,
                json!({"error_code": r.code, "error_msg": r.message}),
                format!(" {}: {}", r.code, r.message),
            ),
        };
        if self.log {
            println!("{} {} -> {status}{reason}", request.method, path);
        }
        ResponseTemplate::new(status)
            .set_body_json(body)
            .insert_header("x-request-id", "dbplane-mock")
    }
}
