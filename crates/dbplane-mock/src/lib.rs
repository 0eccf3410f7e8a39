//! A mock of a vendor API, driven by its OpenAPI spec.
//!
//! Every operation answers its documented sample response. A request that breaks the spec
//! gets a 4xx explanation in the vendor's own error envelope (the spec's
//! `info.x-dbplane-error-template`): unknown path (404), wrong method (405, with `Allow`),
//! a missing or malformed parameter (400), no credentials of the spec's security schemes
//! (401), a body of an undeclared content type (415), a body that does not fit its schema or
//! is sent to an operation that takes none (400), a body over the size limit (413).
//!
//! ```no_run
//! # async fn run() {
//! let spec = r#"{"paths": {"/ping": {"get": {"responses": {"200": {"description": "ok",
//!     "content": {"application/json": {"example": {"pong": true}}}}}}}}}"#;
//! let server = dbplane_mock::SpecMock::new().with_spec_json(spec).unwrap().start().await.unwrap();
//! println!("{}", server.uri());
//! # }
//! ```

mod scenario;
mod server;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use dbplane_spec::{operations, resolve, typed_value, SpecOperation, Validator};
use serde_json::{json, Value};

pub use scenario::{Scenario, Step};
pub use server::MockServer;

/// The largest request body the mock reads.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// One or more specs served together.
#[derive(Default)]
pub struct SpecMock {
    specs: Vec<Value>,
    /// Each spec's operations by path length, made when the spec is added.
    routes: Vec<Routes>,
    log: bool,
    scenarios: Vec<Scenario>,
    validators: Validators,
}

impl Clone for SpecMock {
    /// A copy with its own (empty) store of compiled schemas.
    fn clone(&self) -> Self {
        Self {
            specs: self.specs.clone(),
            routes: self.routes.clone(),
            log: self.log,
            scenarios: self.scenarios.clone(),
            validators: Validators::default(),
        }
    }
}

/// A spec's operations by the number of segments of their path templates, in the spec's
/// order: a request is matched against the templates of its own length only, literal
/// segments compared as they are (what `path_params` would compare).
#[derive(Clone, Default)]
struct Routes(HashMap<usize, Vec<Route>>);

/// One operation: where it is in the spec, and its template's segments.
#[derive(Clone)]
struct Route {
    key: String,
    method: String,
    /// Each segment's literal text, `None` for a parameter.
    segments: Vec<Option<String>>,
}

/// The segments of a path or template, as `path_params` splits them.
fn segments(path: &str) -> std::str::Split<'_, char> {
    path.trim_start_matches('/').split('/')
}

impl Routes {
    fn of(spec: &Value) -> Self {
        let mut routes: HashMap<usize, Vec<Route>> = HashMap::new();
        for op in operations(spec) {
            let segments: Vec<Option<String>> = segments(op.path)
                .map(|s| match s.starts_with('{') && s.ends_with('}') {
                    true => None,
                    false => Some(s.to_string()),
                })
                .collect();
            routes.entry(segments.len()).or_default().push(Route {
                key: op.key.to_string(),
                method: op.method.to_string(),
                segments,
            });
        }
        Self(routes)
    }

    /// The routes whose templates `path` may fill, in the spec's order.
    fn matching<'r>(&'r self, path: &'r str) -> impl Iterator<Item = &'r Route> + 'r {
        self.0
            .get(&segments(path).count())
            .into_iter()
            .flatten()
            .filter(move |route| {
                route
                    .segments
                    .iter()
                    .zip(segments(path))
                    .all(|(wanted, given)| wanted.as_deref().is_none_or(|w| w == given))
            })
    }
}

impl Route {
    /// The operation in `spec`, the spec the route was made from.
    fn operation<'s>(&self, spec: &'s Value) -> Option<SpecOperation<'s>> {
        let (key, item) = spec["paths"].as_object()?.get_key_value(&self.key)?;
        let (method, op) = item.as_object()?.get_key_value(&self.method)?;
        Some(SpecOperation {
            path: key.split_once('#').map_or(key.as_str(), |(p, _)| p),
            key,
            method,
            op,
            item,
        })
    }
}

/// Each schema the mock has checked a request against, compiled on first use: a spec holds
/// finitely many schemas, so the store is bounded by the specs. Keyed by the schema's place in
/// the specs, which the mock owns and never changes while it answers (adding a spec starts a
/// new store).
#[derive(Default)]
struct Validators(RwLock<HashMap<usize, Arc<Result<Validator, String>>>>);

