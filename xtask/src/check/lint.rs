//! `cargo xtask lint`: the project's rules for a spec, beyond "is valid OpenAPI".

use dbplane_spec::{operations, resolve, validate};
use dbplane_spec::{NO_SAMPLE_REQUEST, NO_SAMPLE_RESPONSE, UNDOCUMENTED};
use serde_json::Value;

use std::path::Path;

use crate::spec::{self, LoadedSpec, SpecError, PATH_PARAMETER_PATTERN};

/// Values a path parameter's pattern must refuse.
const PATH_ESCAPES: [&str; 5] = [".", "..", "a/b", "a\\b", "..\\..\\victim"];

/// Every rule the spec breaks, each located as precisely as the text allows.
pub fn lint(spec: &LoadedSpec) -> Vec<SpecError> {
    let mut problems = Vec::new();
    let doc = &spec.json;
    if doc.pointer("/servers/0/url").is_none() {
        problems.push(spec.error(
            None,
            "no `servers`: clients need the documented host pattern",
        ));
    }
    let schemes = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    if schemes.is_none_or(|s| s.is_empty()) {
        problems.push(spec.error(
            None,
            "no `components.securitySchemes`: document how callers authenticate",
        ));
    }
    unsupported_formats(doc, "#", &mut |pointer, format| {
        let line = spec.line_of(&format!("format: {format}"), 1);
        problems.push(spec.error(
            line,
            format!("`{pointer}`: `format: {format}` makes progenitor emit `{}` types, which the vendor crates do not depend on: keep a plain string and say the format in `description` (a `pattern` may check it)", match format {
                "uuid" => "uuid::Uuid",
                _ => "chrono",
            }),
        ));
    });
    duplicate_operation_ids(spec, &mut problems);
    yaml11_readings(spec, &mut problems);
    unknown_schema_keywords(spec, &mut problems);
    error_codes(spec, &mut problems);
    for operation in operations(doc) {
        let line = spec.line_of(&format!("{}:", operation.key), 1);
        let ctx = OperationContext {
            spec,
            path: operation.path,
            method: operation.method,
            op: operation.op,
            line: line.unwrap_or(1),
        };
        ctx.check(&mut problems);
    }
    problems
}

