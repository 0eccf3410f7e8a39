//! One page into one OpenAPI operation: its parameters where the page puts them, its request
//! body and normal responses typed from the page's tables, its samples, and a note for each
//! thing the page leaves unclear.

use heck::ToSnakeCase;
use serde_json::{json, Map, Value};

use crate::import::page::{literal_plus, plain_text, AnchoredTable, DocOperation, Page};
use crate::import::read;
use crate::import::schema::{json_type, object_schema, Expansion};
use dbplane_spec::{NO_SAMPLE_REQUEST, NO_SAMPLE_RESPONSE};

/// One page read into an operation, and what the page left unclear.
pub struct PageImport {
    /// The page, relative to the reference's root (`x-dbplane-source`).
    pub source: String,
    /// Lower-case HTTP method (empty when the page names none).
    pub method: String,
    /// The URI template.
    pub path: String,
    /// The OpenAPI operation.
    pub op: Value,
    /// Per-page notes: what the page leaves unclear.
    pub notes: Vec<String>,
    /// The normal statuses the page states (empty: none).
    pub statuses: Vec<u16>,
}

/// Imports one page; `source` is the page's path, recorded as `x-dbplane-source`;
/// `elsewhere` holds the anchored tables of the reference's other pages (a field may point
/// at a table on another page).
pub fn import_page(text: &str, source: &str, elsewhere: &[AnchoredTable]) -> PageImport {
    let Page {
        title,
        function,
        op: page,
        mut tables,
        unread,
        ..
    } = read::page(text);
    let mut notes = unread;
    if page.method.is_empty() {
        notes.push("no `METHOD https://{Endpoint}/…` line: method and path unknown".into());
    }
    tables.extend(elsewhere.iter().filter(|t| t.anchor.is_some()).cloned());
    let sample_params = sample_path_values(&page, &mut notes);
    let sample = literal_sample(&page, &mut notes);
    let sample_query = sample
        .as_ref()
        .map(|(_, _, q)| {
            dbplane_spec::sample_query(&json!({"x-dbplane-sample-request": {"query": q}}))
        })
        .unwrap_or_default();
    let mut parameters = uri_parameters(&page, sample_params.as_deref(), &sample_query, &mut notes);
    parameters.extend(header_parameters(&page, &mut notes));
    note_query_outside_the_table(&page, &sample_query, &mut notes);
    let mut op = Map::new();
    op.insert(
        "operationId".into(),
        json!(operation_id(&title, &mut notes)),
    );
    op.insert("summary".into(), json!(title));
    if let Some(function) = function.map(|f| plain_text(&f)).filter(|f| !f.is_empty()) {
        op.insert("description".into(), json!(function));
    }
    op.insert("x-dbplane-source".into(), json!(source));
    op.insert("parameters".into(), Value::Array(parameters));
    let mut undocumented = Vec::new();
    match sample_request(&page, sample, &mut notes) {
        Some(request) => {
            op.insert("x-dbplane-sample-request".into(), request);
        }
        None => undocumented.push(NO_SAMPLE_REQUEST),
    }
    if let Some(body) = request_body(&page, &tables, &mut notes) {
        op.insert("requestBody".into(), body);
    }
    let (responses, without_sample) = responses(&page, &tables, &mut notes);
    if without_sample {
        undocumented.push(NO_SAMPLE_RESPONSE);
    }
    op.insert("responses".into(), Value::Object(responses));
    if !undocumented.is_empty() {
        op.insert(dbplane_spec::UNDOCUMENTED.into(), json!(undocumented));
    }
    PageImport {
        source: source.to_string(),
        method: page.method.to_ascii_lowercase(),
        path: page.path.clone(),
        op: Value::Object(op),
        notes,
        statuses: page.statuses.clone(),
    }
}

/// The path parameters' values in the first sample request, each value that is no text or
/// has surrounding spaces noted; `None` (noted) when the sample path does not fit the URI.
fn sample_path_values(
    page: &DocOperation,
    notes: &mut Vec<String>,
) -> Option<Vec<(String, Result<String, dbplane_spec::BadPathValue>)>> {
    let (_, path, _) = page.samples.first()?;
    let params = dbplane_spec::path_params(&page.path, path);
    for (name, value) in params.iter().flatten() {
        let value = match value {
            Ok(value) => value,
            Err(why) => {
                notes.push(format!("the sample's `{name}` {why}"));
                continue;
            }
        };
        if value.trim() != value {
            notes.push(format!(
                "the sample's `{name}` has surrounding spaces: `{value}`"
            ));
        }
    }
    if params.is_none() {
        notes.push(format!(
            "the sample path `{path}` does not fit the URI template `{}`",
            page.path
        ));
    }
    params
}