impl Validators {
    /// Checks `instance` against `schema`, a value inside `spec`.
    fn check(&self, spec: &Value, schema: &Value, instance: &Value) -> Result<(), String> {
        let key = schema as *const Value as usize;
        let known = self
            .0
            .read()
            .ok()
            .and_then(|store| store.get(&key).cloned());
        let validator = match known {
            Some(validator) => validator,
            None => {
                let compiled = Arc::new(Validator::new(spec, schema));
                if let Ok(mut store) = self.0.write() {
                    store.insert(key, compiled.clone());
                }
                compiled
            }
        };
        match validator.as_ref() {
            Ok(validator) => validator.check(instance),
            Err(why) => Err(why.clone()),
        }
    }
}

impl fmt::Debug for SpecMock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpecMock")
            .field("specs", &self.specs.len())
            .field("scenarios", &self.scenarios.len())
            .finish()
    }
}

/// A request, as the mock judges it.
#[derive(Debug, Clone, Copy)]
pub struct MockRequest<'a> {
    /// The method, as sent.
    pub method: &'a str,
    /// The path, percent-encoded as sent.
    pub path: &'a str,
    /// The query string, if any.
    pub query: Option<&'a str>,
    /// The headers.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

impl MockRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The query's pairs, percent-decoded (`+` is a space, as form encoding has it).
    fn query_pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }
}

/// What the mock answers.
#[derive(Debug, Clone, PartialEq)]
pub struct MockAnswer {
    /// HTTP status.
    pub status: u16,
    /// Extra headers (`Allow` on a 405).
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Value,
    /// Why the request was refused (`MOCK.METHOD: …`), for the log.
    pub refusal: Option<String>,
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
    /// Extra headers.
    pub headers: Vec<(String, String)>,
}

fn reject(status: u16, code: &'static str, message: String) -> Rejection {
    Rejection {
        status,
        code,
        message,
        headers: Vec::new(),
    }
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

    /// A mock of the specs a vendor crate embeds (`SPEC_JSON`), with their scenarios.
    pub fn of_embedded(specs: &[&str]) -> std::io::Result<Self> {
        specs
            .iter()
            .try_fold(Self::new(), |mock, spec| mock.with_spec_json(spec))
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Adds a parsed spec, with the scenarios it declares.
    pub fn with_spec(mut self, spec: Value) -> Result<Self, String> {
        if spec.get("paths").and_then(Value::as_object).is_none() {
            return Err("not an OpenAPI document: no `paths`".into());
        }
        self.scenarios.extend(Scenario::from_spec(&spec)?);
        self.routes.push(Routes::of(&spec));
        self.specs.push(spec);
        self.validators = Validators::default();
        Ok(self)
    }

    /// Adds a stateful scenario (see [`Scenario`]), chosen per request by its URL prefix.
    pub fn with_scenario(mut self, scenario: Scenario) -> Self {
        self.scenarios.push(scenario);
        self
    }

    /// Prints one line per request received (method, path, status, reason).
    pub fn logging(mut self, log: bool) -> Self {
        self.log = log;
        self
    }

    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start(self) -> std::io::Result<MockServer> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        self.start_on(listener).await
    }

    /// Starts a server on `listener` (e.g. a fixed port).
    pub async fn start_on(self, listener: std::net::TcpListener) -> std::io::Result<MockServer> {
        server::serve(self, listener).await
    }

    /// The answer to `request`: the documented sample, a scenario's step, or a refusal in
    /// the vendor's envelope.
    pub fn answer(&self, request: &MockRequest<'_>) -> MockAnswer {
        let (scenario, path) = scenario::select(&self.scenarios, request.path);
        if scenario.is_none() && request.path.starts_with(scenario::PREFIX) {
            let rejection = reject(
                404,
                "MOCK.SCENARIO",
                format!("no scenario is named in {}", request.path),
            );
            return MockAnswer {
                status: 404,
                headers: Vec::new(),
                body: error_envelope(self.specs.first(), &rejection),
                refusal: Some(format!("{}: {}", rejection.code, rejection.message)),
            };
        }
        let request = MockRequest { path, ..*request };
        match self.find(&request) {
            Ok((spec, op)) => {
                let (status, body) = match scenario {
                    Some(scenario) => scenario.answer(spec, &op, &request),
                    None => documented_answer(spec, op.op),
                };
                MockAnswer {
                    status,
                    headers: Vec::new(),
                    body,
                    refusal: None,
                }
            }
            Err((spec, rejection)) => MockAnswer {
                status: rejection.status,
                body: error_envelope(spec, &rejection),
                refusal: Some(format!("{}: {}", rejection.code, rejection.message)),
                headers: rejection.headers,
            },
        }
    }

    /// The operation `request` calls, checked against its spec.
    fn find<'s>(
        &'s self,
        request: &MockRequest<'_>,
    ) -> Result<(&'s Value, SpecOperation<'s>), (Option<&'s Value>, Rejection)> {
        let mut allowed: Option<(&Value, String, Vec<String>)> = None;
        let mut refused = None;
        for (spec, routes) in self.specs.iter().zip(&self.routes) {
            let mut candidates: Vec<_> = routes
                .matching(request.path)
                .filter_map(|route| route.operation(spec))
                .filter_map(|op| {
                    dbplane_spec::path_params(op.path, request.path).map(|params| (op, params))
                })
                .collect();
            // A literal segment is more specific than a parameter (`/instances/recycle-policy`
            // before `/instances/{instance_id}`); the sort is stable, so spec order breaks ties.
            candidates.sort_by_key(|(_, params)| params.len());
            for (op, params) in candidates {
                if !op.method.eq_ignore_ascii_case(request.method) {
                    let entry =
                        allowed.get_or_insert_with(|| (spec, op.path.to_string(), Vec::new()));
                    if entry.1 == op.path {
                        entry.2.push(op.method.to_ascii_uppercase());
                    }
                    continue;
                }
                // Operations sharing a method and template are told apart by their bodies:
                // the first one whose checks pass answers, else the first one's refusal.
                match (Check {
                    spec,
                    op: &op,
                    request,
                    validators: &self.validators,
                })
                .all(&params)
                {
                    Ok(checked) => return Ok((spec, checked)),
                    Err(rejection) => {
                        refused.get_or_insert((Some(spec), rejection));
                    }
                }
            }
        }
        if let Some(refused) = refused {
            return Err(refused);
        }
        Err(match allowed {
            Some((spec, template, methods)) => {
                let mut rejection = reject(
                    405,
                    "MOCK.METHOD",
                    format!("{} is not documented for {template}", request.method),
                );
                rejection.headers.push(("allow".into(), methods.join(", ")));
                (Some(spec), rejection)
            }
            None => (
                self.specs.first(),
                reject(
                    404,
                    "MOCK.PATH",
                    format!("no documented operation has the path {}", request.path),
                ),
            ),
        })
    }
}

