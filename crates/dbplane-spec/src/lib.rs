//! The dbplane spec model: one place that knows how to walk an OpenAPI 3.0 spec (as JSON).
//!
//! ```
//! let spec = serde_json::json!({
//!     "paths": {"/v1/{id}": {
//!         "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
//!         "get": {"operationId": "show"}
//!     }}
//! });
//! let ops: Vec<_> = dbplane_spec::operations(&spec).collect();
//! assert_eq!((ops[0].method, ops[0].path), ("get", "/v1/{id}"));
//! assert_eq!(ops[0].parameters(&spec)[0]["name"], "id");
//! ```

use serde_json::{json, Value};

/// The HTTP methods an OpenAPI path item can hold (its other keys are not operations).
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a spec.
#[derive(Debug, Clone, Copy)]
pub struct SpecOperation<'a> {
    /// The path template, as requests use it.
    pub path: &'a str,
    /// The spec's key for the path item: the template, and for operations that share a
    /// method and template (an action API told apart by its body), `#` and a distinguishing
    /// name, which never reaches the wire.
    pub key: &'a str,
    /// The method, lower case as in the spec.
    pub method: &'a str,
    /// The operation object.
    pub op: &'a Value,
    /// The path item holding it (for its path-level `parameters`).
    pub item: &'a Value,
}

impl<'a> SpecOperation<'a> {
    /// The operation's parameters, resolved: the path item's, overridden by the operation's
    /// own of the same name and location.
    pub fn parameters(&self, spec: &'a Value) -> Vec<&'a Value> {
        let resolved = |list: &'a Value| -> Vec<&'a Value> {
            list.as_array()
                .into_iter()
                .flatten()
                .map(|p| resolve(spec, p))
                .collect()
        };
        let own = resolved(&self.op["parameters"]);
        let mut all: Vec<&Value> = resolved(&self.item["parameters"])
            .into_iter()
            .filter(|p| {
                !own.iter()
                    .any(|o| o["name"] == p["name"] && o["in"] == p["in"])
            })
            .collect();
        all.extend(own);
        all
    }

    /// The documented sample request, when the operation's page documents both a sample
    /// request and its answer (not marked [`UNDOCUMENTED`]): what a contract test replays.
    pub fn documented_sample(&self) -> Option<&'a Value> {
        if self.op.get(UNDOCUMENTED).is_some() {
            return None;
        }
        self.op.get("x-dbplane-sample-request")
    }

    /// The `operationId`, if the spec gives one.
    pub fn id(&self) -> Option<&'a str> {
        self.op["operationId"].as_str()
    }

    /// See [`success_response`].
    pub fn success(&self, spec: &'a Value) -> Option<(u16, &'a Value)> {
        success_response(spec, self.op)
    }

    /// See [`sample_query`].
    pub fn sample_query(&self) -> Vec<(String, String)> {
        sample_query(self.op)
    }
}

/// An operation's documented success answer: the lowest 2xx status and its response
/// object, `$ref`s followed.
pub fn success_response<'v>(spec: &'v Value, op: &'v Value) -> Option<(u16, &'v Value)> {
    op["responses"]
        .as_object()?
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .min_by_key(|(status, _)| status.as_str())
        .map(|(status, response)| (status.parse().unwrap_or(200), resolve(spec, response)))
}

/// Where the importer records what an operation's page lacks ([`NO_SAMPLE_REQUEST`],
/// [`NO_SAMPLE_RESPONSE`]): lint then does not ask for it, and no contract test is made.
pub const UNDOCUMENTED: &str = "x-dbplane-undocumented";
/// The page gives no sample request.
pub const NO_SAMPLE_REQUEST: &str = "sample-request";
/// The page gives no sample answer.
pub const NO_SAMPLE_RESPONSE: &str = "sample-response";

/// Whether `op`'s page lacks `what` ([`UNDOCUMENTED`]).
pub fn undocumented(op: &Value, what: &str) -> bool {
    op[UNDOCUMENTED]
        .as_array()
        .is_some_and(|l| l.iter().any(|w| w == what))
}

/// Why a path segment is no parameter value: what it decodes to is not text a server
/// would accept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BadPathValue {
    /// The percent-decoded bytes are not UTF-8 (`%FF`, overlong forms such as `%C0%AF`).
    NotUtf8,
    /// The value holds a control character (`%00`, `%0A`).
    Control(char),
}

impl std::fmt::Display for BadPathValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotUtf8 => f.write_str("is not UTF-8 once percent-decoded"),
            Self::Control(c) => write!(f, "holds the control character {}", c.escape_unicode()),
        }
    }
}