/// The first sample request (method, path, query). A `+` the pages write in a sample query
/// is the value's own (`+0800`, the time zone the table describes), which on the wire would
/// read as a space: the sample keeps it as `%2B` (noted).
fn literal_sample(
    page: &DocOperation,
    notes: &mut Vec<String>,
) -> Option<(String, String, String)> {
    let (method, path, query) = page.samples.first()?;
    if query.contains('+') {
        notes.push(format!(
            "the sample query `{query}` writes `+` unencoded: taken as a literal `+` (sent as %2B)"
        ));
    }
    Some((method.clone(), path.clone(), literal_plus(query)))
}

/// The URI table's parameters: in the path when the template names them, else in the query;
/// typed from the table, with the sample's value as the example.
fn uri_parameters(
    page: &DocOperation,
    sample_params: Option<&[(String, Result<String, dbplane_spec::BadPathValue>)]>,
    sample_query: &[(String, String)],
    notes: &mut Vec<String>,
) -> Vec<Value> {
    let mut parameters = Vec::new();
    for (name, mandatory) in &page.uri_params {
        let location = if page.path.contains(&format!("{{{name}}}")) {
            "path"
        } else {
            "query"
        };
        let mut schema = page
            .uri_types
            .get(name)
            .map(|t| json_type(t, notes, name))
            .unwrap_or_else(|| {
                notes.push(format!(
                    "parameter `{name}`: no type given; `string` assumed"
                ));
                json!({"type": "string"})
            });
        if location == "path" && schema["type"] == "string" {
            schema["pattern"] = json!(crate::spec::PATH_PARAMETER_PATTERN);
        }
        let mut param = json!({"name": name, "in": location, "required": *mandatory || location == "path", "schema": schema});
        let value = match location {
            "path" => sample_params
                .and_then(|ps| ps.iter().find(|(n, _)| n == name))
                .and_then(|(_, v)| v.clone().ok()),
            _ => sample_query.iter().find(|(n, _)| n == name).map(|(_, v)| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            }),
        };
        if let Some(value) = value {
            match dbplane_spec::typed_value(&param["schema"], &value) {
                Ok(example) => param["example"] = example,
                Err(e) => notes.push(format!("parameter `{name}`: the sample's value {e}")),
            }
        }
        if let Some(description) = page.uri_descriptions.get(name) {
            if let Some(values) = enumerated_values(description) {
                param["schema"]["enum"] = json!(values);
            }
            param["description"] = json!(plain_text(description));
        }
        parameters.push(param);
    }
    parameters
}

/// The request header parameters the page documents.
fn header_parameters(page: &DocOperation, notes: &mut Vec<String>) -> Vec<Value> {
    let mut parameters = Vec::new();
    for field in &page.header_params {
        let mut schema = json_type(&field.ty, notes, &field.name);
        if let Some(values) = enumerated_values(&field.description) {
            schema["enum"] = json!(values);
        }
        let mut param = json!({"name": field.name, "in": "header", "required": field.mandatory, "schema": schema});
        if !field.description.is_empty() {
            param["description"] = json!(plain_text(&field.description));
        }
        parameters.push(param);
    }
    parameters
}

