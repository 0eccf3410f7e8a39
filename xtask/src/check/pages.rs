//! `cargo xtask docs check`: each operation that names its source page (`x-dbplane-source`)
//! is compared with that page of the vendor's reference (OTC/Huawei reStructuredText): the
//! method and path, the URI and query parameters and whether they are mandatory, the normal
//! status codes, the top-level fields of the normal response and their types, and the sample
//! request. A disagreement the spec explains (`x-dbplane-doc-defects`, one line each, naming
//! what the page gets wrong) is not reported; any other is, naming the operation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::import::page::{literal_plus, AnchoredTable, DocOperation, Field, PageType};
use crate::import::read;
use crate::import::schema::MAX_SCHEMA_DEPTH;
use crate::spec::{self, LoadedSpec};

/// The spec's type of a field, in the page's words (`String`, `Integer`, `Object`, `Array`).
fn spec_kind(spec: &Value, schema: &Value) -> String {
    let schema = dbplane_spec::resolve(spec, schema);
    match schema["type"].as_str() {
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => "Array",
        _ => "Object",
    }
    .to_string()
}

/// The page's type in the spec's kind words: arrays of anything are `Array`, and what the
/// page does not name is taken as `Object`.
fn doc_kind(text: &str) -> String {
    match PageType::of(text) {
        Some(PageType::String) => "String",
        Some(PageType::Integer) => "Integer",
        Some(PageType::Number) => "Number",
        Some(PageType::Boolean) => "Boolean",
        Some(PageType::Strings | PageType::Integers | PageType::Array) => "Array",
        Some(PageType::Object) | None => "Object",
    }
    .to_string()
}

