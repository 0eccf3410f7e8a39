//! `cargo xtask docs check`: each operation that names its source page (`x-dbplane-source`)
//! is compared with that page of the vendor's reference (OTC/Huawei reStructuredText): the
//! method and path, the URI and query parameters and whether they are mandatory, the normal
//! status codes, the top-level fields of the normal response and their types, and the sample
//! request. A disagreement the spec explains (`x-dbplane-doc-defects`, one line each, naming
//! what the page gets wrong) is not reported; any other is, naming the operation.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::spec::LoadedSpec;

/// What a reference page says of its operation.
#[derive(Debug, Default, PartialEq)]
pub struct DocOperation {
    /// `POST`, `GET`…
    pub method: String,
    /// The path template (`/v3/{project_id}/instances`).
    pub path: String,
    /// Query parameters named in the URI line.
    pub uri_query: Vec<String>,
    /// The URI parameter table: name and whether it is mandatory.
    pub uri_params: Vec<(String, bool)>,
    /// The normal status codes.
    pub statuses: Vec<u16>,
    /// The normal response's top-level fields and their documented types.
    pub response_fields: Vec<(String, String)>,
    /// The sample requests: method, path and query of each.
    pub samples: Vec<(String, String, String)>,
    /// URI parameter types, when the URI table gives them.
    pub uri_types: std::collections::HashMap<String, String>,
    /// The page says the normal response has no body (`Normal response` followed by `None`).
    pub response_none: bool,
    /// URI parameter descriptions, by name.
    pub uri_descriptions: std::collections::HashMap<String, String>,
    /// The request body's parameter table (POST, PUT…), if any.
    pub request_table: Option<AnchoredTable>,
    /// The normal response's parameter table.
    pub response_table: Option<AnchoredTable>,
    /// The first sample request body that parses as JSON.
    pub request_example: Option<Value>,
    /// The first sample response that parses as JSON.
    pub response_example: Option<Value>,
    /// Request header parameters (not the credentials' or the transport's headers).
    pub header_params: Vec<Field>,
}

impl DocOperation {
    /// The request table's fields that are query parameters — all of them for a GET, else
    /// those the URI names after `?` — moved to the URI parameters.
    pub fn move_query_fields_out_of_the_request_table(&mut self) {
        let Some(table) = self.request_table.as_mut() else {
            return;
        };
        let bodiless = self.method == "GET";
        let (query, body): (Vec<_>, Vec<_>) = std::mem::take(&mut table.fields)
            .into_iter()
            .partition(|f| bodiless || self.uri_query.contains(&f.name));
        table.fields = body;
        for field in query {
            self.uri_types.insert(field.name.clone(), field.ty.clone());
            self.uri_descriptions
                .insert(field.name.clone(), field.description.clone());
            self.uri_params.push((field.name, field.mandatory));
        }
        if self
            .request_table
            .as_ref()
            .is_some_and(|t| t.fields.is_empty())
        {
            self.request_table = None;
        }
    }

    /// Method, path template and query parameter names from a URI template's method and what
    /// follows its host (`/v3/{*project_id*}/x?limit={limit}`; RST emphasis dropped).
    pub(crate) fn set_uri(&mut self, method: &str, rest: &str) {
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        self.method = method.to_string();
        self.path = path.trim().replace('*', "");
        self.uri_query = query
            .split('&')
            .filter_map(|p| p.split('=').next())
            .filter(|k| !k.is_empty())
            .map(|k| k.replace('*', ""))
            .collect();
    }
}

/// A parameter table with the anchor (`.. _name:`) just before it, its rows read as fields.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchoredTable {
    /// The anchor, which `:ref:` names.
    pub anchor: Option<String>,
    /// The rows.
    pub fields: Vec<Field>,
    /// Its first line on the page (1-based; 0 when unknown).
    pub line: usize,
    /// Its caption (`Request body parameters`), when it has one.
    pub caption: String,
}

/// One row of a parameter table.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name.
    pub name: String,
    /// Documented type.
    pub ty: String,
    /// Mandatory (`Yes`).
    pub mandatory: bool,
    /// Description, on one line.
    pub description: String,
    /// The anchor of the nested table the description refers to.
    pub reference: Option<String>,
}

