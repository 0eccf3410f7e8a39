//! `cargo xtask import PAGE…`: a first reader of the OTC/Huawei reStructuredText reference
//! that turns a page into an OpenAPI operation (printed as YAML to stdout): method and path,
//! path and query parameters (type, mandatory), the request body and normal response from
//! their parameter tables (nested tables followed through their `:ref:` anchors), the normal
//! statuses, the documented sample request and response. What a page does not say clearly is
//! listed on stderr per page, never guessed silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{json, Map, Value};

use crate::docs::{read_any, tables_with_anchors, AnchoredTable, Page, PageType};
use crate::overlay;
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
    let mut notes = Vec::new();
    let Page {
        title,
        function,
        op: page,
        mut tables,
        unread,
    } = read_any(text);
    notes.extend(unread);
    if page.method.is_empty() {
        notes.push("no `METHOD https://{Endpoint}/…` line: method and path unknown".into());
    }
    tables.extend(elsewhere.iter().filter(|t| t.anchor.is_some()).cloned());
    let sample = page.samples.first();
    let sample_params = sample.as_ref().and_then(|(_, path, _)| {
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
    });
    // A `+` the pages write in a sample query is the value's own (`+0800`, the time zone the
    // table describes), which on the wire would read as a space: the sample keeps it as `%2B`.
    let sample = sample.map(|(method, path, query)| {
        if query.contains('+') {
            notes.push(format!(
                "the sample query `{query}` writes `+` unencoded: taken as a literal `+` (sent as %2B)"
            ));
        }
        (method, path, crate::docs::literal_plus(query))
    });
    let sample_query = sample
        .as_ref()
        .map(|(_, _, q)| {
            dbplane_spec::sample_query(&json!({"x-dbplane-sample-request": {"query": q}}))
        })
        .unwrap_or_default();
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
            .map(|t| json_type(t, &mut notes, name))
            .unwrap_or_else(|| {
                notes.push(format!(
                    "parameter `{name}`: no type given; `string` assumed"
                ));
                json!({"type": "string"})
            });
        if location == "path" && schema["type"] == "string" {
            schema["pattern"] = json!(crate::lint::PATH_PARAMETER_PATTERN);
        }
        let mut param = json!({"name": name, "in": location, "required": *mandatory || location == "path", "schema": schema});
        let value = match location {
            "path" => sample_params
                .as_ref()
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
    for field in &page.header_params {
        let mut schema = json_type(&field.ty, &mut notes, &field.name);
        if let Some(values) = enumerated_values(&field.description) {
            schema["enum"] = json!(values);
        }
        let mut param = json!({"name": field.name, "in": "header", "required": field.mandatory, "schema": schema});
        if !field.description.is_empty() {
            param["description"] = json!(plain_text(&field.description));
        }
        parameters.push(param);
    }
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
    match sample {
        Some((method, path, query)) => {
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
            op.insert("x-dbplane-sample-request".into(), request);
        }
        None => {
            notes.push("no sample request".into());
            undocumented.push(NO_SAMPLE_REQUEST);
        }
    }
    if let Some(table) = &page.request_table {
        let schema = object_schema(table, &tables, &mut notes, &mut Expansion::default());
        let mut media = json!({"schema": schema});
        match &page.request_example {
            Some(example) => {
                undeclared_fields(&media["schema"], example, "request", &mut notes);
                media["example"] = example.clone();
            }
            None => notes.push("a request table but no parsable sample request body".into()),
        }
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": media}}),
        );
    } else if let Some(example) = &page.request_example {
        // `Parameter description: None` and a sample body of `{}`: an empty object is sent.
        if example != &json!({}) {
            notes.push(
                "a sample request body but no request parameter table: taken as an open object"
                    .into(),
            );
        }
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": {
                "schema": if example == &json!({}) {
                    json!({"type": "object", "properties": {}, "additionalProperties": false, "description": "No parameters: an empty JSON object."})
                } else {
                    json!({"type": "object"})
                },
                "example": example,
            }}}),
        );
    }
    let statuses = if page.statuses.is_empty() {
        notes.push("no normal status code: 200 assumed".into());
        vec![200]
    } else {
        page.statuses.clone()
    };
    let mut responses = Map::new();
    let response_schema = page
        .response_table
        .as_ref()
        .map(|t| object_schema(t, &tables, &mut notes, &mut Expansion::default()));
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
                undeclared_fields(&media["schema"], example, "response", &mut notes);
                media["example"] = example.clone();
            }
            None => {
                notes.push(format!("{status}: no parsable sample response"));
                if !undocumented.contains(&NO_SAMPLE_RESPONSE) {
                    undocumented.push(NO_SAMPLE_RESPONSE);
                }
            }
        }
        responses.insert(
            status.to_string(),
            json!({"description": "Normal response.", "content": {"application/json": media}}),
        );
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