/// A path segment, percent-decoded: UTF-8 text without control characters.
pub fn path_value(segment: &str) -> Result<String, BadPathValue> {
    let value = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .map_err(|_| BadPathValue::NotUtf8)?;
    match value.chars().find(|c| c.is_control()) {
        Some(c) => Err(BadPathValue::Control(c)),
        None => Ok(value.into_owned()),
    }
}

/// A path template with its placeholders unnamed and without the `#operation` key of
/// operations that share a method and path (`/v3/{project_id}/jobs#x` → `/v3/{}/jobs`): two
/// templates of one route have one shape.
pub fn path_shape(path: &str) -> String {
    let path = path.split('#').next().unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The path parameters of `path` by name, each percent-decoded ([`path_value`]), when `path`
/// has the template's shape: as many segments, the literal ones equal.
pub fn path_params(
    template: &str,
    path: &str,
) -> Option<Vec<(String, Result<String, BadPathValue>)>> {
    let wanted: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let given: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if wanted.len() != given.len() {
        return None;
    }
    let mut params = Vec::new();
    for (w, g) in wanted.iter().zip(&given) {
        match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) => params.push((name.to_string(), path_value(g))),
            None if w == g => {}
            None => return None,
        }
    }
    Some(params)
}

/// The query of an operation's documented sample request (`x-dbplane-sample-request.query`),
/// as the page writes it: `&`-separated pairs split at the first `=`, not decoded.
pub fn sample_query(op: &Value) -> Vec<(String, String)> {
    op.pointer("/x-dbplane-sample-request/query")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
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
                .map(move |(method, op)| SpecOperation {
                    path: path.split_once('#').map_or(path.as_str(), |(p, _)| p),
                    key: path,
                    method,
                    op,
                    item,
                })
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

/// Validates `instance` against an OpenAPI schema of `spec`, resolving `#/components/...` refs;
/// `nullable: true` (OpenAPI 3.0) admits `null`.
pub fn validate(spec: &Value, schema: &Value, instance: &Value) -> Result<(), String> {
    Validator::new(spec, schema)?.check(instance)
}

/// A schema of a spec compiled once, to check many instances with (the mock compiles each
/// schema on first use and keeps it): [`validate`] without the compiling.
pub struct Validator {
    compiled: jsonschema::Validator,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Validator")
    }
}

impl Validator {
    /// Compiles `schema` (which may `$ref` the spec's `components`), OpenAPI 3.0's
    /// `nullable: true` admitting `null`.
    pub fn new(spec: &Value, schema: &Value) -> Result<Self, String> {
        let mut root = json!({
            "components": spec.get("components").cloned().unwrap_or(Value::Null),
            "allOf": [schema],
        });
        admit_null_where_nullable(&mut root);
        let compiled =
            jsonschema::validator_for(&root).map_err(|e| format!("schema is not usable: {e}"))?;
        Ok(Self { compiled })
    }

    /// `Ok` when `instance` fits; else every violation, each with its place in the instance.
    pub fn check(&self, instance: &Value) -> Result<(), String> {
        if self.compiled.is_valid(instance) {
            return Ok(());
        }
        let errors: Vec<String> = self
            .compiled
            .iter_errors(instance)
            .map(|e| format!("{} (at `{}`)", e, e.instance_path))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }
}

/// JSON Schema's spelling of OpenAPI 3.0's `nullable: true`: `null` joins the schema's type.
fn admit_null_where_nullable(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(ty)) = map.get("type").cloned() {
                    map.insert("type".into(), json!([ty, "null"]));
                    if let Some(Value::Array(values)) = map.get_mut("enum") {
                        values.push(Value::Null);
                    }
                }
            }
            map.values_mut().for_each(admit_null_where_nullable);
        }
        Value::Array(items) => items.iter_mut().for_each(admit_null_where_nullable),
        _ => {}
    }
}

