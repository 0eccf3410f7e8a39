//! `cargo xtask import PAGE…`: a first reader of the OTC/Huawei reStructuredText reference
//! that turns a page into an OpenAPI operation (printed as YAML to stdout): method and path,
//! path and query parameters (type, mandatory), the request body and normal response from
//! their parameter tables (nested tables followed through their `:ref:` anchors), the normal
//! statuses, the documented sample request and response. What a page does not say clearly is
//! listed on stderr per page, never guessed silently.

use std::path::Path;

use heck::ToSnakeCase;
use serde_json::{json, Map, Value};

use crate::docs::{read_page, tables_with_anchors, AnchoredTable, PageType};

/// An imported operation and what could not be read.
pub struct Imported {
    /// `{path: {method: operation}}`.
    pub path_item: Value,
    /// Per-page notes: what the page leaves unclear.
    pub notes: Vec<String>,
}

/// Imports one page; `source` is the page's path, recorded as `x-dbplane-source`.
pub fn import_page(text: &str, source: &str) -> Imported {
    let mut notes = Vec::new();
    let page = read_page(text);
    let lines: Vec<&str> = text.lines().collect();
    let title = lines
        .iter()
        .zip(lines.iter().skip(1))
        .find(|(_, under)| under.starts_with("===") && !under.contains(' '))
        .map(|(t, _)| t.trim().to_string())
        .unwrap_or_default();
    if page.method.is_empty() {
        notes.push("no `METHOD https://{Endpoint}/…` line: method and path unknown".into());
    }
    let tables = tables_with_anchors(&lines);
    let mut parameters = Vec::new();
    for (name, mandatory) in &page.uri_params {
        let location = if page.path.contains(&format!("{{{name}}}")) {
            "path"
        } else {
            "query"
        };
        let ty = page
            .uri_types
            .get(name)
            .map(|t| json_type(t, &mut notes, name))
            .unwrap_or_else(|| {
                notes.push(format!(
                    "parameter `{name}`: no type given; `string` assumed"
                ));
                json!({"type": "string"})
            });
        parameters.push(json!({"name": name, "in": location, "required": *mandatory || location == "path", "schema": ty}));
    }
    for name in page
        .uri_query
        .iter()
        .filter(|q| !page.uri_params.iter().any(|(n, _)| n == *q))
    {
        notes.push(format!(
            "query parameter `{name}`: in the URI, not in the parameter table"
        ));
    }
    let mut op = Map::new();
    op.insert("operationId".into(), json!(title.to_snake_case()));
    op.insert("summary".into(), json!(title));
    op.insert("x-dbplane-source".into(), json!(source));
    op.insert("parameters".into(), Value::Array(parameters));
    if let Some((method, path, query)) = page.samples.first() {
        let mut sample = json!({"method": method, "path": path});
        if !query.is_empty() {
            sample["query"] = json!(query);
        }
        if let Some(body) = page.request_example.as_ref() {
            sample["body"] = body.clone();
        }
        op.insert("x-dbplane-sample-request".into(), sample);
    } else {
        notes.push("no sample request".into());
    }
    if let Some(table) = &page.request_table {
        let schema = object_schema(table, &tables, &mut notes, 0);
        let mut media = json!({"schema": schema});
        if let Some(example) = &page.request_example {
            media["example"] = example.clone();
        }
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": media}}),
        );
    }
    let mut responses = Map::new();
    let response_schema = page
        .response_table
        .as_ref()
        .map(|t| object_schema(t, &tables, &mut notes, 0))
        .unwrap_or_else(|| {
            notes.push("no normal-response table".into());
            json!({"type": "object"})
        });
    let statuses = if page.statuses.is_empty() {
        notes.push("no normal status code: 200 assumed".into());
        vec![200]
    } else {
        page.statuses.clone()
    };
    for status in statuses {
        let mut media = json!({"schema": response_schema});
        match &page.response_example {
            Some(example) => media["example"] = example.clone(),
            None => notes.push("no parsable sample response".into()),
        }
        responses.insert(
            status.to_string(),
            json!({"description": "Normal response.", "content": {"application/json": media}}),
        );
    }
    op.insert("responses".into(), Value::Object(responses));
    let path_item =
        json!({ page.path.clone(): { page.method.to_ascii_lowercase(): Value::Object(op) } });
    Imported { path_item, notes }
}