/// Prose without reStructuredText markup: `:ref:`Text <anchor>`` → `Text`,
/// `` `text <url>`__ `` → `text (url)`, `**bold**` → `bold`.
fn plain_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let (before, after) = rest.split_at(start);
        let before = before.strip_suffix(":ref:").unwrap_or(before);
        out.push_str(before);
        let Some(end) = after[1..].find('`') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let inner = &after[1..=end];
        rest = after[end + 2..].trim_start_matches('_');
        match inner.rsplit_once(" <") {
            Some((label, target)) if target.starts_with("http") => {
                out.push_str(&format!("{label} ({})", target.trim_end_matches('>')))
            }
            Some((label, _)) => out.push_str(label),
            None => out.push_str(inner),
        }
    }
    out.push_str(rest);
    out.replace("**", "")
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

/// A page's type (`String`, `Integer`, `Array of objects`, `List<String>`, `Object`) as JSON
/// schema; what does not map is noted.
fn json_type(text: &str, notes: &mut Vec<String>, name: &str) -> Value {
    match PageType::of(text) {
        Some(PageType::String) => json!({"type": "string"}),
        Some(PageType::Integer) => json!({"type": "integer"}),
        Some(PageType::Boolean) => json!({"type": "boolean"}),
        Some(PageType::Number) => json!({"type": "number"}),
        Some(PageType::Strings) => json!({"type": "array", "items": {"type": "string"}}),
        Some(PageType::Integers) => json!({"type": "array", "items": {"type": "integer"}}),
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

/// Where the expansion of a schema's nested tables stands: the anchors being expanded (a
/// table met again on its own path is a cycle) and the fields left to write.
struct Expansion {
    path: Vec<String>,
    budget: usize,
}

impl Default for Expansion {
    fn default() -> Self {
        Self {
            path: Vec::new(),
            budget: MAX_SCHEMA_FIELDS,
        }
    }
}

/// The most fields one operation's schema is expanded to (RDS's largest has a few hundred):
/// tables that refer to each other many times cannot grow a schema beyond it.
const MAX_SCHEMA_FIELDS: usize = 5_000;
/// The deepest nesting of tables followed.
const MAX_SCHEMA_DEPTH: usize = 6;

/// An object schema from a parameter table, following `:ref:` anchors into nested tables;
/// each anchor is expanded at most once on a path (a cycle is left an open object, noted),
/// and the whole schema is bounded ([`MAX_SCHEMA_FIELDS`]).
fn object_schema(
    table: &AnchoredTable,
    all: &[AnchoredTable],
    notes: &mut Vec<String>,
    expansion: &mut Expansion,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in &table.fields {
        if expansion.budget == 0 {
            let note = format!(
                "the schema reaches {MAX_SCHEMA_FIELDS} fields: the rest of its tables is not expanded"
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
            break;
        }
        expansion.budget -= 1;
        let mut schema = json_type(&field.ty, notes, &field.name);
        // A reference from a scalar field is prose ("see Obtaining …"), not its structure.
        let structured = !matches!(
            PageType::of(&field.ty),
            Some(
                PageType::String
                    | PageType::Integer
                    | PageType::Number
                    | PageType::Boolean
                    | PageType::Strings
                    | PageType::Integers
            )
        );
        if let Some(anchor) = field.reference.as_ref().filter(|_| structured) {
            match all
                .iter()
                .find(|t| t.anchor.as_deref() == Some(anchor.as_str()))
            {
                Some(_) if expansion.path.contains(anchor) => notes.push(format!(
                    "`{}`: table `{anchor}` refers back to itself (a cycle); left an open object",
                    field.name
                )),
                Some(nested) if expansion.path.len() < MAX_SCHEMA_DEPTH => {
                    expansion.path.push(anchor.clone());
                    let inner = object_schema(nested, all, notes, expansion);
                    expansion.path.pop();
                    if schema["type"] == "array" {
                        schema["items"] = inner;
                    } else {
                        schema = inner;
                    }
                }
                Some(_) => notes.push(format!(
                    "`{}`: nested deeper than {MAX_SCHEMA_DEPTH} tables; not followed",
                    field.name
                )),
                None => notes.push(format!("`{}`: table `{anchor}` not found", field.name)),
            }
        }
        if !field.description.is_empty() {
            schema["description"] = json!(plain_text(&field.description));
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

/// A page's `x-dbplane-source`: its path under the docs root, with `/` separators.
fn source_of(page: &Path, docs_root: &Path) -> String {
    page.strip_prefix(docs_root)
        .unwrap_or(page)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `cargo xtask import PAGE…`: prints the operations as YAML, the notes on stderr.
pub fn run_pages(pages: &[PathBuf], docs_root: &Path) -> bool {
    let mut operations = Vec::new();
    let mut ok = true;
    for page in pages {
        let text = match read_page_file(page) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
                continue;
            }
        };
        let source = source_of(page, docs_root);
        let imported = import_page(&text, &source, &[]);
        if imported.method.is_empty() || imported.path.is_empty() {
            eprintln!(
                "error: {source}: no `METHOD https://{{Endpoint}}/…` line: not an operation page"
            );
            ok = false;
            continue;
        }
        for note in &imported.notes {
            eprintln!("note: {source}: {note}");
        }
        operations.push((imported.method, imported.path, imported.op));
    }
    // Pages sharing a method and path are both kept (keyed `path#operationId`), as in a spec.
    let paths = match paths_of(operations) {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    match serde_yaml::to_string(&json!({ "paths": paths })) {
        Ok(yaml) => print!("{yaml}"),
        Err(e) => {
            eprintln!("error: {e}");
            ok = false;
        }
    }
    ok
}

/// A spec written by the importer: `specs/<vendor>/<service>.yaml` from the pages its overlay
/// (`<service>.overlay.yaml`) names, with the overlay applied.
pub struct Target {
    /// The overlay, relative to the workspace.
    pub overlay: PathBuf,
    /// The spec it produces, relative to the workspace.
    pub spec: PathBuf,
}

/// Every overlay under `specs/`, sorted.
pub fn targets(root: &Path) -> Result<Vec<Target>, String> {
    let mut found = Vec::new();
    let specs = root.join("specs");
    let vendors = std::fs::read_dir(&specs).map_err(|e| format!("{}: {e}", specs.display()))?;
    for vendor in vendors.flatten() {
        let Ok(files) = std::fs::read_dir(vendor.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if let Some(service) = name.strip_suffix(OVERLAY_SUFFIX) {
                let dir = PathBuf::from("specs").join(vendor.file_name());
                found.push(Target {
                    overlay: dir.join(&name),
                    spec: dir.join(format!("{service}.yaml")),
                });
            }
        }
    }
    found.sort_by(|a, b| a.overlay.cmp(&b.overlay));
    Ok(found)
}

/// How an overlay's name ends.
pub const OVERLAY_SUFFIX: &str = ".overlay.yaml";

/// What an overlay asks of the importer (`x-dbplane-import`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportSettings {
    /// The reference, under the docs root (`otc/rds`).
    docs: String,
    /// Folders and pages under it to import.
    pages: Vec<String>,
    /// Responses every operation gets unless it has that status (the service's errors).
    #[serde(default)]
    responses: Map<String, Value>,
    /// Patches for every parameter of a name, before the operation's own patch.
    #[serde(default)]
    parameters: Map<String, Value>,
    /// Patches per operation, keyed by its page (`x-dbplane-source`).
    #[serde(default)]
    operations: Map<String, Value>,
}

/// The spec an overlay produces from the pages under `docs_root`, as YAML, and the notes.
/// A spec built from its pages: its text, the notes, and the report of what each page gave.
pub struct Built {
    pub yaml: String,
    pub notes: Vec<String>,
    pub report: crate::report::Report,
}

pub fn build(root: &Path, docs_root: &Path, target: &Target) -> Result<Built, String> {
    let overlay_text = std::fs::read_to_string(root.join(&target.overlay))
        .map_err(|e| format!("{}: {e}", target.overlay.display()))?;
    let mut document: Value = serde_yaml::from_str(&overlay_text)
        .map_err(|e| format!("{}: {e}", target.overlay.display()))?;
    let settings = document
        .as_object_mut()
        .and_then(|d| d.remove("x-dbplane-import"))
        .ok_or_else(|| format!("{}: no `x-dbplane-import`", target.overlay.display()))?;
    let settings: ImportSettings = serde_json::from_value(settings)
        .map_err(|e| format!("{}: x-dbplane-import: {e}", target.overlay.display()))?;
    let reference = docs_root.join(&settings.docs);
    let mut pages = Vec::new();
    for entry in &settings.pages {
        collect_pages(&reference.join(entry), &mut pages)
            .map_err(|e| format!("{}: {e}", reference.join(entry).display()))?;
    }
    pages.sort();
    let texts = reference_pages(&reference)?;
    let elsewhere = anchored_tables_of(&texts);
    let mut notes = Vec::new();
    let mut imported = Vec::new();
    let mut report = crate::report::Report {
        reference: settings.docs.trim_start_matches("docs/").to_string(),
        spec: target.spec.display().to_string().replace('\\', "/"),
        pages: Vec::new(),
    };
    for page in &pages {
        let text = match texts.get(page) {
            Some(text) => text.clone(),
            None => read_page_file(page)?,
        };
        let source = source_of(page, docs_root);
        let mut page_import = import_page(&text, &source, &elsewhere);
        report.pages.push(
            crate::report::page_read(
                &source,
                &page_import.method,
                &page_import.path,
                &page_import.op,
                &page_import.statuses,
            )
            .with_notes(&page_import.notes),
        );
        notes.extend(
            page_import
                .notes
                .drain(..)
                .map(|n| format!("{source}: {n}")),
        );
        imported.push(page_import);
    }
    for source in settings.operations.keys() {
        if !imported.iter().any(|p| &p.source == source) {
            return Err(format!(
                "{}: the overlay patches `{source}`, which is not an imported page",
                target.overlay.display()
            ));
        }
    }
    let mut operations = Vec::new();
    for mut page in imported {
        apply_defaults(&mut page.op, &settings);
        if let Some(patch) = settings.operations.get(&page.source) {
            overlay::apply(&mut page.op, patch).map_err(|e| {
                format!(
                    "{}: overlay of {}: {e}",
                    target.overlay.display(),
                    page.source
                )
            })?;
        }
        if page.op.get("x-dbplane-skip").is_some() {
            continue;
        }
        let path = page
            .op
            .as_object_mut()
            .and_then(|o| o.remove("x-dbplane-path"))
            .and_then(|p| p.as_str().map(str::to_string))
            .unwrap_or(page.path);
        if page.method.is_empty() || path.is_empty() {
            return Err(format!(
                "{}: no method or path: give `x-dbplane-path` (and fix the page) or `x-dbplane-skip` in the overlay",
                page.source
            ));
        }
        operations.push((page.method, path, page.op));
    }
    let schemas = hoist_schemas(&mut document, &mut operations)?;
    document["paths"] = paths_of(operations)?;
    if !schemas.is_empty() {
        notes.push(format!("{} request/response schemas named", schemas.len()));
    }
    for problem in example_problems(&document) {
        notes.push(problem);
    }
    let yaml = serde_yaml::to_string(&document).map_err(|e| e.to_string())?;
    let header = format!(
        "# @generated by `cargo xtask import` from the pages under {} and {}.\n# Do not edit by hand: edit the overlay (or the pages) and re-import.\n",
        settings.docs,
        target.overlay.display()
    );
    Ok(Built {
        yaml: format!("{header}{yaml}"),
        notes,
        report,
    })
}

/// The largest page read: the longest reference page is about 100 KiB.
const MAX_PAGE_BYTES: u64 = 4 << 20;

/// A page's text: UTF-8, at most [`MAX_PAGE_BYTES`], not empty; else an error naming it.
fn read_page_file(page: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", page.display()))?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(format!(
            "{}: larger than {} MiB; not a reference page",
            page.display(),
            MAX_PAGE_BYTES >> 20
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (byte {})",
            page.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.trim().is_empty() {
        return Err(format!("{}: the page is empty", page.display()));
    }
    Ok(text)
}

/// Every page of a reference, read once: the pages to import and the tables their fields
/// may point at, on other pages too.
fn reference_pages(reference: &Path) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut pages = Vec::new();
    collect_pages(reference, &mut pages).map_err(|e| format!("{}: {e}", reference.display()))?;
    pages
        .into_iter()
        .map(|page| {
            let text = read_page_file(&page)?;
            Ok((page, text))
        })
        .collect()
}

/// The anchored tables of every page, in page order.
fn anchored_tables_of(texts: &BTreeMap<PathBuf, String>) -> Vec<AnchoredTable> {
    texts
        .values()
        .flat_map(|text| {
            let lines: Vec<&str> = text.lines().collect();
            tables_with_anchors(&lines)
        })
        .filter(|t| t.anchor.is_some())
        .collect()
}

fn collect_pages(path: &Path, pages: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_file() {
        pages.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?.path();
        if entry.is_dir() {
            collect_pages(&entry, pages)?;
        } else if entry.extension().is_some_and(|e| e == "rst")
            && entry.file_name().is_some_and(|n| n != "index.rst")
        {
            pages.push(entry);
        }
    }
    Ok(())
}

/// The service's error responses and the per-name parameter patches.
fn apply_defaults(op: &mut Value, settings: &ImportSettings) {
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, response) in &settings.responses {
            responses
                .entry(status.clone())
                .or_insert_with(|| response.clone());
        }
    }
    if let Some(parameters) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for param in parameters {
            let name = param["name"].as_str().unwrap_or_default().to_string();
            if let Some(patch) = settings.parameters.get(&name) {
                overlay::merge(param, patch);
                // The sample's value, read as text, takes the type the patch gives.
                if let Some(Value::String(text)) = param.get("example").cloned() {
                    if let Ok(typed) = dbplane_spec::typed_value(&param["schema"], &text) {
                        param["example"] = typed;
                    }
                }
            }
        }
    }
}

/// Moves each inline request and normal-response schema to `components/schemas` as
/// `<OperationId>Request` / `<OperationId>Response` (stable type names for the generated
/// client); returns the names added.
fn hoist_schemas(
    document: &mut Value,
    operations: &mut [(String, String, Value)],
) -> Result<Vec<String>, String> {
    let mut added = Vec::new();
    for (_, _, op) in operations.iter_mut() {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_upper_camel_case();
        let mut places = vec![(
            "/requestBody/content/application~1json/schema".to_string(),
            format!("{id}Request"),
        )];
        if let Some(responses) = op["responses"].as_object() {
            let normal: Vec<String> = responses
                .keys()
                .filter(|s| s.starts_with('2'))
                .cloned()
                .collect();
            for status in normal {
                places.push((
                    format!("/responses/{status}/content/application~1json/schema"),
                    format!("{id}Response"),
                ));
            }
        }
        for (pointer, name) in places {
            let Some(schema) = op.pointer_mut(&pointer) else {
                continue;
            };
            if schema.get("$ref").is_some() {
                continue;
            }
            let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
            let schema = std::mem::replace(schema, reference);
            let components = &mut document["components"]["schemas"];
            match components.get(&name) {
                Some(existing) if *existing == schema => {}
                Some(_) => {
                    return Err(format!(
                        "two schemas would be named `{name}`: rename an operation in the overlay"
                    ))
                }
                None => {
                    components[&name] = schema;
                    added.push(name);
                }
            }
        }
    }
    Ok(added)
}

/// `{path: {method: op}}`; operations sharing a method and path (an action API told apart by
/// its body) are keyed `path#operationId` (the fragment never reaches the wire).
fn paths_of(operations: Vec<(String, String, Value)>) -> Result<Value, String> {
    let mut paths = Map::new();
    let shared = |method: &str, path: &str| {
        operations
            .iter()
            .filter(|(m, p, _)| m == method && p == path)
            .count()
            > 1
    };
    let mut keyed = Vec::new();
    for (method, path, op) in &operations {
        let key = if shared(method, path) {
            format!("{path}#{}", op["operationId"].as_str().unwrap_or_default())
        } else {
            path.clone()
        };
        keyed.push((method.clone(), key, op.clone()));
    }
    for (method, key, op) in keyed {
        let item = paths.entry(key.clone()).or_insert_with(|| json!({}));
        if let Some(first) = item.get(&method) {
            let page = |op: &Value| op["x-dbplane-source"].as_str().unwrap_or("?").to_string();
            return Err(format!(
                "two operations are {method} {key} with one operationId (pages {} and {}): name one apart in the overlay",
                page(first),
                page(&op)
            ));
        }
        item[method] = op;
    }
    Ok(Value::Object(paths))
}

/// Each example that does not fit its schema, by operation.
fn example_problems(document: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for operation in dbplane_spec::operations(document) {
        let id = operation.id().unwrap_or("?");
        let mut media = vec![(
            "request".to_string(),
            operation
                .op
                .pointer("/requestBody/content/application~1json"),
        )];
        if let Some(responses) = operation.op["responses"].as_object() {
            for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                media.push((
                    status.clone(),
                    response.pointer("/content/application~1json"),
                ));
            }
        }
        for (what, media) in media {
            let Some(media) = media else { continue };
            if let (Some(schema), Some(example)) = (media.get("schema"), media.get("example")) {
                if let Err(e) = dbplane_spec::validate(document, schema, example) {
                    problems.push(format!(
                        "{id}: the {what} sample does not fit its table: {e}"
                    ));
                }
            }
        }
    }
    problems
}