/// Notes each query parameter the URI line or the sample names and the table does not.
fn note_query_outside_the_table(
    page: &DocOperation,
    sample_query: &[(String, String)],
    notes: &mut Vec<String>,
) {
    for name in page
        .uri_query
        .iter()
        .chain(sample_query.iter().map(|(n, _)| n))
        .filter(|q| !page.uri_params.iter().any(|(n, _)| n == *q))
    {
        let note =
            format!("query parameter `{name}`: in the URI or sample, not in the parameter table");
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
}

/// `x-dbplane-sample-request`: the sample's method, path, query and body; `None` (noted)
/// when the page has no sample request.
fn sample_request(
    page: &DocOperation,
    sample: Option<(String, String, String)>,
    notes: &mut Vec<String>,
) -> Option<Value> {
    let Some((method, path, query)) = sample else {
        notes.push("no sample request".into());
        return None;
    };
    if !method.eq_ignore_ascii_case(&page.method) {
        notes.push(format!(
            "the sample request's method {method} is not the URI's {}",
            page.method
        ));
    }
    let mut request = json!({"method": method, "path": path});
    if !query.is_empty() {
        request["query"] = json!(query);
    }
    if let Some(body) = page.request_example.as_ref() {
        request["body"] = body.clone();
    }
    Some(request)
}

/// The `requestBody`: typed from the request table, with the sample body as its example; an
/// open object when only a sample body is given; `None` when the page has neither.
fn request_body(
    page: &DocOperation,
    tables: &[AnchoredTable],
    notes: &mut Vec<String>,
) -> Option<Value> {
    if let Some(table) = &page.request_table {
        let schema = object_schema(table, tables, notes, &mut Expansion::default());
        let mut media = json!({"schema": schema});
        match &page.request_example {
            Some(example) => {
                undeclared_fields(&media["schema"], example, "request", notes);
                media["example"] = example.clone();
            }
            None => notes.push("a request table but no parsable sample request body".into()),
        }
        return Some(json!({"required": true, "content": {"application/json": media}}));
    }
    let example = page.request_example.as_ref()?;
    // `Parameter description: None` and a sample body of `{}`: an empty object is sent.
    if example != &json!({}) {
        notes.push(
            "a sample request body but no request parameter table: taken as an open object".into(),
        );
    }
    Some(json!({"required": true, "content": {"application/json": {
        "schema": if example == &json!({}) {
            json!({"type": "object", "properties": {}, "additionalProperties": false, "description": "No parameters: an empty JSON object."})
        } else {
            json!({"type": "object"})
        },
        "example": example,
    }}}))
}

/// The normal responses, one per status the page states (200, noted, when it states none),
/// and whether one of them has no sample.
fn responses(
    page: &DocOperation,
    tables: &[AnchoredTable],
    notes: &mut Vec<String>,
) -> (Map<String, Value>, bool) {
    let statuses = if page.statuses.is_empty() {
        notes.push("no normal status code: 200 assumed".into());
        vec![200]
    } else {
        page.statuses.clone()
    };
    let mut responses = Map::new();
    let mut without_sample = false;
    let response_schema = page
        .response_table
        .as_ref()
        .map(|t| object_schema(t, tables, notes, &mut Expansion::default()));
    for status in statuses {
        if status == 204 {
            responses.insert(status.to_string(), json!({"description": "No content."}));
            continue;
        }
        if page.response_none && response_schema.is_none() && page.response_example.is_none() {
            responses.insert(
                status.to_string(),
                json!({"description": "Normal response, without a body."}),
            );
            continue;
        }
        let schema = response_schema.clone().unwrap_or_else(|| {
            notes.push(format!("{status}: no normal-response table"));
            json!({"type": "object"})
        });
        let mut media = json!({"schema": schema});
        match &page.response_example {
            Some(example) => {
                undeclared_fields(&media["schema"], example, "response", notes);
                media["example"] = example.clone();
            }
            None => {
                notes.push(format!("{status}: no parsable sample response"));
                without_sample = true;
            }
        }
        responses.insert(
            status.to_string(),
            json!({"description": "Normal response.", "content": {"application/json": media}}),
        );
    }
    (responses, without_sample)
}

/// The values a description lists after `Enumerated values:` (`- mysql - postgresql`), when
/// each is one word.
fn enumerated_values(description: &str) -> Option<Vec<String>> {
    let (_, list) = description.split_once("Enumerated values:")?;
    let values: Vec<String> = list
        .split(" - ")
        .map(str::trim)
        .map(|v| v.trim_start_matches("- ").trim())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect();
    let words = values
        .iter()
        .all(|v| !v.contains(char::is_whitespace) && !v.ends_with(':') && !v.ends_with('.'));
    (words && !values.is_empty()).then_some(values)
}

/// Verbs of the pages' titles (`Stopping an Instance`) in the imperative the operation's name
/// starts with (`stop_instance`).
const VERBS: &[(&str, &str)] = &[
    ("Adding", "add"),
    ("Applying", "apply"),
    ("Binding", "bind"),
    ("Changing", "change"),
    ("Configuring", "configure"),
    ("Creating", "create"),
    ("Deleting", "delete"),
    ("Disabling", "disable"),
    ("Enabling", "enable"),
    ("Migrating", "migrate"),
    ("Modifying", "modify"),
    ("Obtaining", "get"),
    ("Performing", "perform"),
    ("Querying", "query"),
    ("Rebooting", "reboot"),
    ("Replicating", "replicate"),
    ("Resetting", "reset"),
    ("Restoring", "restore"),
    ("Scaling", "scale"),
    ("Setting", "set"),
    ("Showing", "show"),
    ("Starting", "start"),
    ("Stopping", "stop"),
    ("Switching", "switch"),
    ("Unbinding", "unbind"),
    ("Updating", "update"),
    ("Upgrading", "upgrade"),
];

/// An operation name from the page's title: its verb in the imperative, articles and the
/// engine in parentheses left out (`Querying TDE Status of a DB Instance (RDS for SQL
/// Server)` → `query_tde_status_of_db_instance`). A verb not in [`VERBS`] is noted.
fn operation_id(title: &str, notes: &mut Vec<String>) -> String {
    let plain = title.split(" (").next().unwrap_or(title);
    let mut words: Vec<String> = plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "a" | "an" | "the" | "Manually"))
        .map(str::to_string)
        .collect();
    // A title in the imperative (`Stop backup scheduling for a tenant`) is taken as it is.
    let known = |w: &String| {
        VERBS
            .iter()
            .any(|(ing, verb)| ing == w || w.eq_ignore_ascii_case(verb))
    };
    if !words.first().is_some_and(known) {
        notes.push(format!(
            "the title `{title}` starts with no known verb: name the operation in the overlay"
        ));
    }
    // `Binding and Unbinding an EIP` → `bind_and_unbind_eip`.
    for word in &mut words {
        if let Some((_, verb)) = VERBS.iter().find(|(ing, _)| ing == word) {
            *word = verb.to_string();
        }
    }
    words.join(" ").to_snake_case()
}