/// The anchor (`.. _name:`) within the ten lines before `lines[at]`, which `:ref:` names.
pub(crate) fn anchor_before(lines: &[&str], at: usize) -> Option<String> {
    lines[at.saturating_sub(10)..at]
        .iter()
        .rev()
        .find_map(|l| {
            l.trim()
                .strip_prefix(".. _")
                .and_then(|a| a.strip_suffix(':'))
        })
        .map(str::to_string)
}

/// Every parameter table of a page, with its anchor.
pub fn tables_with_anchors(lines: &[&str]) -> Vec<AnchoredTable> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((table, consumed)) = table_at(&lines[i..]) else {
            i += 1;
            continue;
        };
        let anchor = anchor_before(lines, i);
        out.push(AnchoredTable {
            anchor,
            fields: fields_of(&table),
            line: i + 1,
            caption: String::new(),
        });
        i += consumed;
    }
    out
}

/// The anchor of the first `:ref:`Text <anchor>`` in `text`.
fn reference_in(text: &str) -> Option<String> {
    text.split(":ref:`")
        .nth(1)
        .and_then(|r| r.split_once('<'))
        .and_then(|(_, r)| r.split_once('>'))
        .map(|(a, _)| a.to_string())
}

/// `text` with each `:ref:`Text <anchor>`` replaced by its text.
fn without_refs(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some((before, after)) = rest.split_once(":ref:`") {
        out.push_str(before);
        let Some((inner, tail)) = after.split_once('`') else {
            out.push_str(after);
            return out;
        };
        out.push_str(inner.split_once('<').map_or(inner, |(t, _)| t).trim());
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A parameter table's fields, by its column names (English, or Chinese on Huawei's pages).
pub(crate) fn fields_of(table: &Table) -> Vec<Field> {
    fields_with_rows(table)
        .into_iter()
        .map(|(field, _)| field)
        .collect()
}

/// A parameter table's fields, each with the row it was read from (rows without a name are
/// not fields).
pub(crate) fn fields_with_rows(table: &Table) -> Vec<(Field, &Vec<String>)> {
    let name = column(table, &["Name", "Parameter", "参数"]);
    let ty = column(table, &["Type", "参数类型"]);
    let mandatory = column(table, &["Mandatory", "Required", "是否必选"]);
    let description = column(table, &["Description", "描述"]);
    let cell = |row: &Vec<String>, i: Option<usize>| {
        i.and_then(|i| row.get(i)).cloned().unwrap_or_default()
    };
    table
        .rows
        .iter()
        .filter_map(|row| {
            let n = first_word(&cell(row, name));
            if n.is_empty() {
                return None;
            }
            let description = cell(row, description);
            let ty = cell(row, ty);
            // The nested structure's table: named in the type cell (`Array of :ref:`X <a>`
            // objects`), else in the description (`For details, see :ref:`Table 4 <a>``).
            let reference = reference_in(&ty).or_else(|| reference_in(&description));
            let field = Field {
                name: n,
                ty: without_refs(&ty)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                mandatory: matches!(
                    cell(row, mandatory).split_whitespace().next(),
                    Some("Yes" | "是")
                ),
                description: description.split_whitespace().collect::<Vec<_>>().join(" "),
                reference,
            };
            Some((field, row))
        })
        .collect()
}

/// A page read, in any of the shapes the project reads ([`crate::rst`], [`crate::seeds`]):
/// its title, its function text, the operation, its tables, and what it holds that could not
/// be read (each with its line and title).
pub struct Page {
    pub title: String,
    pub function: Option<String>,
    pub op: DocOperation,
    pub tables: Vec<AnchoredTable>,
    pub unread: Vec<String>,
}

/// Reads a page of any shape the project reads.
pub fn read_any(text: &str) -> Page {
    let mut page = if crate::seeds::is_seed_shape(text) {
        crate::seeds::read(text)
    } else {
        crate::rst::read(text)
    };
    page.op.move_query_fields_out_of_the_request_table();
    page
}

/// A sample query as it is meant: the pages write a value's `+` (`+0800`, a time zone)
/// unencoded, which on the wire would read as a space; the spec's sample sends `%2B`.
pub fn literal_plus(query: &str) -> String {
    query.replace('+', "%2B")
}

/// A URI template line: `METHOD https://{Endpoint}/path?query` (the endpoint placeholder in
/// any case, emphasised or not) or `METHOD /path?query`; its method and what follows the host.
pub(crate) fn uri_template(line: &str) -> Option<(&str, &str)> {
    let (method, rest) = line.trim().split_once(' ')?;
    if !is_method(method) {
        return None;
    }
    let rest = rest.trim();
    let rest = match rest.strip_prefix("https://{") {
        Some(host) => {
            let (placeholder, after) = host.split_once('}')?;
            if !placeholder
                .trim_matches('*')
                .eq_ignore_ascii_case("endpoint")
            {
                return None;
            }
            // `GET https://{Endpoint}`: the root.
            if after.trim().is_empty() {
                "/"
            } else {
                after
            }
        }
        None => rest,
    };
    rest.starts_with('/').then_some((method, rest))
}

/// A sample request line (`GET https://host/path?query`, not the `{Endpoint}` template):
/// its method, path and query.
pub(crate) fn sample_request(line: &str) -> Option<(String, String, String)> {
    let (method, url) = line.trim().split_once(" https://")?;
    if !is_method(method) || url.starts_with('{') {
        return None;
    }
    let path_and_query = url
        .split_once('/')
        .map(|(_, p)| format!("/{p}"))
        .unwrap_or_default();
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((&path_and_query, ""));
    Some((method.to_string(), path.to_string(), query.to_string()))
}

fn is_method(word: &str) -> bool {
    matches!(word, "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD")
}

fn first_word(cell: &str) -> String {
    cell.split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_matches('*')
        .to_string()
}

/// A table: its header cells and its rows' cells (multi-line cells joined).
#[derive(Debug)]
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn column(table: &Table, names: &[&str]) -> Option<usize> {
    table
        .header
        .iter()
        .position(|h| names.iter().any(|n| h.trim() == *n))
}

/// The grid or simple table that starts at `lines[0]`, and how many lines it takes.
pub(crate) fn table_at(lines: &[&str]) -> Option<(Table, usize)> {
    let first = lines.first()?.trim();
    if first.starts_with("+-") {
        let len = lines
            .iter()
            .take_while(|l| l.trim().starts_with('+') || l.trim().starts_with('|'))
            .count();
        Some((grid(&lines[..len]), len))
    } else if is_rule(first) {
        // rule, header, rule, rows…, rule
        let mut rules = 0;
        let mut len = 0;
        while len < lines.len() && rules < 3 {
            if is_rule(lines[len].trim()) {
                rules += 1;
            }
            len += 1;
        }
        Some((simple(&lines[..len]), len))
    } else {
        None
    }
}

/// A simple table's rule: runs of `=` for two or more columns (a title's underline is one run).
fn is_rule(line: &str) -> bool {
    line.starts_with("==") && line.contains("= =") && line.chars().all(|c| c == '=' || c == ' ')
}

fn grid(lines: &[&str]) -> Table {
    let border = lines[0];
    let cuts: Vec<usize> = border
        .char_indices()
        .filter(|(_, c)| *c == '+')
        .map(|(i, _)| i)
        .collect();
    let cells = |line: &str| -> Vec<String> {
        cuts.windows(2)
            .map(|w| {
                line.get(w[0] + 1..w[1])
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
            .collect()
    };
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut current: Vec<String> = vec![String::new(); cuts.len().saturating_sub(1)];
    let mut seen_header = false;
    for line in &lines[1..] {
        let t = line.trim();
        if t.starts_with('+') {
            let done = std::mem::replace(
                &mut current,
                vec![String::new(); cuts.len().saturating_sub(1)],
            );
            if t.contains('=') && !seen_header {
                header = done;
                seen_header = true;
            } else if done.iter().any(|c| !c.is_empty()) {
                rows.push(done);
            }
        } else {
            for (cell, text) in current.iter_mut().zip(cells(line)) {
                if !text.is_empty() {
                    if !cell.is_empty() {
                        cell.push(' ');
                    }
                    cell.push_str(&text);
                }
            }
        }
    }
    Table { header, rows }
}

fn simple(lines: &[&str]) -> Table {
    let rule = lines[0];
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in rule
        .char_indices()
        .chain(std::iter::once((rule.len(), ' ')))
    {
        match (c == '=', start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let cells = |line: &str| -> Vec<String> {
        spans
            .iter()
            .enumerate()
            .map(|(k, (s, e))| {
                let end = if k + 1 == spans.len() { line.len() } else { *e };
                line.get(*s..end.min(line.len()))
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
            .collect()
    };
    let body: Vec<&str> = lines[1..]
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut after_header = false;
    for line in body {
        if line.trim().starts_with("==") {
            after_header = true;
            continue;
        }
        if after_header {
            rows.push(cells(line));
        } else {
            header = cells(line);
        }
    }
    Table { header, rows }
}

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

/// A type as the reference pages write it (`String`, `Integer`, `Long`, `Array of objects`,
/// `List<String>`, `Map<String, String>`, `Object`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageType {
    String,
    Integer,
    Number,
    Boolean,
    /// `List<String>`, `Array of strings`, `StringArray`.
    Strings,
    /// `LongArray`, `List<Integer>`, `Array of integers`.
    Integers,
    /// Any other array or list.
    Array,
    /// `Object`, `Map…`.
    Object,
}

impl PageType {
    /// The page's words for a type, or `None` when they name none of these.
    pub fn of(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        let t = t.trim_end_matches('.');
        Some(
            if matches!(
                t,
                "stringarray"
                    | "string array"
                    | "string[]"
                    | "array of string"
                    | "array of strings"
            ) {
                Self::Strings
            } else if matches!(
                t,
                "longarray"
                    | "integerarray"
                    | "intarray"
                    | "long array"
                    | "integer array"
                    | "array of integers"
                    | "array of integer"
                    | "list<integer>"
                    | "list<long>"
                    | "integer[]"
            ) {
                Self::Integers
            } else if t.starts_with("list<string>") || t.starts_with("set<string>") {
                Self::Strings
            } else if t.starts_with("array")
                || t.starts_with("list<")
                || t.starts_with("list of")
                || t == "list"
                || t.ends_with(" objects")
            {
                Self::Array
            } else if t.starts_with("object") || t.starts_with("map") || t.ends_with(" object") {
                // `Object`, `Map<String, String>`, `:ref:`Datastore <a>` object`.
                Self::Object
            } else if t.starts_with("string")
                || t.starts_with("datetime")
                || t.starts_with("offsetdatetime")
                || t == "date"
            {
                Self::String
            } else if t.starts_with("int") || t.starts_with("long") {
                Self::Integer
            } else if t.starts_with("bool") {
                Self::Boolean
            } else if t.starts_with("float") || t.starts_with("double") || t.starts_with("number") {
                Self::Number
            } else {
                return None;
            },
        )
    }
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
        compare(spec, &operation, &read_any(&text).op, &mut report);
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

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = include_str!("../fixtures/docs/starting_an_instance.rst");

    #[test]
    fn reads_uri_parameters_statuses_fields_and_sample() {
        let page = crate::rst::read(PAGE).op;
        assert_eq!(
            (page.method.as_str(), page.path.as_str()),
            (
                "POST",
                "/v3/{project_id}/instances/{instance_id}/action/startup"
            )
        );
        assert_eq!(
            page.uri_params,
            vec![
                ("project_id".to_string(), true),
                ("instance_id".to_string(), true)
            ]
        );
        assert_eq!(page.statuses, vec![200]);
        assert_eq!(
            page.response_fields,
            vec![("job_id".to_string(), "String".to_string())]
        );
        assert_eq!(
            page.samples,
            vec![("POST".into(), "/v3/054ea741f700d4a32f1bc00f5c80dd4c/instances/5b409baece064984a1b3eef6addae50cin01/action/startup".into(), String::new())]
        );
    }

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
        let mut page = read_any(&std::fs::read_to_string(docs.join(source)).unwrap()).op;
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