/// `cargo xtask import [--check]`: writes (or compares) every spec that has an overlay.
pub fn run_targets(root: &Path, docs_root: &Path, check: bool, verbose: bool) -> bool {
    let targets = match targets(root) {
        Ok(targets) => targets,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let mut ok = true;
    for target in &targets {
        let started = std::time::Instant::now();
        let Built {
            yaml,
            notes,
            report,
        } = match build(root, docs_root, target) {
            Ok(built) => built,
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
                continue;
            }
        };
        if verbose {
            for note in &notes {
                eprintln!("note: {note}");
            }
        }
        let path = root.join(&target.spec);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        let state = if current == yaml {
            "unchanged"
        } else if check {
            ok = false;
            for difference in drift(&current, &yaml) {
                eprintln!("  {}: {difference}", target.spec.display());
            }
            "differs from the import (run `cargo xtask import`)"
        } else {
            if let Err(e) = std::fs::write(&path, &yaml) {
                eprintln!("error: {}: {e}", path.display());
                ok = false;
                continue;
            }
            "written"
        };
        println!(
            "{}: {state} ({} notes{}, {:.2} s)",
            target.spec.display(),
            notes.len(),
            if verbose { "" } else { "; -v lists them" },
            started.elapsed().as_secs_f64()
        );
        println!("  {}", report.summary());
        match report.write(&root.join("target/import-report")) {
            Ok(path) => println!(
                "  report: {}",
                path.strip_prefix(root).unwrap_or(&path).display()
            ),
            Err(e) => eprintln!("warning: the import report could not be written: {e}"),
        }
    }
    ok
}