/// A parameter's text value (from a path, query or header) as the JSON value its schema
/// describes: a number for `integer`/`number`, a boolean for `boolean`, else the text.
pub fn typed_value(schema: &Value, text: &str) -> Result<Value, String> {
    match schema["type"].as_str() {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("must be an integer, got `{text}`")),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("must be a number, got `{text}`")),
        Some("boolean") => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("must be true or false, got `{text}`")),
        },
        _ => Ok(Value::String(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_route_has_one_shape() {
        assert_eq!(
            path_shape("/v3/{project_id}/instances/{id}/action#restart"),
            "/v3/{}/instances/{}/action"
        );
        assert_eq!(
            path_shape("/v3/{p}/instances/{i}/action"),
            path_shape("/v3/{project_id}/instances/{instance_id}/action")
        );
        assert_ne!(path_shape("/v3/{p}/jobs"), path_shape("/v3/{p}/jobs/{id}"));
    }

    #[test]
    fn a_fragment_in_the_path_key_is_not_part_of_the_template() {
        let spec =
            json!({"paths": {"/x/action#reboot": {"post": {}}, "/x/action#resize": {"post": {}}}});
        let ops: Vec<(&str, &str)> = operations(&spec).map(|o| (o.path, o.key)).collect();
        assert_eq!(
            ops,
            [
                ("/x/action", "/x/action#reboot"),
                ("/x/action", "/x/action#resize")
            ]
        );
    }

    #[test]
    fn path_item_keys_that_are_not_methods_are_not_operations() {
        let spec = json!({"paths": {"/x": {"parameters": [], "summary": "s", "post": {}}}});
        let methods: Vec<&str> = operations(&spec).map(|o| o.method).collect();
        assert_eq!(methods, ["post"]);
    }

    #[test]
    fn operation_parameters_override_path_level_ones() {
        let spec = json!({"paths": {"/x/{id}": {
            "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}, {"name": "q", "in": "query"}],
            "get": {"parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}}]}
        }}});
        let op = operations(&spec).next().unwrap();
        let params = op.parameters(&spec);
        assert_eq!(params.len(), 2);
        assert_eq!(params[1]["schema"]["type"], "integer");
    }

    #[test]
    fn the_success_answer_is_the_lowest_2xx_and_the_sample_query_is_split_as_written() {
        let spec = json!({"components": {"responses": {"Ok": {"description": "ok"}}}});
        let op = json!({
            "responses": {"400": {}, "202": {"description": "later"}, "200": {"$ref": "#/components/responses/Ok"}},
            "x-dbplane-sample-request": {"query": "a=1&flag&b=x%20y"}
        });
        assert_eq!(
            success_response(&spec, &op),
            Some((200, &json!({"description": "ok"})))
        );
        assert_eq!(
            sample_query(&op),
            [
                ("a".into(), "1".into()),
                ("flag".into(), String::new()),
                ("b".into(), "x%20y".into())
            ]
        );
    }

    #[test]
    fn typed_values() {
        assert_eq!(
            typed_value(&json!({"type": "integer"}), "12"),
            Ok(json!(12))
        );
        assert!(typed_value(&json!({"type": "integer"}), "x").is_err());
        assert_eq!(
            typed_value(&json!({"type": "boolean"}), "true"),
            Ok(json!(true))
        );
        assert_eq!(typed_value(&json!({"type": "string"}), "7"), Ok(json!("7")));
    }

    #[test]
    fn nullable_admits_null_and_nothing_else() {
        let spec = json!({});
        let schema = json!({"type": "object", "properties": {"reason": {"type": "string", "nullable": true}, "name": {"type": "string"}}});
        assert!(validate(&spec, &schema, &json!({"reason": null})).is_ok());
        assert!(validate(&spec, &schema, &json!({"reason": 3})).is_err());
        assert!(validate(&spec, &schema, &json!({"name": null})).is_err());
    }

    #[test]
    fn a_path_gives_its_parameters_or_nothing_when_it_does_not_fit_the_template() {
        assert_eq!(
            path_params(
                "/v3/{project_id}/instances/{instance_id}/action",
                "/v3/p1/instances/i%201/action"
            ),
            Some(vec![
                ("project_id".into(), Ok("p1".into())),
                ("instance_id".into(), Ok("i 1".into()))
            ])
        );
        assert_eq!(
            path_params("/v3/{project_id}/jobs", "/v3/p%00/jobs"),
            Some(vec![(
                "project_id".into(),
                Err(BadPathValue::Control('\0'))
            )])
        );
        for overlong in ["%C0%AF", "%FF", "a%E2%82"] {
            assert_eq!(
                path_value(overlong),
                Err(BadPathValue::NotUtf8),
                "{overlong}"
            );
        }
        assert_eq!(path_value("%E2%82%AC%2F"), Ok("€/".into()));
        assert_eq!(
            path_params(
                "/v3/{project_id}/collations",
                "/v3/p1/instances/i1/collations"
            ),
            None
        );
        assert_eq!(path_params("/v3/{project_id}/jobs", "/v3/p1/tasks"), None);
    }
}