/// Every disagreement between the spec's operations and their source pages (`x-dbplane-source`,
/// relative to `shared`, the folder of the vendors' pages beside the workspace).
pub fn check(spec: &LoadedSpec, shared: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for operation in dbplane_spec::operations(&spec.json) {
        let Some(source) = operation.op["x-dbplane-source"].as_str() else {
            continue;
        };
        let id = operation.id().unwrap_or("?");
        let accepted: Vec<&str> = operation.op["x-dbplane-doc-defects"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut report = |what: String| {
            if !accepted
                .iter()
                .any(|a| what.starts_with(a.split(':').next().unwrap_or(a)))
            {
                out.push(format!("{}: {id} ({source}): {what}", spec.file.display()));
            }
        };
        let text = match std::fs::read_to_string(shared.join(source)) {
            Ok(text) => text,
            Err(e) => {
                report(format!("cannot read the page: {e}"));
                continue;
            }
        };
        let page = read::page(&text);
        compare(spec, &operation, &page.op, &mut report);
        compare_nested_fields(spec, &operation, &page.op, &page.tables, &mut report);
    }
    out
}

fn compare(
    spec: &LoadedSpec,
    operation: &dbplane_spec::SpecOperation<'_>,
    page: &DocOperation,
    report: &mut dyn FnMut(String),
) {
    let method = operation.method.to_ascii_uppercase();
    if page.method != method || page.path != operation.path {
        report(format!(
            "method and path: page `{} {}`, spec `{method} {}`",
            page.method, page.path, operation.path
        ));
    }
    let params = operation.parameters(&spec.json);
    let declared: BTreeMap<String, (&str, bool)> = params
        .iter()
        .filter_map(|p| {
            Some((
                p["name"].as_str()?.to_string(),
                (p["in"].as_str()?, p["required"] == Value::Bool(true)),
            ))
        })
        .collect();
    for (name, mandatory) in &page.uri_params {
        match declared.get(name) {
            None => report(format!("parameter `{name}`: on the page, not in the spec")),
            Some((location, required)) if *location != "header" && required != mandatory => {
                report(format!(
                    "parameter `{name}`: page says mandatory {mandatory}, spec required {required}"
                ))
            }
            _ => {}
        }
    }
    for name in &page.uri_query {
        if !declared.contains_key(name) {
            report(format!(
                "query parameter `{name}`: in the page's URI, not in the spec"
            ));
        }
    }
    for (name, (location, _)) in &declared {
        let on_page =
            page.uri_params.iter().any(|(n, _)| n == name) || page.uri_query.contains(name);
        if matches!(*location, "path" | "query") && !on_page {
            report(format!("parameter `{name}`: in the spec, not on the page"));
        }
    }
    let statuses: Vec<u16> = operation.op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(s, _)| s.parse().ok())
        .filter(|s| (200..300).contains(s))
        .collect();
    if !page.statuses.is_empty() && page.statuses != statuses {
        report(format!(
            "normal status: page {:?}, spec {statuses:?}",
            page.statuses
        ));
    }
    let schema = operation
        .success(&spec.json)
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema"))
        .map(|s| dbplane_spec::resolve(&spec.json, s));
    if let Some(schema) = schema {
        for (name, doc_type) in &page.response_fields {
            match schema["properties"].get(name) {
                None => report(format!(
                    "response field `{name}`: on the page, not in the spec"
                )),
                Some(field) => {
                    let (page_kind, spec_kind) = (doc_kind(doc_type), spec_kind(&spec.json, field));
                    if page_kind != spec_kind {
                        report(format!(
                            "response field `{name}`: page says {doc_type}, spec {spec_kind}"
                        ));
                    }
                }
            }
        }
    }
    compare_request_body(spec, operation, page, report);
    let sample = &operation.op["x-dbplane-sample-request"];
    let ours = (
        sample["method"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_uppercase(),
        sample["path"].as_str().unwrap_or_default().to_string(),
        sample["query"].as_str().unwrap_or_default().to_string(),
    );
    let documented = page
        .samples
        .iter()
        .any(|(m, p, q)| (m, p, &literal_plus(q)) == (&ours.0, &ours.1, &ours.2));
    if !page.samples.is_empty() && !documented {
        let shown: Vec<String> = page
            .samples
            .iter()
            .map(|(m, p, q)| {
                if q.is_empty() {
                    format!("{m} {p}")
                } else {
                    format!("{m} {p}?{q}")
                }
            })
            .collect();
        report(format!(
            "sample request: the spec's `{} {}?{}` is none of the page's ({})",
            ours.0,
            ours.1,
            ours.2,
            shown.join("; ")
        ));
    }
}

/// The request body the page documents (its table's fields, its sample's fields) against the
/// spec's: a field the page gives that the spec's body has no schema for is reported.
/// Every field the page's request and response tables document, nested ones too (through
/// the tables their rows refer to, or a tree table's rows), must be in the spec's schema at
/// the same place: an overlay that replaces a schema must not drop what the page documents.
fn compare_nested_fields(
    spec: &LoadedSpec,
    operation: &dbplane_spec::SpecOperation<'_>,
    page: &DocOperation,
    tables: &[AnchoredTable],
    report: &mut dyn FnMut(String),
) {
    let request = operation
        .op
        .pointer("/requestBody/content/application~1json/schema");
    let response = operation
        .success(&spec.json)
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema"));
    for (what, table, schema) in [
        ("request", &page.request_table, request),
        ("response", &page.response_table, response),
    ] {
        let (Some(table), Some(schema)) = (table, schema) else {
            continue;
        };
        let mut paths = Vec::new();
        documented_paths(&table.fields, tables, "", &mut Vec::new(), &mut paths);
        for path in paths.iter().filter(|p| p.contains('.')) {
            if !spec_declares(&spec.json, schema, path) {
                report(format!(
                    "{what} field `{path}`: on the page, not in the spec"
                ));
            }
        }
    }
}

/// The dotted paths (`instances[].ha.mode`) of `fields` and of the fields nested under them.
fn documented_paths(
    fields: &[Field],
    tables: &[AnchoredTable],
    prefix: &str,
    followed: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    for field in fields {
        let array = PageType::of(&field.ty) == Some(PageType::Array);
        let path = format!("{prefix}{}", field.name);
        out.push(path.clone());
        let inner = format!("{path}{}.", if array { "[]" } else { "" });
        if followed.len() >= MAX_SCHEMA_DEPTH {
            continue;
        }
        if !field.children.is_empty() {
            followed.push(String::new());
            documented_paths(&field.children, tables, &inner, followed, out);
            followed.pop();
        }
        // A reference is followed where the import follows it (`PageType::nests`).
        let Some(anchor) = field
            .reference
            .as_ref()
            .filter(|_| PageType::nests(&field.ty))
        else {
            continue;
        };
        if followed.contains(anchor) {
            continue;
        }
        if let Some(nested) = tables
            .iter()
            .find(|t| t.anchor.as_deref() == Some(anchor.as_str()))
        {
            followed.push(anchor.clone());
            documented_paths(&nested.fields, tables, &inner, followed, out);
            followed.pop();
        }
    }
}

/// Whether `schema` has a field at the dotted `path` (an open object declares anything).
fn spec_declares(spec: &Value, schema: &Value, path: &str) -> bool {
    let mut node = dbplane_spec::resolve(spec, schema);
    for step in path.split('.') {
        let (name, array) = match step.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (step, false),
        };
        let open = node.get("properties").is_none()
            && node.get("additionalProperties") != Some(&Value::Bool(false));
        let Some(field) = node["properties"].get(name) else {
            return open
                || node
                    .get("additionalProperties")
                    .is_some_and(Value::is_object);
        };
        node = dbplane_spec::resolve(spec, field);
        if array || node["type"] == "array" {
            node = dbplane_spec::resolve(spec, &node["items"]);
        }
    }
    true
}