/// Where a committed spec and its import differ: each operation by its id and page, each
/// component by name, and any other top-level part, in the spec's order.
fn drift(committed: &str, imported: &str) -> Vec<String> {
    let parse = |text: &str| serde_yaml::from_str::<Value>(text).unwrap_or(Value::Null);
    let (old, new) = (parse(committed), parse(imported));
    if old.is_null() {
        return vec!["the committed spec is not YAML".into()];
    }
    let mut out = Vec::new();
    let ops = |spec: &Value| -> std::collections::BTreeMap<String, Value> {
        dbplane_spec::operations(spec)
            .map(|op| {
                (
                    format!("{} {}", op.method.to_uppercase(), op.path),
                    op.op.clone(),
                )
            })
            .collect()
    };
    let (old_ops, new_ops) = (ops(&old), ops(&new));
    let name = |op: &Value| {
        let id = op["operationId"].as_str().unwrap_or("(no operationId)");
        match op["x-dbplane-source"].as_str() {
            Some(page) => format!("operation `{id}` (page {page})"),
            None => format!("operation `{id}`"),
        }
    };
    for (key, op) in &new_ops {
        match old_ops.get(key) {
            None => out.push(format!("{} {key}: new in the import", name(op))),
            Some(before) if before != op => {
                let fields: Vec<&str> = op
                    .as_object()
                    .into_iter()
                    .flatten()
                    .chain(before.as_object().into_iter().flatten())
                    .filter(|(k, _)| before.get(k.as_str()) != op.get(k.as_str()))
                    .map(|(k, _)| k.as_str())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                out.push(format!(
                    "{} {key}: differs in {}",
                    name(op),
                    fields.join(", ")
                ));
            }
            Some(_) => {}
        }
    }
    for (key, op) in &old_ops {
        if !new_ops.contains_key(key) {
            out.push(format!("{} {key}: no longer in the import", name(op)));
        }
    }
    let schemas = |spec: &Value| {
        spec.pointer("/components/schemas")
            .cloned()
            .unwrap_or_default()
    };
    let (old_schemas, new_schemas) = (schemas(&old), schemas(&new));
    let names: std::collections::BTreeSet<&String> = old_schemas
        .as_object()
        .into_iter()
        .flatten()
        .chain(new_schemas.as_object().into_iter().flatten())
        .map(|(k, _)| k)
        .collect();
    for schema in names {
        if old_schemas.get(schema) != new_schemas.get(schema) {
            out.push(format!("component `{schema}` differs"));
        }
    }
    for (key, value) in new.as_object().into_iter().flatten() {
        if !matches!(key.as_str(), "paths" | "components") && old.get(key) != Some(value) {
            out.push(format!("`{key}` differs"));
        }
    }
    if out.is_empty() {
        out.push("the text differs (comments, order or layout)".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drifted_spec_names_the_operation_and_page_that_changed() {
        let imported = "paths:\n  /v3/{project_id}/jobs:\n    get:\n      operationId: show_job_info\n      x-dbplane-source: docs/otc/rds/jobs.rst\n      summary: Querying a task\n  /v3/x:\n    post:\n      operationId: gone\ncomponents:\n  schemas:\n    Job: {type: object}\n";
        let committed = imported
            .replace("Querying a task", "Querying the task")
            .replace("Job: {type: object}", "Job: {type: string}");
        assert_eq!(
            drift(&committed, imported),
            vec![
                "operation `show_job_info` (page docs/otc/rds/jobs.rst) GET /v3/{project_id}/jobs: differs in summary".to_string(),
                "component `Job` differs".to_string(),
            ]
        );
        let committed = imported.replace("  /v3/x:\n    post:\n      operationId: gone\n", "");
        assert_eq!(
            drift(&committed, imported),
            vec!["operation `gone` POST /v3/x: new in the import".to_string()]
        );
        assert_eq!(
            drift(&format!("# comment\n{imported}"), imported),
            vec!["the text differs (comments, order or layout)".to_string()]
        );
    }

    fn table(anchor: &str, fields: &[(&str, &str, Option<&str>)]) -> AnchoredTable {
        AnchoredTable {
            anchor: Some(anchor.into()),
            fields: fields
                .iter()
                .map(|(name, ty, reference)| crate::docs::Field {
                    name: name.to_string(),
                    ty: ty.to_string(),
                    mandatory: false,
                    description: String::new(),
                    reference: reference.map(str::to_string),
                })
                .collect(),
            line: 0,
            caption: String::new(),
        }
    }

    #[test]
    fn a_cycle_of_tables_is_expanded_once_and_noted() {
        let a = table("a", &[("b", "Object", Some("b")), ("n", "String", None)]);
        let b = table("b", &[("a", "Array of objects", Some("a"))]);
        let all = vec![a.clone(), b];
        let mut notes = Vec::new();
        let schema = object_schema(&a, &all, &mut notes, &mut Expansion::default());
        assert_eq!(
            schema["properties"]["b"]["properties"]["a"],
            json!({"type": "array", "items": {"type": "object", "properties": {"b": {"type": "object"}, "n": {"type": "string"}}}})
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("a cycle"), "{notes:?}");
    }

    #[test]
    fn tables_that_fan_out_cannot_grow_a_schema_without_bound() {
        // Six levels of ten fields each pointing at the next level: a million fields.
        let all: Vec<AnchoredTable> = (0..7)
            .map(|level| {
                let next = format!("t{}", level + 1);
                let fields: Vec<(String, &str, Option<String>)> = (0..10)
                    .map(|i| (format!("f{i}"), "Object", (level < 6).then(|| next.clone())))
                    .collect();
                let borrowed: Vec<(&str, &str, Option<&str>)> = fields
                    .iter()
                    .map(|(n, t, r)| (n.as_str(), *t, r.as_deref()))
                    .collect();
                table(&format!("t{level}"), &borrowed)
            })
            .collect();
        let mut notes = Vec::new();
        let schema = object_schema(&all[0], &all, &mut notes, &mut Expansion::default());
        let size = serde_json::to_string(&schema).unwrap().len();
        assert!(size < 2_000_000, "{size} bytes");
        assert!(
            notes.iter().any(|n| n.contains("reaches 5000 fields")),
            "{notes:?}"
        );
    }

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
        let text = include_str!("../fixtures/docs/starting_an_instance.rst");
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