/// A page's type (`String`, `Integer`, `Array of objects`, `List<String>`, `Object`) as JSON
/// schema; what does not map is noted.
fn json_type(text: &str, notes: &mut Vec<String>, name: &str) -> Value {
    match PageType::of(text) {
        Some(PageType::String) => json!({"type": "string"}),
        Some(PageType::Integer) => json!({"type": "integer"}),
        Some(PageType::Boolean) => json!({"type": "boolean"}),
        Some(PageType::Number) => json!({"type": "number"}),
        Some(PageType::Strings) => json!({"type": "array", "items": {"type": "string"}}),
        Some(PageType::Array) => json!({"type": "array", "items": {"type": "object"}}),
        Some(PageType::Object) => json!({"type": "object"}),
        None => {
            notes.push(format!(
                "`{name}`: type `{}` does not map; left untyped",
                text.trim()
            ));
            json!({})
        }
    }
}

/// An object schema from a parameter table, following `:ref:` anchors into nested tables.
fn object_schema(
    table: &AnchoredTable,
    all: &[AnchoredTable],
    notes: &mut Vec<String>,
    depth: usize,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in &table.fields {
        let mut schema = json_type(&field.ty, notes, &field.name);
        if let Some(anchor) = &field.reference {
            match all
                .iter()
                .find(|t| t.anchor.as_deref() == Some(anchor.as_str()))
            {
                Some(nested) if depth < 6 => {
                    let inner = object_schema(nested, all, notes, depth + 1);
                    if schema["type"] == "array" {
                        schema["items"] = inner;
                    } else {
                        schema = inner;
                    }
                }
                Some(_) => notes.push(format!(
                    "`{}`: nested deeper than 6 tables; not followed",
                    field.name
                )),
                None => notes.push(format!("`{}`: table `{anchor}` not found", field.name)),
            }
        }
        if !field.description.is_empty() {
            schema["description"] = json!(field.description);
        }
        if field.mandatory {
            required.push(json!(field.name));
        }
        properties.insert(field.name.clone(), schema);
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    schema
}

/// `cargo xtask import PAGE…`: prints the operations as YAML, the notes on stderr.
pub fn run(pages: &[std::path::PathBuf], docs_root: &Path) -> bool {
    let mut paths = Map::new();
    let mut ok = true;
    for page in pages {
        let text = match std::fs::read_to_string(page) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {}: {e}", page.display());
                ok = false;
                continue;
            }
        };
        let source = page
            .strip_prefix(docs_root)
            .unwrap_or(page)
            .display()
            .to_string();
        let imported = import_page(&text, &source);
        for note in &imported.notes {
            eprintln!("note: {source}: {note}");
        }
        if let Value::Object(items) = imported.path_item {
            for (path, item) in items {
                let entry = paths.entry(path).or_insert_with(|| json!({}));
                if let (Some(entry), Value::Object(methods)) = (entry.as_object_mut(), item) {
                    entry.extend(methods);
                }
            }
        }
    }
    match serde_yaml::to_string(&json!({"paths": paths})) {
        Ok(yaml) => print!("{yaml}"),
        Err(e) => {
            eprintln!("error: {e}");
            ok = false;
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_imports_to_the_operation_the_spec_has() {
        let text = include_str!("../fixtures/docs/starting_an_instance.rst");
        let imported = import_page(text, "starting.rst");
        let op =
            &imported.path_item["/v3/{project_id}/instances/{instance_id}/action/startup"]["post"];
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
}