fn compare_request_body(
    spec: &LoadedSpec,
    operation: &dbplane_spec::SpecOperation<'_>,
    page: &DocOperation,
    report: &mut dyn FnMut(String),
) {
    let body = operation
        .op
        .pointer("/requestBody/content/application~1json/schema")
        .map(|s| dbplane_spec::resolve(&spec.json, s));
    let declared = |name: &str| {
        body.as_ref().is_some_and(|schema| {
            schema.get("properties").is_none()
                && schema.get("$ref").is_none()
                && schema["type"] == "object"
                && schema.get("additionalProperties") != Some(&Value::Bool(false))
                || schema["properties"].get(name).is_some()
        })
    };
    let mut documented: Vec<(String, &str)> = page
        .request_table
        .iter()
        .flat_map(|t| &t.fields)
        .map(|f| (f.name.clone(), "its table"))
        .collect();
    if let Some(Value::Object(sample)) = &page.request_example {
        for name in sample.keys() {
            if !documented.iter().any(|(n, _)| n == name) {
                documented.push((name.clone(), "its sample"));
            }
        }
    }
    if body.is_none() && !documented.is_empty() {
        let names: Vec<&str> = documented.iter().map(|(n, _)| n.as_str()).collect();
        report(format!(
            "request body: the page documents fields ({}), the spec has no request body",
            names.join(", ")
        ));
        return;
    }
    for (name, whose) in documented {
        if !declared(&name) {
            report(format!(
                "request field `{name}`: in {whose} on the page, not in the spec's request body"
            ));
        }
    }
}