/// Calls `found` with the JSON pointer and format of every string format the generated
/// code cannot hold without extra crates.
fn unsupported_formats(value: &Value, pointer: &str, found: &mut dyn FnMut(&str, &str)) {
    const NEEDS_CRATES: [&str; 4] = ["uuid", "date-time", "date", "time"];
    match value {
        Value::Object(map) => {
            if let Some(format) = map.get("format").and_then(Value::as_str) {
                if NEEDS_CRATES.contains(&format)
                    && map.get("type").and_then(Value::as_str) == Some("string")
                {
                    found(pointer, format);
                }
            }
            for (key, child) in map {
                unsupported_formats(
                    child,
                    &format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")),
                    found,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                unsupported_formats(child, &format!("{pointer}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// An `operationId` given twice is an error naming both operations and their pages
/// (generation would fail on it for every spec).
/// The keywords of an OpenAPI 3.0 Schema Object; anything else in a schema is a mistake
/// (a flow-style line split at a comma once made `else empty.` a key) unless it is an `x-`
/// extension.
const SCHEMA_KEYWORDS: [&str; 36] = [
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];

/// Every key of every schema (components, parameters, bodies, answers, nested) is an OpenAPI
/// keyword or an `x-` extension.
fn unknown_schema_keywords(spec: &LoadedSpec, problems: &mut Vec<SpecError>) {
    fn schema(value: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
        let Some(object) = value.as_object() else {
            return;
        };
        for (key, inner) in object {
            let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
            if !key.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&key.as_str()) {
                found.push((pointer.to_string(), key.clone()));
                continue;
            }
            match key.as_str() {
                "properties" => {
                    for (name, field) in inner.as_object().into_iter().flatten() {
                        schema(field, &format!("{at}/{name}"), found);
                    }
                }
                "items" | "not" | "additionalProperties" => schema(inner, &at, found),
                "allOf" | "oneOf" | "anyOf" => {
                    for (i, part) in inner.as_array().into_iter().flatten().enumerate() {
                        schema(part, &format!("{at}/{i}"), found);
                    }
                }
                _ => {}
            }
        }
    }
    /// Finds the schemas of the document: `components/schemas/*` and every `schema` key.
    fn walk(value: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
        match value {
            Value::Object(object) => {
                for (key, inner) in object {
                    let at = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    if key == "schema" || pointer == "/components/schemas" {
                        schema(inner, &at, found);
                    } else if !matches!(
                        key.as_str(),
                        "example" | "examples" | "x-dbplane-sample-request"
                    ) {
                        walk(inner, &at, found);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{pointer}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&spec.json, "", &mut found);
    for (pointer, key) in found {
        let line = spec.line_of(&format!("{key}:"), 1);
        problems.push(spec.error(
            line,
            format!("`{pointer}`: `{key}` is no OpenAPI schema keyword (nor an `x-` extension)"),
        ));
    }
}

/// A plain scalar that YAML 1.1 readers (openapi-generator, swagger-parser, PyYAML) read
/// otherwise than YAML 1.2 does (`OFF`, `22:00`, a date) must be quoted.
fn yaml11_readings(spec: &LoadedSpec, problems: &mut Vec<SpecError>) {
    let quoted = crate::import::yaml11::quote_for_yaml11(&spec.text);
    for (number, (line, fixed)) in spec.text.lines().zip(quoted.lines()).enumerate() {
        if line != fixed {
            problems.push(spec.error(
                Some(number + 1),
                format!("YAML 1.1 readers take a value here for something else than its text: quote it (`{}`)", fixed.trim()),
            ));
        }
    }
}

/// `x-dbplane-error-codes`: a list of `{code, status?, description}`, each code a Rust name of
/// its own (`DBS.200022` → `Dbs200022`) and its status an HTTP status.
fn error_codes(spec: &LoadedSpec, problems: &mut Vec<SpecError>) {
    let Some(codes) = spec.json.get("x-dbplane-error-codes") else {
        return;
    };
    let line = spec.line_of("x-dbplane-error-codes:", 1);
    let Some(codes) = codes.as_array() else {
        problems.push(spec.error(line, "`x-dbplane-error-codes` must be a list"));
        return;
    };
    let mut names: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for (i, entry) in codes.iter().enumerate() {
        let at = format!("x-dbplane-error-codes/{i}");
        let Some(code) = entry["code"].as_str() else {
            problems.push(spec.error(line, format!("`{at}` has no string `code`")));
            continue;
        };
        let Some(name) = crate::codegen::names::error_code_variant(code) else {
            problems.push(spec.error(line, format!("`{at}`: `{code}` makes no Rust name")));
            continue;
        };
        if let Some(first) = names.insert(name.clone(), code) {
            problems.push(spec.error(
                line,
                format!("`{at}`: `{code}` and `{first}` both become `ErrorCode::{name}`"),
            ));
        }
        if entry
            .get("status")
            .is_some_and(|s| !s.as_u64().is_some_and(|s| (100..600).contains(&s)))
        {
            problems.push(spec.error(
                line,
                format!("`{at}`: `status` of `{code}` is not an HTTP status"),
            ));
        }
        if !entry["description"].is_string() {
            problems.push(spec.error(line, format!("`{at}`: `{code}` has no `description`")));
        }
    }
}

fn duplicate_operation_ids(spec: &LoadedSpec, problems: &mut Vec<SpecError>) {
    let mut seen: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for operation in operations(&spec.json) {
        let Some(id) = operation.id() else { continue };
        let place = match operation.op["x-dbplane-source"].as_str() {
            Some(page) => format!(
                "`{} {}` (page {page})",
                operation.method.to_uppercase(),
                operation.path
            ),
            None => format!("`{} {}`", operation.method.to_uppercase(), operation.path),
        };
        match seen.get(id) {
            Some(first) => {
                let line = spec.line_of(&format!("operationId: {id}"), 1);
                problems.push(spec.error(
                    line,
                    format!("operationId `{id}` is given twice: {first} and {place}; rename one in the overlay"),
                ));
            }
            None => {
                seen.insert(id, place);
            }
        }
    }
    // A former name (`x-dbplane-aliases`) finds one operation: no other's name or alias.
    let mut aliases: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for operation in operations(&spec.json) {
        let Some(id) = operation.id() else { continue };
        for alias in operation.op["x-dbplane-aliases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let taken = if seen.contains_key(alias) {
                Some("the name of another operation".to_string())
            } else {
                aliases
                    .insert(alias, id)
                    .map(|other| format!("also an alias of `{other}`"))
            };
            if let Some(why) = taken {
                problems.push(spec.error(
                    spec.line_of(alias, 1),
                    format!("`{id}`: alias `{alias}` is {why}"),
                ));
            }
        }
    }
}

struct OperationContext<'a> {
    spec: &'a LoadedSpec,
    path: &'a str,
    method: &'a str,
    op: &'a Value,
    line: usize,
}

impl OperationContext<'_> {
    fn name(&self) -> String {
        match self.op.get("operationId").and_then(Value::as_str) {
            Some(id) => format!("operation `{id}`"),
            None => format!("`{} {}`", self.method.to_uppercase(), self.path),
        }
    }

    fn problem(&self, needle: Option<&str>, message: String) -> SpecError {
        let line = needle
            .and_then(|n| self.spec.line_of(n, self.line))
            .or(Some(self.line));
        self.spec.error(line, format!("{}: {message}", self.name()))
    }

    fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        resolve(&self.spec.json, value)
    }

    fn check(&self, problems: &mut Vec<SpecError>) {
        if self.op.get("operationId").and_then(Value::as_str).is_none() {
            problems.push(self.problem(None, "missing `operationId`".into()));
        }
        if self.op.get("summary").is_none() && self.op.get("description").is_none() {
            problems.push(self.problem(None, "missing `summary`/`description`".into()));
        }
        self.check_undocumented(problems);
        self.check_parameters(problems);
        self.check_request_body(problems);
        self.check_responses(problems);
        if !self.undocumented(NO_SAMPLE_REQUEST) {
            self.check_sample(problems);
        }
    }

    /// Whether the operation's page lacks `what` (`x-dbplane-undocumented`, written by the
    /// importer): then the spec need not have it, and no contract test is made.
    fn undocumented(&self, what: &str) -> bool {
        dbplane_spec::undocumented(self.op, what)
    }

    /// `x-dbplane-undocumented` names only what the spec indeed lacks.
    fn check_undocumented(&self, problems: &mut Vec<SpecError>) {
        let needle = Some("x-dbplane-undocumented:");
        for word in self.op[UNDOCUMENTED].as_array().into_iter().flatten() {
            let present = match word.as_str() {
                Some(NO_SAMPLE_REQUEST) => self.op.get("x-dbplane-sample-request").is_some(),
                Some(NO_SAMPLE_RESPONSE) => self.op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(s, _)| s.starts_with('2'))
                    .any(|(_, r)| {
                        self.resolve(r)
                            .pointer("/content/application~1json/example")
                            .is_some()
                    }),
                _ => {
                    problems.push(self.problem(needle, format!("`x-dbplane-undocumented` lists {word}; known: {NO_SAMPLE_REQUEST}, {NO_SAMPLE_RESPONSE}")));
                    continue;
                }
            };
            if present {
                problems.push(self.problem(
                    needle,
                    format!("`x-dbplane-undocumented` lists {word}, which the spec has: remove it"),
                ));
            }
        }
    }

    fn parameters(&self) -> Vec<&Value> {
        self.op
            .get("parameters")
            .and_then(Value::as_array)
            .map(|ps| ps.iter().map(|p| self.resolve(p)).collect())
            .unwrap_or_default()
    }

    fn check_parameters(&self, problems: &mut Vec<SpecError>) {
        let sample_query = dbplane_spec::sample_query(self.op);
        let declared: Vec<&str> = self
            .parameters()
            .into_iter()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str())
            .collect();
        let placeholders: Vec<&str> = self
            .path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        for name in placeholders.iter().filter(|n| !declared.contains(n)) {
            problems.push(self.problem(
                None,
                format!("the path has `{{{name}}}`, which no path parameter declares"),
            ));
        }
        for name in declared.iter().filter(|n| !placeholders.contains(n)) {
            problems
                .push(self.problem(None, format!("path parameter `{name}` is not in the path")));
        }
        for param in self.parameters() {
            let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
            let needle = format!("name: {name}");
            let Some(schema) = param.get("schema").map(|s| self.resolve(s)) else {
                problems
                    .push(self.problem(Some(&needle), format!("parameter `{name}` has no schema")));
                continue;
            };
            if param.get("in").and_then(Value::as_str) == Some("path") && !has_constraints(schema) {
                problems.push(self.problem(
                    Some(&needle),
                    format!("path parameter `{name}` has no constraints (minLength/maxLength/pattern/enum for strings, minimum/maximum for integers)"),
                ));
            }
            if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                if let Err(e) = regress::Regex::new(pattern) {
                    problems.push(self.problem(
                        Some(&needle),
                        format!("the pattern of parameter `{name}` is not an ECMA 262 regular expression the generated code can use: {e}"),
                    ));
                }
            }
            if param.get("in").and_then(Value::as_str) == Some("path")
                && schema.get("type").and_then(Value::as_str) == Some("string")
                && schema.get("enum").is_none()
            {
                let escapes: Vec<&str> = PATH_ESCAPES
                    .into_iter()
                    .filter(|v| validate(&self.spec.json, schema, &Value::from(*v)).is_ok())
                    .collect();
                if !escapes.is_empty() {
                    problems.push(self.problem(
                        Some(&needle),
                        format!("path parameter `{name}` accepts {escapes:?}, which would change which resource the request acts on: add `pattern: '{PATH_PARAMETER_PATTERN}'`"),
                    ));
                }
            }
            let in_sample = sample_query.iter().any(|(k, _)| k == name);
            let needs_example = (param.get("in").and_then(Value::as_str) == Some("path")
                || param.get("required") == Some(&Value::Bool(true))
                || in_sample)
                && !self.undocumented(NO_SAMPLE_REQUEST);
            match param.get("example") {
                None if !needs_example => {}
                None => problems.push(self.problem(
                    Some(&needle),
                    format!("parameter `{name}` has no `example` (the documented sample's value)"),
                )),
                Some(example) => {
                    if let Err(e) = validate(&self.spec.json, schema, example) {
                        problems.push(self.problem(
                            Some(&needle),
                            format!("example of parameter `{name}` does not fit its schema: {e}"),
                        ));
                    }
                }
            }
        }
    }

    fn check_request_body(&self, problems: &mut Vec<SpecError>) {
        let Some(body) = self.op.get("requestBody").map(|b| self.resolve(b)) else {
            return;
        };
        let sample = !self.undocumented(NO_SAMPLE_REQUEST);
        self.check_media(body, "request body", "requestBody:", sample, problems);
    }

    fn check_responses(&self, problems: &mut Vec<SpecError>) {
        let Some(responses) = self.op.get("responses").and_then(Value::as_object) else {
            problems.push(self.problem(None, "no `responses`".into()));
            return;
        };
        if !responses.keys().any(|k| k.starts_with('2')) {
            problems.push(self.problem(None, "no success (2xx) response".into()));
        }
        let mut error_schemas = Vec::new();
        for (status, response) in responses {
            let needle = format!("\"{status}\":");
            let response = self.resolve(response);
            let bodiless =
                status == "204" || (status.starts_with('2') && response.get("content").is_none());
            if !bodiless {
                let sample = !(status.starts_with('2') && self.undocumented(NO_SAMPLE_RESPONSE));
                self.check_media(
                    response,
                    &format!("response {status}"),
                    &needle,
                    sample,
                    problems,
                );
            }
            if !status.starts_with('2') {
                if let Some(schema) = response.pointer("/content/application~1json/schema") {
                    if !error_schemas.contains(schema) {
                        error_schemas.push(schema.clone());
                    }
                }
            }
        }
        if error_schemas.len() > 1 {
            problems.push(self.problem(
                Some("responses:"),
                "error statuses use different schemas; give them one shared error schema (one error type per operation)".into(),
            ));
        }
    }

    /// A request body or response: JSON content with a schema and an example that fits it.
    fn check_media(
        &self,
        holder: &Value,
        what: &str,
        needle: &str,
        documented: bool,
        problems: &mut Vec<SpecError>,
    ) {
        let Some(media) = holder.pointer("/content/application~1json") else {
            problems.push(self.problem(
                Some(needle),
                format!("{what} has no `application/json` content"),
            ));
            return;
        };
        let Some(schema) = media.get("schema") else {
            problems.push(self.problem(Some(needle), format!("{what} has no schema")));
            return;
        };
        match media.get("example") {
            None if !documented => {}
            None => problems.push(self.problem(
                Some(needle),
                format!("{what} has no example (the documented sample)"),
            )),
            Some(example) => {
                if let Err(e) = validate(&self.spec.json, schema, example) {
                    problems.push(self.problem(
                        Some(needle),
                        format!("example of {what} does not fit its schema: {e}"),
                    ));
                }
            }
        }
    }

    /// The documented sample request must be the path template filled with the parameters' examples.
    fn check_sample(&self, problems: &mut Vec<SpecError>) {
        let needle = Some("x-dbplane-sample-request:");
        let Some(sample) = self.op.get("x-dbplane-sample-request") else {
            problems.push(self.problem(
                None,
                "missing `x-dbplane-sample-request` (the documented sample request)".into(),
            ));
            return;
        };
        let method = sample
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !method.eq_ignore_ascii_case(self.method) {
            problems.push(self.problem(
                needle,
                format!(
                    "sample request method `{method}` is not `{}`",
                    self.method.to_uppercase()
                ),
            ));
        }
        let mut expected = self.path.to_string();
        for param in self.parameters() {
            if param.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let value = match param.get("example") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => continue,
            };
            expected = expected.replace(&format!("{{{name}}}"), &value);
        }
        let path = sample
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if path != expected {
            problems.push(self.problem(needle, format!("sample request path `{path}` differs from the parameters' examples (`{expected}`)")));
        }
        let params = self.parameters();
        let sample_query = dbplane_spec::sample_query(self.op);
        for (name, value) in &sample_query {
            let declared = params
                .iter()
                .find(|p| p["in"] == "query" && p["name"] == name.as_str());
            let Some(param) = declared else {
                problems.push(self.problem(
                    needle,
                    format!("sample request query `{name}` is not a declared query parameter"),
                ));
                continue;
            };
            let example = match &param["example"] {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => other.to_string(),
            };
            let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            if example != decoded {
                problems.push(self.problem(needle, format!("sample request query `{name}={value}` differs from the parameter's example `{example}`")));
            }
        }
        for param in params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == Value::Bool(true))
        {
            let name = param["name"].as_str().unwrap_or_default();
            if !sample_query.iter().any(|(k, _)| k == name) {
                problems.push(self.problem(
                    needle,
                    format!("sample request lacks the required query parameter `{name}`"),
                ));
            }
        }
    }
}

fn has_constraints(schema: &Value) -> bool {
    [
        "minLength",
        "maxLength",
        "pattern",
        "enum",
        "format",
        "minimum",
        "maximum",
    ]
    .iter()
    .any(|k| schema.get(k).is_some())
}

/// `cargo xtask lint`: every spec against the project's rules; false on any problem.
pub fn run(root: &Path) -> bool {
    let services = match spec::discover(root) {
        Ok(services) => services,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let mut count = 0;
    for service in &services {
        let problems = match spec::load(root, &service.spec_path) {
            Ok(spec) => lint(&spec),
            Err(e) => vec![e],
        };
        for problem in &problems {
            eprintln!("error: {problem}");
        }
        count += problems.len();
    }
    println!("linted {} specs: {count} problem(s)", services.len());
    count == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse;
    use std::path::Path;

    const GOOD: &str = r##"openapi: 3.0.3
info: {title: t, version: v1}
servers: [{url: "https://x.example.com"}]
components:
  securitySchemes:
    token: {type: apiKey, in: header, name: X-Auth-Token}
  schemas:
    Out:
      type: object
      properties:
        id: {type: string}
paths:
  /v1/{project_id}/things:
    post:
      operationId: make_thing
      summary: Make a thing.
      x-dbplane-sample-request: {method: POST, path: /v1/p123/things}
      parameters:
        - name: project_id
          in: path
          required: true
          schema: {type: string, minLength: 1, pattern: '^(?!\.\.?$)[^/\\]+$'}
          example: p123
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Out"}
              example: {id: abc}
"##;

    fn lint_text(text: &str) -> Vec<String> {
        let spec = parse(Path::new("t.yaml"), text.to_string()).expect("parses");
        lint(&spec).into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn text_that_yaml_11_reads_otherwise_must_be_quoted() {
        let text = GOOD.replace("openapi: 3.0.3", "openapi: 3.0.3\nx-window: 22:00");
        let problems = lint_text(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains(":2:") || problems[0].contains("line 2"),
            "{problems:?}"
        );
        assert!(problems[0].contains("x-window: '22:00'"), "{problems:?}");
    }

    #[test]
    fn a_key_that_is_no_schema_keyword_is_named_with_its_pointer() {
        let text = GOOD.replace(
            "        id: {type: string}",
            "        id: {type: string}\n        process: {type: string, description: Progress in percent while running, else empty.: null}",
        );
        let problems = lint_text(&text);
        assert!(
            problems.iter().any(|p| p.contains("`/components/schemas/Out/properties/process`: `else empty.` is no OpenAPI schema keyword")),
            "{problems:?}"
        );
    }

    #[test]
    fn error_codes_need_a_rust_name_of_their_own_an_http_status_and_a_description() {
        let good =
            "x-dbplane-error-codes:\n- {code: DBS.200022, status: 409, description: Name taken.}\n";
        assert_eq!(lint_text(&format!("{GOOD}{good}")), Vec::<String>::new());
        let bad = "x-dbplane-error-codes:\n- {code: DBS.200022, status: 409, description: a}\n- {code: dbs.200022, status: 40, description: b}\n- {code: '42', description: c}\n- {code: X.1}\n";
        let problems = lint_text(&format!("{GOOD}{bad}"));
        for expected in [
            "`dbs.200022` and `DBS.200022` both become `ErrorCode::Dbs200022`",
            "`status` of `dbs.200022` is not an HTTP status",
            "`42` makes no Rust name",
            "`X.1` has no `description`",
        ] {
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{expected}: {problems:?}"
            );
        }
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn a_complete_spec_passes() {
        assert_eq!(lint_text(GOOD), Vec::<String>::new());
    }

    #[test]
    fn missing_operation_id_is_located() {
        let problems = lint_text(&GOOD.replace("      operationId: make_thing\n", ""));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .starts_with("t.yaml:13: `POST /v1/{project_id}/things`: missing `operationId`"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_duplicate_operation_id_names_both_operations_and_pages() {
        let paths = GOOD.split_once("paths:\n").unwrap().1;
        let second = paths
            .replace("/v1/{project_id}/things:", "/v2/{project_id}/things:")
            .replace(
                "summary: Make a thing.",
                "summary: Make a thing.\n      x-dbplane-source: docs/v2/things.rst",
            )
            .replace("/v1/p123/things", "/v2/p123/things");
        let text = format!("{GOOD}{second}");
        let problems = lint_text(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("operationId `make_thing` is given twice: `POST /v1/{project_id}/things` and `POST /v2/{project_id}/things` (page docs/v2/things.rst)"),
            "{problems:?}"
        );
    }

    #[test]
    fn unconstrained_path_parameter_is_reported() {
        let problems = lint_text(&GOOD.replace(
            r"schema: {type: string, minLength: 1, pattern: '^(?!\.\.?$)[^/\\]+$'}",
            "schema: {type: string}",
        ));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains("path parameter `project_id` has no constraints"),
            "{problems:?}"
        );
        assert!(problems[0].starts_with("t.yaml:19:"), "{problems:?}");
    }

    #[test]
    fn formats_that_need_extra_crates_are_refused_with_a_reason() {
        for format in ["uuid", "date-time"] {
            let problems = lint_text(&GOOD.replace(
                "id: {type: string}",
                &format!("id: {{type: string, format: {format}}}"),
            ));
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].contains(&format!("`format: {format}` makes progenitor emit")),
                "{problems:?}"
            );
            assert!(
                problems[0].contains("#/components/schemas/Out/properties/id"),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn a_path_parameter_that_could_escape_its_segment_is_reported() {
        let problems =
            lint_text(&GOOD.replace(r"pattern: '^(?!\.\.?$)[^/\\]+$'", "pattern: '^[^/]+$'"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains(
                r#"path parameter `project_id` accepts [".", "..", "a\\b", "..\\..\\victim"]"#
            ),
            "{problems:?}"
        );
        let problems =
            lint_text(&GOOD.replace(r"pattern: '^(?!\.\.?$)[^/\\]+$'", "pattern: '^(?<!x)[a-z'"));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("not an ECMA 262 regular expression")),
            "{problems:?}"
        );
    }

    #[test]
    fn example_that_breaks_its_schema_is_reported() {
        let problems = lint_text(&GOOD.replace("example: {id: abc}", "example: {id: 42}"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("example of response 200 does not fit its schema"),
            "{problems:?}"
        );
        assert!(problems[0].contains("/id"), "{problems:?}");
    }

    #[test]
    fn response_without_schema_is_reported() {
        let problems = lint_text(&GOOD.replace(
            "              schema: {$ref: \"#/components/schemas/Out\"}\n",
            "",
        ));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("response 200 has no schema")),
            "{problems:?}"
        );
    }

    #[test]
    fn missing_sample_request_is_reported() {
        let problems = lint_text(&GOOD.replace(
            "      x-dbplane-sample-request: {method: POST, path: /v1/p123/things}\n",
            "",
        ));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("missing `x-dbplane-sample-request`")),
            "{problems:?}"
        );
    }

    #[test]
    fn sample_path_must_match_parameter_examples() {
        let problems =
            lint_text(&GOOD.replace("path: /v1/p123/things}", "path: /v1/other/things}"));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("differs from the parameters' examples")),
            "{problems:?}"
        );
    }

    #[test]
    fn error_statuses_with_different_schemas_are_reported() {
        let extra = "        \"400\":\n          description: a\n          content:\n            application/json:\n              schema: {type: object}\n              example: {}\n        \"500\":\n          description: b\n          content:\n            application/json:\n              schema: {type: string}\n              example: x\n";
        let problems = lint_text(&format!("{GOOD}{extra}"));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("one shared error schema")),
            "{problems:?}"
        );
    }
}