/// A path parameter's name and its decoded value (or why it has none).
type PathParam = (String, Result<String, dbplane_spec::BadPathValue>);

/// The checks of one request against one operation.
struct Check<'s, 'r> {
    spec: &'s Value,
    op: &'r SpecOperation<'s>,
    request: &'r MockRequest<'r>,
    validators: &'r Validators,
}

impl<'s> Check<'s, '_> {
    fn all(self, path_params: &[PathParam]) -> Result<SpecOperation<'s>, Rejection> {
        self.parameters(path_params)?;
        self.credentials()?;
        self.body()?;
        Ok(*self.op)
    }

    fn parameters(&self, path_params: &[PathParam]) -> Result<(), Rejection> {
        let query = self.request.query_pairs();
        for param in self.op.parameters(self.spec) {
            let name = param["name"].as_str().unwrap_or_default();
            let location = param["in"].as_str().unwrap_or_default();
            let value = match location {
                "path" => match path_params.iter().find(|(n, _)| n == name) {
                    Some((_, Err(why))) => {
                        return Err(reject(
                            400,
                            "MOCK.PARAMETER",
                            format!("path parameter `{name}` {why}"),
                        ))
                    }
                    Some((_, Ok(value))) => Some(value.clone()),
                    None => None,
                },
                "query" => query
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone()),
                "header" => self.request.header(name).map(str::to_string),
                _ => continue,
            };
            let Some(value) = value else {
                if param["required"] == Value::Bool(true) || location == "path" {
                    return Err(reject(
                        400,
                        "MOCK.PARAMETER",
                        format!("{location} parameter `{name}` is required"),
                    ));
                }
                continue;
            };
            let schema = resolve(self.spec, &param["schema"]);
            let instance = typed_value(schema, &value).map_err(|why| {
                reject(
                    400,
                    "MOCK.PARAMETER",
                    format!("{location} parameter `{name}` {why}"),
                )
            })?;
            self.validators
                .check(self.spec, schema, &instance)
                .map_err(|why| {
                    reject(
                        400,
                        "MOCK.PARAMETER",
                        format!("{location} parameter `{name}` = `{value}`: {why}"),
                    )
                })?;
        }
        Ok(())
    }

    fn credentials(&self) -> Result<(), Rejection> {
        let requirements = self
            .op
            .op
            .get("security")
            .or_else(|| self.spec.get("security"));
        let Some(alternatives) = requirements
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            return Ok(());
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
                let given = self.request.header(header_name).filter(|v| !v.is_empty());
                if given.is_some_and(|v| v.starts_with(prefix)) {
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

    fn body(&self) -> Result<(), Rejection> {
        let body = self.request.body;
        let Some(declared) = self.op.op.get("requestBody").map(|b| resolve(self.spec, b)) else {
            if body.is_empty() {
                return Ok(());
            }
            return Err(reject(
                400,
                "MOCK.BODY",
                format!("this operation takes no body, got {} bytes", body.len()),
            ));
        };
        if body.is_empty() {
            return match declared["required"].as_bool() {
                Some(true) => Err(reject(400, "MOCK.BODY", "a JSON body is required".into())),
                _ => Ok(()),
            };
        }
        let media_types: Vec<&String> = declared["content"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let given = self.request.header("content-type").unwrap_or_default();
        let essence = given
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let Some(media) = media_types
            .iter()
            .find(|m| m.eq_ignore_ascii_case(&essence))
        else {
            let shown = if given.is_empty() { "none" } else { given };
            return Err(reject(
                415,
                "MOCK.CONTENT_TYPE",
                format!(
                    "Content-Type {shown} is not documented for this body; send one of {}",
                    media_types
                        .iter()
                        .map(|m| m.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let instance: Value = serde_json::from_slice(body)
            .map_err(|e| reject(400, "MOCK.BODY", format!("the body is not JSON: {e}")))?;
        let schema = &declared["content"][media.as_str()]["schema"];
        self.validators
            .check(self.spec, schema, &instance)
            .map_err(|why| {
                reject(
                    400,
                    "MOCK.BODY",
                    format!("the body does not fit its schema: {why}"),
                )
            })
    }
}

/// The operation's documented success answer: the lowest 2xx and its example.
pub fn documented_answer(spec: &Value, op: &Value) -> (u16, Value) {
    match dbplane_spec::success_response(spec, op) {
        Some((status, response)) => {
            let media = &response["content"]["application/json"];
            let answer = match media.get("example") {
                Some(example) => example.clone(),
                // No documented sample: the least answer its schema accepts, not `null`.
                None if media.get("schema").is_some() => least_instance(spec, &media["schema"], 0),
                None => Value::Null,
            };
            (status, answer)
        }
        None => (200, Value::Null),
    }
}

/// The least value `schema` accepts: an object with its required fields, an array of its
/// `minItems`, the first enum value, a number at its minimum, a string of its `minLength`.
pub fn least_instance(spec: &Value, schema: &Value, depth: usize) -> Value {
    const MAX_DEPTH: usize = 16;
    let schema = resolve(spec, schema);
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(first) = schema["allOf"].as_array().and_then(|a| a.first()) {
        return least_instance(spec, first, depth + 1);
    }
    match schema["type"].as_str() {
        Some("object") | None
            if schema.get("properties").is_some() || schema["type"] == "object" =>
        {
            let mut object = serde_json::Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let Some(name) = name.as_str() else { continue };
                let field = &schema["properties"][name];
                object.insert(name.to_string(), least_instance(spec, field, depth + 1));
            }
            Value::Object(object)
        }
        Some("array") => {
            let count = schema["minItems"].as_u64().unwrap_or(0).min(16);
            Value::Array(
                (0..count)
                    .map(|_| least_instance(spec, &schema["items"], depth + 1))
                    .collect(),
            )
        }
        Some("integer") => serde_json::json!(schema["minimum"].as_i64().unwrap_or(0)),
        Some("number") => serde_json::json!(schema["minimum"].as_f64().unwrap_or(0.0)),
        Some("boolean") => Value::Bool(false),
        Some("string") => {
            let length = schema["minLength"].as_u64().unwrap_or(0).min(4096);
            Value::String("x".repeat(usize::try_from(length).unwrap_or(0)))
        }
        _ => Value::Null,
    }
}

/// A refusal in the vendor's envelope: the spec's `info.x-dbplane-error-template`, whose
/// strings `{code}`, `{message}` and `{status}` are filled in (else Huawei's
/// `{error_code, error_msg}`).
fn error_envelope(spec: Option<&Value>, rejection: &Rejection) -> Value {
    let default = json!({"error_code": "{code}", "error_msg": "{message}"});
    let template = spec
        .and_then(|s| s.pointer("/info/x-dbplane-error-template"))
        .unwrap_or(&default);
    fill(template, rejection)
}

fn fill(template: &Value, rejection: &Rejection) -> Value {
    match template {
        Value::String(s) if s == "{status}" => json!(rejection.status),
        Value::String(s) => Value::String(
            s.replace("{code}", rejection.code)
                .replace("{message}", &rejection.message)
                .replace("{status}", &rejection.status.to_string()),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill(v, rejection)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, rejection)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({
            "info": {"x-dbplane-error-template": {"successful": false, "status": "{status}", "error": {"code": "{code}", "message": "{message}"}}},
            "paths": {"/v1/{id}/things": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "summary": "not an operation",
                "post": {
                    "parameters": [
                        {"name": "limit", "in": "query", "required": true, "schema": {"type": "integer", "maximum": 100}},
                        {"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}}
                    ],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"example": {"ok": true}}}}}
                },
                "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"example": []}}}}}
            }}
        })
    }

    fn ask(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> MockAnswer {
        let mock = SpecMock::new().with_spec(spec()).unwrap();
        mock.answer(&MockRequest {
            method,
            path,
            query,
            headers,
            body,
        })
    }

    const GOOD: [(&str, &str); 2] = [("x-trace", "t"), ("content-type", "application/json")];

    #[test]
    fn a_conforming_request_gets_the_documented_answer() {
        let answer = ask("POST", "/v1/7/things", Some("limit=10"), &GOOD, b"{}");
        assert_eq!((answer.status, answer.body), (200, json!({"ok": true})));
    }

    #[test]
    fn refusals_follow_the_spec() {
        type Case<'a> = (
            &'a str,
            &'a str,
            Option<&'a str>,
            &'a [(&'a str, &'a str)],
            &'a [u8],
            u16,
            &'a str,
        );
        let cases: [Case; 9] = [
            (
                "POST",
                "/v1/7/things",
                Some("limit=10"),
                &[("x-trace", "t"), ("content-type", "text/plain")],
                b"{}",
                415,
                "MOCK.CONTENT_TYPE",
            ),
            (
                "POST",
                "/v1/7/things",
                Some("limit=10"),
                &[("x-trace", "t")],
                b"{}",
                415,
                "MOCK.CONTENT_TYPE",
            ),
            (
                "POST",
                "/v1/7/things",
                None,
                &GOOD,
                b"{}",
                400,
                "MOCK.PARAMETER",
            ),
            (
                "POST",
                "/v1/7/things",
                Some("limit=1000"),
                &GOOD,
                b"{}",
                400,
                "MOCK.PARAMETER",
            ),
            (
                "POST",
                "/v1/7/things",
                Some("limit=10"),
                &[("content-type", "application/json")],
                b"{}",
                400,
                "MOCK.PARAMETER",
            ),
            (
                "POST",
                "/v1/x/things",
                Some("limit=10"),
                &GOOD,
                b"{}",
                400,
                "MOCK.PARAMETER",
            ),
            ("GET", "/v1/7/things", None, &[], b"{}", 400, "MOCK.BODY"),
            (
                "PARAMETERS",
                "/v1/7/things",
                None,
                &[],
                b"",
                405,
                "MOCK.METHOD",
            ),
            (
                "SUMMARY",
                "/v1/7/things",
                None,
                &[],
                b"",
                405,
                "MOCK.METHOD",
            ),
        ];
        for (method, path, query, headers, body, status, code) in cases {
            let answer = ask(method, path, query, headers, body);
            assert_eq!(
                answer.status, status,
                "{method} {path} {query:?}: {answer:?}"
            );
            assert_eq!(answer.body["error"]["code"], code, "{answer:?}");
            assert_eq!(
                answer.body["status"], status,
                "the vendor's envelope: {answer:?}"
            );
            assert_eq!(answer.body["successful"], false);
        }
    }

    #[test]
    fn a_wrong_method_names_the_allowed_ones() {
        let answer = ask("DELETE", "/v1/7/things", None, &[], b"");
        assert_eq!(answer.status, 405);
        assert_eq!(
            answer.headers,
            vec![("allow".to_string(), "GET, POST".to_string())]
        );
    }
}