/// `cargo xtask docs check`: every spec's operations against their pages under `docs`
/// (default `../shared`); false on any disagreement.
pub fn run(root: &Path, docs: Option<PathBuf>) -> bool {
    let docs = docs.unwrap_or_else(|| root.join("../shared"));
    let services = match spec::discover(root) {
        Ok(services) => services,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let (mut checked, mut problems) = (0, 0);
    for service in &services {
        let spec = match spec::load(root, &service.spec_path) {
            Ok(spec) => spec,
            Err(e) => {
                eprintln!("error: {e}");
                return false;
            }
        };
        checked += dbplane_spec::operations(&spec.json)
            .filter(|o| o.op.get("x-dbplane-source").is_some())
            .count();
        for problem in check(&spec, &docs) {
            eprintln!("error: {problem}");
            problems += 1;
        }
    }
    println!(
        "checked {checked} operations against {}: {problems} disagreement(s)",
        docs.display()
    );
    problems == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_in_the_pages_words() {
        assert_eq!(doc_kind("Array of objects"), "Array");
        assert_eq!(doc_kind("List<String>"), "Array");
        assert_eq!(doc_kind("Integer"), "Integer");
        assert_eq!(doc_kind("Object"), "Object");
    }
}

#[cfg(test)]
mod against_the_reference {
    //! The real reference (`../shared/docs/otc/rds`, beside the workspace): the specs agree
    //! with it, and an edit to a page is noticed.
    use super::*;

    fn reference() -> Option<std::path::PathBuf> {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
        if shared.join("docs/otc/rds").is_dir() {
            return Some(shared);
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "CI has ../shared beside the workspace"
        );
        eprintln!("skipped: no ../shared/docs/otc/rds");
        None
    }

    fn rds_spec() -> LoadedSpec {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        crate::spec::load(&root, Path::new("specs/otc/rds.yaml")).expect("the RDS spec loads")
    }

    #[test]
    fn the_rds_spec_agrees_with_its_pages() {
        let Some(docs) = reference() else { return };
        assert_eq!(check(&rds_spec(), &docs), Vec::<String>::new());
    }

    #[test]
    fn a_body_field_the_page_documents_and_the_spec_lacks_is_reported() {
        let Some(docs) = reference() else { return };
        let spec = rds_spec();
        let operation = dbplane_spec::operations(&spec.json)
            .find(|o| o.id() == Some("create_manual_backup"))
            .expect("create_manual_backup");
        let source = operation.op["x-dbplane-source"].as_str().unwrap();
        let mut page = read::page(&std::fs::read_to_string(docs.join(source)).unwrap()).op;
        let mut problems = Vec::new();
        compare(&spec, &operation, &page, &mut |p| problems.push(p));
        assert_eq!(problems, Vec::<String>::new());
        // The page documents one more field in its table, and its sample sends another.
        let mut extra = page.request_table.as_ref().unwrap().fields[0].clone();
        extra.name = "retention_class".into();
        page.request_table.as_mut().unwrap().fields.push(extra);
        page.request_example.as_mut().unwrap()["sample_only"] = serde_json::json!(1);
        compare(&spec, &operation, &page, &mut |p| problems.push(p));
        assert_eq!(
            problems,
            [
                "request field `retention_class`: in its table on the page, not in the spec's request body",
                "request field `sample_only`: in its sample on the page, not in the spec's request body"
            ]
        );
        // A spec that lost its body altogether.
        let mut lost = spec.json.clone();
        let pointer = format!(
            "/paths/{}/{}",
            operation.path.replace('~', "~0").replace('/', "~1"),
            operation.method
        );
        lost.pointer_mut(&pointer)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("requestBody");
        let lost = LoadedSpec {
            json: lost,
            ..rds_spec()
        };
        let operation = dbplane_spec::operations(&lost.json)
            .find(|o| o.id() == Some("create_manual_backup"))
            .unwrap();
        let mut problems = Vec::new();
        compare(&lost, &operation, &page, &mut |p| problems.push(p));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("request body: the page documents fields (instance_id, name"),
            "{problems:?}"
        );
    }

    #[test]
    fn an_edited_page_is_reported_naming_the_operation_and_field() {
        let Some(docs) = reference() else { return };
        let copy = std::env::temp_dir().join(format!("dbplane-docs-{}", std::process::id()));
        let spec = rds_spec();
        for operation in dbplane_spec::operations(&spec.json) {
            let Some(source) = operation.op["x-dbplane-source"].as_str() else {
                continue;
            };
            let target = copy.join(source);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(docs.join(source), &target).unwrap();
        }
        let page = copy.join(
            "docs/otc/rds/api_v3_recommended/db_instance_management/querying_db_instances.rst",
        );
        let text = std::fs::read_to_string(&page).unwrap();
        let edited = text.replacen(
            "| total_count           | Integer ",
            "| total_count           | String  ",
            1,
        );
        assert_ne!(text, edited, "the page has the row to edit");
        std::fs::write(&page, edited).unwrap();
        let problems = check(&spec, &copy);
        let _ = std::fs::remove_dir_all(&copy);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("list_instances"), "{problems:?}");
        assert!(
            problems[0].contains("response field `total_count`: page says String, spec Integer"),
            "{problems:?}"
        );
    }

    #[test]
    fn an_edited_seed_page_is_reported_naming_the_operation_and_field() {
        let Some(shared) = reference() else { return };
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let spec = crate::spec::load(&root, Path::new("specs/huaweicloud/dbss.yaml")).unwrap();
        let copy = std::env::temp_dir().join(format!("dbplane-seeds-{}", std::process::id()));
        std::fs::create_dir_all(copy.join("seeds")).unwrap();
        let page = "seeds/001_a44d9397467c5216.txt";
        let text = std::fs::read_to_string(shared.join(page)).unwrap();
        assert_eq!(check(&spec, &shared), Vec::<String>::new());
        let edited = text.replacen("| result | String |", "| result | Integer |", 1);
        assert_ne!(text, edited, "the page has the row to edit");
        std::fs::write(copy.join(page), edited).unwrap();
        let problems = check(&spec, &copy);
        let _ = std::fs::remove_dir_all(&copy);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("stop_db_om_instance"), "{problems:?}");
        assert!(
            problems[0].contains("response field `result`: page says Integer, spec String"),
            "{problems:?}"
        );
    }
}