/// Notes each field of a sample that its table does not declare (a typed client would drop it).
fn undeclared_fields(schema: &Value, example: &Value, at: &str, notes: &mut Vec<String>) {
    match example {
        Value::Object(fields) => {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            for (name, value) in fields {
                match properties.get(name) {
                    Some(field) => undeclared_fields(field, value, &format!("{at}.{name}"), notes),
                    None => notes.push(format!(
                        "the sample {at} has `{name}`, which its table does not declare"
                    )),
                }
            }
        }
        Value::Array(items) => {
            if let (Some(item_schema), Some(first)) = (schema.get("items"), items.first()) {
                undeclared_fields(item_schema, first, &format!("{at}[]"), notes);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn prose_loses_its_markup() {
        assert_eq!(
            plain_text("see :ref:`Obtaining a Project ID <rds_03_0002>`. Get the `endpoint <https://x.example/e>`__ **first**."),
            "see Obtaining a Project ID. Get the endpoint (https://x.example/e) first."
        );
    }

    #[test]
    fn titles_become_operation_names_in_the_imperative() {
        let mut notes = Vec::new();
        assert_eq!(
            operation_id("Stopping an Instance", &mut notes),
            "stop_instance"
        );
        assert_eq!(
            operation_id("Binding and Unbinding an EIP", &mut notes),
            "bind_and_unbind_eip"
        );
        assert_eq!(
            operation_id(
                "Querying TDE Status of a DB Instance (RDS for SQL Server)",
                &mut notes
            ),
            "query_tde_status_of_db_instance"
        );
        assert!(notes.is_empty());
        assert_eq!(
            operation_id("Frobbing a Widget", &mut notes),
            "frobbing_widget"
        );
        assert!(notes[0].contains("no known verb"), "{notes:?}");
    }

    #[test]
    fn a_page_imports_to_the_operation_the_spec_has() {
        let text = include_str!("../../fixtures/docs/starting_an_instance.rst");
        let imported = import_page(text, "starting.rst", &[]);
        assert_eq!(
            imported.path,
            "/v3/{project_id}/instances/{instance_id}/action/startup"
        );
        assert_eq!(imported.method, "post");
        let op = &imported.op;
        let names: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["project_id", "instance_id"]);
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["job_id"]
                ["type"],
            "string"
        );
        assert_eq!(op["x-dbplane-sample-request"]["method"], "POST");
        // The fixture gives no parameter types and no sample answer: said, not guessed.
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.contains("`project_id`: no type given")),
            "{:?}",
            imported.notes
        );
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.contains("no parsable sample response")),
            "{:?}",
            imported.notes
        );
    }

    /// The shared folder beside the workspace (seed pages and reference docs); CI has it.
    fn shared() -> Option<std::path::PathBuf> {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
        if shared.join("seeds").is_dir() {
            return Some(shared);
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "CI has ../shared beside the workspace"
        );
        None
    }

    /// Each seed page (OCP Markdown, Huawei text, Huawei Markdown with HTML tables, OTC RST)
    /// imports to the operation the hand-checked spec has: method, path, path parameters,
    /// normal status, response fields, and the documented samples.
    #[test]
    fn the_seed_pages_import_to_the_operations_of_the_specs() {
        let Some(shared) = shared() else { return };
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let seeds = [
            ("000_648d6e4dff9e8392.txt", "specs/oceanbase/ocp.yaml"),
            ("001_a44d9397467c5216.txt", "specs/huaweicloud/dbss.yaml"),
            ("002_363ceea69cfde8d3.txt", "specs/huaweicloud/dws.yaml"),
            ("003_40d1b5366d60430b.txt", "specs/otc/rds.yaml"),
        ];
        for (seed, spec_file) in seeds {
            let text = std::fs::read_to_string(shared.join("seeds").join(seed)).unwrap();
            let page = import_page(&text, seed, &[]);
            let spec = crate::spec::load(&root, Path::new(spec_file)).unwrap();
            let ours = dbplane_spec::operations(&spec.json)
                .find(|o| o.path == page.path && o.method == page.method)
                .unwrap_or_else(|| {
                    panic!("{seed}: no {} {} in {spec_file}", page.method, page.path)
                });
            let names = |params: Vec<&Value>| -> Vec<String> {
                let mut n: Vec<String> = params
                    .iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect();
                n.sort();
                n
            };
            let imported_params: Vec<&Value> =
                page.op["parameters"].as_array().unwrap().iter().collect();
            assert_eq!(
                names(imported_params),
                names(ours.parameters(&spec.json)),
                "{seed}"
            );
            let (status, imported) = page.op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(s, _)| s.starts_with('2'))
                .unwrap();
            let (our_status, our_response) = ours.success(&spec.json).unwrap();
            assert_eq!(status, &our_status.to_string(), "{seed}");
            let media = "/content/application~1json";
            assert_eq!(
                imported.pointer(&format!("{media}/example")),
                our_response.pointer(&format!("{media}/example")),
                "{seed}: the documented answer"
            );
            let schema = dbplane_spec::resolve(
                &spec.json,
                our_response.pointer(&format!("{media}/schema")).unwrap(),
            );
            for field in imported["content"]["application/json"]["schema"]["properties"]
                .as_object()
                .unwrap()
                .keys()
            {
                assert!(
                    schema["properties"].get(field).is_some(),
                    "{seed}: response field `{field}` is not in {spec_file}"
                );
            }
            match page.op.get("x-dbplane-sample-request") {
                Some(sample) => assert_eq!(
                    sample["path"], ours.op["x-dbplane-sample-request"]["path"],
                    "{seed}: the sample request"
                ),
                // The DBSS page shows only the URI template as its example request: the
                // spec's sample is composed (and says so).
                None => assert_eq!(seed, "001_a44d9397467c5216.txt"),
            }
        }
    }

    #[test]
    fn enumerated_values_become_an_enum_only_when_each_is_one_word() {
        assert_eq!(
            enumerated_values("Engine type. Enumerated values: - mysql - postgresql - sqlserver"),
            Some(vec![
                "mysql".to_string(),
                "postgresql".into(),
                "sqlserver".into()
            ])
        );
        assert_eq!(
            enumerated_values("Enumerated values: - one thing - another thing"),
            None
        );
        assert_eq!(enumerated_values("Engine type."), None);
    }

    #[test]
    fn sample_fields_the_table_does_not_declare_are_noted_at_their_place() {
        let schema = json!({"properties": {"tags": {"items": {"properties": {"key": {}}}}}});
        let mut notes = Vec::new();
        undeclared_fields(
            &schema,
            &json!({"tags": [{"key": "k", "value": "v"}], "total": 1}),
            "response",
            &mut notes,
        );
        assert_eq!(
            notes,
            [
                "the sample response.tags[] has `value`, which its table does not declare",
                "the sample response has `total`, which its table does not declare",
            ]
        );
    }

    #[test]
    fn a_get_request_table_lists_query_parameters() {
        let page = "Querying\n========\n\nURI\n---\n\n-  URI format\n\n   GET https://{Endpoint}/v3/{project_id}/status?action={action}\n\nRequest\n-------\n\n.. table:: **Table 2** Parameters\n\n   +--------+-----------+--------+-------------+\n   | Name   | Mandatory | Type   | Description |\n   +========+===========+========+=============+\n   | action | Yes       | String | What.       |\n   +--------+-----------+--------+-------------+\n";
        let imported = import_page(page, "q.rst", &[]);
        assert!(imported.op.get("requestBody").is_none(), "{}", imported.op);
        let action = &imported.op["parameters"].as_array().unwrap()[0];
        assert_eq!(
            (action["name"].as_str(), action["in"].as_str()),
            (Some("action"), Some("query"))
        );
        assert_eq!(action["required"], true);
    }
}
