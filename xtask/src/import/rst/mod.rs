//! The reader of OTC/Huawei reStructuredText reference pages.
//!
//! A page is read as blocks — headings (and bold lines standing for them), tables, code
//! blocks — and each block is recognised by what it holds and where it stands, not by one
//! exact title: a parameter table by its columns, its caption and its section (URI, request,
//! response), a header table by its fields, a status by any of the ways pages state it
//! (`Status code: 202`, `**Status code: 201**`, `Status Code:202.`, a `Normal` list), a sample
//! by its section or the label before it. Every table and code block is either read into the
//! operation or listed in [`Page::unread`] with its line and title, so nothing is lost
//! without a word.

use serde_json::Value;

use crate::import::page::{
    fields_of, fields_with_rows, sample_request, uri_template, AnchoredTable, DocOperation, Page,
    Table,
};

pub mod tables;

use tables::{anchor_before, table_at};

/// What a section (or the label of a block) is about, from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    Uri,
    Request,
    RequestExample,
    Response,
    ResponseExample,
    Status,
    Other,
}

impl Topic {
    fn of(title: &str) -> Self {
        let t = title.to_ascii_lowercase();
        let example = t.contains("example") || t.contains("sample");
        // `Status code: 200` before a table or sample says which answer it is, not a topic.
        if stated_status(title).is_some() {
            Self::Other
        } else if t.contains("status code") && !t.contains("response") {
            Self::Status
        } else if t.contains("request") && example {
            Self::RequestExample
        } else if t.contains("response") && example {
            Self::ResponseExample
        } else if t.contains("request") {
            Self::Request
        } else if t.contains("response") {
            Self::Response
        } else if t == "uri" || t.starts_with("uri ") || t.contains("uri parameter") {
            Self::Uri
        } else {
            Self::Other
        }
    }
}

/// A heading: its line, title and level (the order its underline character first appears).
#[derive(Debug, Clone)]
struct Heading {
    line: usize,
    title: String,
    level: usize,
}

/// A table of the page, where it stands.
struct TableBlock {
    line: usize,
    caption: String,
    anchor: Option<String>,
    table: Table,
    /// The table's rows read as fields (once, for every use below).
    fields: Vec<crate::import::page::Field>,
    topic: Topic,
    /// The title of the section it stands in (for notes).
    section: String,
}

/// A code block of the page, where it stands.
struct CodeBlock {
    line: usize,
    /// The list item or bold line that introduces it (`Example request`, `URI example`).
    label: String,
    text: String,
    topic: Topic,
    section: String,
}

/// Header names that are the transport's or the authentication's, not an operation's own.
const TRANSPORT_HEADERS: &[&str] = &[
    "x-auth-token",
    "content-type",
    "authorization",
    "x-sdk-date",
    "x-project-id",
    "host",
    "accept",
];

fn is_transport_header(name: &str) -> bool {
    TRANSPORT_HEADERS.contains(&name.to_ascii_lowercase().as_str())
}

/// Reads a reStructuredText page.
pub fn read(text: &str) -> Page {
    let lines: Vec<&str> = text.lines().collect();
    let headings = headings(&lines);
    let (tables, codes) = blocks(&lines, &headings);
    let mut op = DocOperation::default();
    let mut unread = Vec::new();
    read_uri(&lines, &mut op);
    read_statuses(&lines, &headings, &mut op);
    read_tables(&tables, &mut op, &mut unread);
    read_codes(&codes, &mut op, &mut unread);
    op.response_none = says_no_response_body(&lines, &headings);
    let anchored = tables
        .iter()
        .map(|t| AnchoredTable {
            anchor: t.anchor.clone(),
            fields: t.fields.clone(),
            line: t.line,
            caption: t.caption.clone(),
        })
        .collect();
    Page {
        title: title(&lines, &headings),
        function: section_text(&lines, &headings, "function"),
        op,
        tables: anchored,
        grids: tables.into_iter().map(|t| t.table).collect(),
        unread,
    }
}

/// Every heading: a title line underlined with one repeated punctuation character at least
/// as long as the title, and lines that are bold text alone (`**Request parameters**`),
/// which some pages use instead (one level below every underlined heading).
fn headings(lines: &[&str]) -> Vec<Heading> {
    let mut order: Vec<char> = Vec::new();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        let title = lines[i].trim_end();
        let under = lines.get(i + 1).map(|l| l.trim_end()).unwrap_or_default();
        let marker = under.chars().next();
        let underlined = !title.is_empty()
            && !title.starts_with(' ')
            && marker.is_some_and(|c| matches!(c, '=' | '-' | '~' | '^' | '"' | '#' | '*'))
            && under.chars().all(|c| Some(c) == marker)
            && under.chars().count() >= title.chars().count().min(3)
            && !title.starts_with(".. ")
            && !title.starts_with('+')
            && !title.starts_with('|');
        if underlined {
            let c = marker.unwrap_or('-');
            let level = order.iter().position(|&o| o == c).unwrap_or_else(|| {
                order.push(c);
                order.len() - 1
            });
            out.push(Heading {
                line: i,
                title: title.trim().to_string(),
                level,
            });
        }
    }
    // Bold lines standing alone, outside tables and code.
    let mut bold = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let alone = t.len() > 4
            && t.starts_with("**")
            && t.ends_with("**")
            && !t[2..t.len() - 2].contains("**")
            && !line.starts_with("   ")
            && lines
                .get(i.wrapping_sub(1))
                .is_none_or(|p| p.trim().is_empty());
        if alone {
            bold.push(Heading {
                line: i,
                title: t.trim_matches('*').trim().to_string(),
                level: usize::MAX,
            });
        }
    }
    out.extend(bold);
    out.sort_by_key(|h| h.line);
    out
}

/// The page's title: its first heading of the top level.
fn title(lines: &[&str], headings: &[Heading]) -> String {
    headings
        .iter()
        .find(|h| h.level == 0)
        .map(|h| h.title.clone())
        .or_else(|| lines.first().map(|l| l.trim().to_string()))
        .unwrap_or_default()
}

/// The section (level 1, under the title) that `line` stands in, and the nearest heading
/// of any level before it; `None` before the first section.
fn context(headings: &[Heading], line: usize) -> (Option<&Heading>, Option<&Heading>) {
    let mut before = headings.iter().rev().filter(|h| h.line < line);
    let nearest = before.clone().next();
    let section = before.find(|h| h.level == 1);
    (section, nearest)
}

/// The topic of a block at `line`: its nearest heading's, else its section's.
fn topic_at(headings: &[Heading], line: usize, label: &str) -> (Topic, String) {
    let (section, nearest) = context(headings, line);
    let section_title = section.map(|h| h.title.clone()).unwrap_or_default();
    // What stands in the URI section belongs to the URI, whatever its caption says
    // (`Request parameters` there are query parameters).
    if Topic::of(&section_title) == Topic::Uri {
        return (Topic::Uri, section_title);
    }
    let heading_topic = [nearest, section]
        .into_iter()
        .flatten()
        .map(|h| Topic::of(&h.title))
        .find(|t| *t != Topic::Other)
        .unwrap_or(Topic::Other);
    // An example section says what its blocks are (`Successful request` under `Example
    // Response` is an answer); in a plain request or response section the label refines
    // it (`Request example`, `Example normal response`).
    let topic = match (heading_topic, Topic::of(label)) {
        (Topic::RequestExample | Topic::ResponseExample, _) => heading_topic,
        (_, Topic::Other) => heading_topic,
        (_, labelled) => labelled,
    };
    (topic, section_title)
}

/// The tables and code blocks of the page, each with its caption or label and topic.
fn blocks(lines: &[&str], headings: &[Heading]) -> (Vec<TableBlock>, Vec<CodeBlock>) {
    let mut tables = Vec::new();
    let mut codes = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim();
        if trimmed.starts_with(".. code-block") || trimmed == "::" || trimmed.ends_with(" ::") {
            let indent = lines[i].len() - lines[i].trim_start().len();
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
                .copied()
                .collect();
            let label = label_before(lines, i);
            let (topic, section) = topic_at(headings, i, &label);
            codes.push(CodeBlock {
                line: i + 1,
                label,
                text: dedent(&body),
                topic,
                section,
            });
            i += 1 + body.len();
            continue;
        }
        if let Some((table, consumed)) = table_at(&lines[i..]) {
            let caption = caption_before(lines, i);
            let anchor = anchor_before(lines, i);
            let label = format!("{caption} {}", label_before(lines, i));
            let (topic, section) = topic_at(headings, i, &label);
            tables.push(TableBlock {
                line: i + 1,
                caption,
                anchor,
                fields: fields_of(&table),
                table,
                topic,
                section,
            });
            i += consumed;
            continue;
        }
        i += 1;
    }
    (tables, codes)
}

/// A table's caption: the `.. table:: **Table 2** Request body parameters` line just before
/// it, without the table number.
fn caption_before(lines: &[&str], at: usize) -> String {
    lines[at.saturating_sub(4)..at]
        .iter()
        .rev()
        .find_map(|l| l.trim().strip_prefix(".. table::"))
        .map(|c| {
            let c = c.trim();
            match c.strip_prefix("**") {
                Some(rest) => rest.split_once("**").map(|(_, r)| r).unwrap_or(rest).trim(),
                None => c,
            }
            .to_string()
        })
        .unwrap_or_default()
}

/// The list item or bold line that introduces a block (`-  Example request`), within the
/// few lines before it, when nothing but directives and blank lines stand between.
fn label_before(lines: &[&str], at: usize) -> String {
    for line in lines[at.saturating_sub(6)..at].iter().rev() {
        let t = line.trim();
        if t.is_empty() || t.starts_with(".. ") {
            continue;
        }
        let t = t.trim_start_matches("-  ").trim_matches('*').trim();
        return t.to_string();
    }
    String::new()
}

fn dedent(body: &[&str]) -> String {
    let indent = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    body.iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Method, path and query from the first URI template line; every sample request line.
fn read_uri(lines: &[&str], op: &mut DocOperation) {
    for line in lines {
        if let Some((method, rest)) = uri_template(line) {
            if op.method.is_empty() {
                op.set_uri(method, rest);
            }
        }
    }
    // A sample is a request line with a concrete host, or a bare `https://host/v3/<ids>`
    // line (a sample of the page's own method).
    op.samples = lines
        .iter()
        .filter_map(|line| {
            sample_request(line).or_else(|| {
                // `PUT https://{Endpoint}/v3/<ids>/name`: the endpoint left as a placeholder.
                if let Some((method, rest)) = uri_template(line) {
                    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                    return (!path.contains('{'))
                        .then(|| (method.to_string(), path.to_string(), query.to_string()));
                }
                let templated = format!("{} {}", op.method, line.trim());
                // `https://host/v3/<ids>/name`: a sample of the page's own method.
                if line.trim().starts_with("https://") && !op.method.is_empty() {
                    if let Some(sample) = sample_request(&templated) {
                        return Some(sample);
                    }
                }
                let (_, rest) = uri_template(&templated)?;
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                (!op.method.is_empty() && !path.contains('{'))
                    .then(|| (op.method.clone(), path.to_string(), query.to_string()))
            })
        })
        .collect();
}

/// The 2xx statuses the page states: `Status code: 200` lines (bold or not, with or
/// without the space or a final stop), and the `Normal` list of a `Status Code` section.
fn read_statuses(lines: &[&str], headings: &[Heading], op: &mut DocOperation) {
    let mut statuses: Vec<u16> = Vec::new();
    let mut add = |status: u16| {
        if (200..300).contains(&status) && !statuses.contains(&status) {
            statuses.push(status);
        }
    };
    for line in lines {
        if let Some(status) = stated_status(line) {
            add(status);
        }
    }
    for heading in headings
        .iter()
        .filter(|h| Topic::of(&h.title) == Topic::Status)
    {
        let mut in_normal = false;
        for line in &lines[heading.line + 2..] {
            let t = line.trim().trim_start_matches("-  ");
            if t == "Normal" {
                in_normal = true;
            } else if t == "Abnormal" || t == "Error Code" || line.starts_with("---") {
                break;
            } else if in_normal {
                t.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u16>().ok())
                    .for_each(&mut add);
            }
        }
    }
    op.statuses = statuses;
}

/// The status a line states: `Status code: 200`, `**Status code: 201**`, `Status Code:202.`.
fn stated_status(line: &str) -> Option<u16> {
    let t = line.trim().trim_start_matches("-  ").replace('*', "");
    let lower = t.to_ascii_lowercase();
    let rest = lower.strip_prefix("status code")?;
    let rest = rest.trim_start().strip_prefix(':').unwrap_or(rest).trim();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].trim();
    (digits.len() == 3 && (after.is_empty() || after == "." || after.starts_with(' ')))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Whether the page says its normal response has no body: `None` right after the
/// `Normal response` label or a 2xx status line, in a response section.
fn says_no_response_body(lines: &[&str], headings: &[Heading]) -> bool {
    let mut after_normal = false;
    for (i, line) in lines.iter().enumerate() {
        let (topic, _) = topic_at(headings, i, "");
        if !matches!(topic, Topic::Response | Topic::ResponseExample) {
            continue;
        }
        let t = line.trim().trim_start_matches("-  ");
        if t.is_empty() {
            continue;
        }
        if t.ends_with("ormal response")
            || stated_status(t).is_some_and(|s| (200..300).contains(&s))
        {
            after_normal = true;
            continue;
        }
        if after_normal && t == "None" {
            return true;
        }
        after_normal = false;
    }
    false
}

/// Whether the fields of `table` are request headers (by caption, or by their names).
fn is_header_table(block: &TableBlock, names: &[String]) -> bool {
    block
        .caption
        .to_ascii_lowercase()
        .split_whitespace()
        .any(|w| w == "header" || w == "headers")
        || (!names.is_empty()
            && names
                .iter()
                .all(|n| is_transport_header(n) || n.to_ascii_lowercase().starts_with("x-")))
}

/// The column that says where each parameter goes (`Location`, `In`, `Parameter Type`).
fn location_column(table: &Table) -> Option<usize> {
    table.header.iter().position(|h| {
        matches!(
            h.trim().to_ascii_lowercase().as_str(),
            "location" | "in" | "position" | "parameter location" | "parameter type"
        )
    })
}

/// Reads each table into the operation by what it holds; the rest go to `unread`.
fn read_tables(tables: &[TableBlock], op: &mut DocOperation, unread: &mut Vec<String>) {
    // Tables a field points at (`:ref:` to their anchor) are nested structures: read when
    // the import follows the reference.
    let referenced: std::collections::HashSet<String> = tables
        .iter()
        .flat_map(|t| &t.fields)
        .filter_map(|f| f.reference.clone())
        .collect();
    for block in tables {
        let fields = block.fields.clone();
        let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let title = if block.caption.is_empty() {
            block.section.clone()
        } else {
            block.caption.clone()
        };
        let nested = block
            .anchor
            .as_ref()
            .is_some_and(|a| referenced.contains(a));
        if fields.is_empty() {
            if block.topic != Topic::Status {
                unread.push(format!(
                    "line {}: table `{title}` has no parameter columns (header: {}); not read",
                    block.line,
                    block.table.header.join(" | ")
                ));
            }
            continue;
        }
        if let Some(column) = location_column(&block.table) {
            read_located(block, column, op);
            continue;
        }
        let caption = block.caption.to_ascii_lowercase();
        let says = |word: &str| caption.split_whitespace().any(|w| w == word);
        if is_header_table(block, &names) {
            op.header_params
                .extend(fields.into_iter().filter(|f| !is_transport_header(&f.name)));
            continue;
        }
        if says("query") {
            add_uri_fields(op, fields);
            continue;
        }
        match block.topic {
            _ if nested => {}
            Topic::Uri => add_uri_fields(op, fields),
            _ if says("uri") || caption.contains("path param") => {
                add_uri_fields(op, fields)
            }
            Topic::Request | Topic::RequestExample if op.request_table.is_none() => {
                op.request_table = Some(anchored(block, fields));
            }
            Topic::Response | Topic::ResponseExample if op.response_table.is_none() => {
                op.response_fields = fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.clone()))
                    .collect();
                op.response_table = Some(anchored(block, fields));
            }
            _ if block.anchor.is_some() => unread.push(format!(
                "line {}: table `{title}` ({}) is referenced by no field; not read",
                block.line,
                names.join(", ")
            )),
            _ => unread.push(format!(
                "line {}: table `{title}` ({}) in section `{}` is not a URI, header, request or response table; not read",
                block.line,
                names.join(", "),
                block.section
            )),
        }
    }
}

fn anchored(block: &TableBlock, fields: Vec<crate::import::page::Field>) -> AnchoredTable {
    AnchoredTable {
        anchor: block.anchor.clone(),
        fields,
        line: block.line,
        caption: block.caption.clone(),
    }
}

fn add_uri_fields(op: &mut DocOperation, fields: Vec<crate::import::page::Field>) {
    for field in fields {
        if op.uri_params.iter().any(|(n, _)| n == &field.name) {
            continue;
        }
        if !field.ty.is_empty() {
            op.uri_types.insert(field.name.clone(), field.ty.clone());
        }
        if !field.description.is_empty() {
            op.uri_descriptions
                .insert(field.name.clone(), field.description.clone());
        }
        op.uri_params.push((field.name, field.mandatory));
    }
}

/// A table whose column says where each parameter goes: path and query rows are URI
/// parameters, header rows header parameters, body rows the request body.
fn read_located(block: &TableBlock, column: usize, op: &mut DocOperation) {
    let mut body = Vec::new();
    // Each field with its own row: rows without a name are no fields, so a plain zip of
    // fields and rows would misplace every row after one.
    for (field, row) in fields_with_rows(&block.table) {
        let place = row
            .get(column)
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default();
        if place.contains("header") {
            if !is_transport_header(&field.name) {
                op.header_params.push(field);
            }
        } else if place.contains("path") || place.contains("query") || place.contains("uri") {
            add_uri_fields(op, vec![field]);
        } else {
            body.push(field);
        }
    }
    if !body.is_empty() && op.request_table.is_none() {
        op.request_table = Some(anchored(block, body));
    }
}

/// The JSON a code block holds, after a request line that may open it.
fn code_json(text: &str) -> Option<Value> {
    let lines: Vec<&str> = text.lines().collect();
    let body = match lines.iter().position(|l| !l.trim().is_empty()) {
        Some(first)
            if sample_request(lines[first]).is_some()
                || uri_template(lines[first]).is_some()
                || lines[first].trim().starts_with("https://") =>
        {
            &lines[first + 1..]
        }
        _ => &lines[..],
    };
    let text = body.join("\n");
    if text.trim().is_empty() {
        return None;
    }
    serde_json::from_str(&text).ok().or_else(|| {
        // A caption line before the JSON (`Creating an instance of the enterprise edition:`).
        let start = body
            .iter()
            .position(|l| l.trim_start().starts_with('{') || l.trim_start().starts_with('['))?;
        (start > 0)
            .then(|| serde_json::from_str(&body[start..].join("\n")).ok())
            .flatten()
    })
}

/// Reads each code block as the sample it is (by its label, else its section); the rest go
/// to `unread`.
fn read_codes(codes: &[CodeBlock], op: &mut DocOperation, unread: &mut Vec<String>) {
    for code in codes {
        let json = code_json(&code.text);
        let only_a_request_line = code.text.lines().filter(|l| !l.trim().is_empty()).all(|l| {
            sample_request(l).is_some()
                || uri_template(l).is_some()
                || l.trim().starts_with("https://")
        });
        let title = if code.label.is_empty() {
            code.section.clone()
        } else {
            code.label.clone()
        };
        match (code.topic, json) {
            (Topic::Request | Topic::RequestExample | Topic::Uri, Some(json)) => {
                if op.request_example.is_none() {
                    op.request_example = Some(json);
                } else {
                    unread.push(format!(
                        "line {}: another sample request body (`{title}`); the first one is used",
                        code.line
                    ));
                }
            }
            (Topic::Response | Topic::ResponseExample | Topic::Status, Some(json)) => {
                if op.response_example.is_none() {
                    op.response_example = Some(json);
                } else {
                    unread.push(format!(
                        "line {}: another sample response (`{title}`); the first one is used",
                        code.line
                    ));
                }
            }
            _ if only_a_request_line => {}
            (_, Some(_)) => unread.push(format!(
                "line {}: a JSON block (`{title}`) in section `{}` is neither a request nor a response sample; not read",
                code.line, code.section
            )),
            (_, None) if code.text.trim() == "None" || code.text.trim().is_empty() => {}
            (_, None) => unread.push(format!(
                "line {}: code block `{title}` is not JSON; not read",
                code.line
            )),
        }
    }
}

/// The text of the section titled `name` (any case), on one line, without list markers or
/// directives.
fn section_text(lines: &[&str], headings: &[Heading], name: &str) -> Option<String> {
    let at = headings
        .iter()
        .position(|h| h.title.eq_ignore_ascii_case(name))?;
    let start = headings[at].line + 2;
    let end = headings.get(at + 1).map(|h| h.line).unwrap_or(lines.len());
    let body: Vec<&str> = lines[start.min(end)..end]
        .iter()
        .map(|l| l.trim().trim_start_matches("-  "))
        .filter(|l| !l.is_empty() && !l.starts_with(".. "))
        .collect();
    let text = body.join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = include_str!("../../../fixtures/docs/starting_an_instance.rst");

    #[test]
    fn reads_uri_parameters_statuses_fields_and_sample() {
        let page = read(PAGE).op;
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
    fn statuses_are_read_however_a_page_states_them() {
        for (line, status) in [
            ("Status code: 200", Some(200)),
            ("**Status code: 201**", Some(201)),
            ("Status Code:202.", Some(202)),
            ("-  Status code: 204", Some(204)),
            ("See :ref:`Status Codes <nosql_status_code>`.", None),
            ("Status Code", None),
        ] {
            assert_eq!(stated_status(line), status, "{line}");
        }
    }

    const GEMINI_STYLE: &str = "Editing the Name of an Instance
===============================

Function
--------

This API is used to edit the name of an instance.

URI
---

PUT https://{Endpoint}/v3/{project_id}/instances/{instance_id}/name

.. table:: **Table 1** URI parameters

   +-------------+-----------+--------+-------------+
   | Parameter   | Mandatory | Type   | Description |
   +=============+===========+========+=============+
   | project_id  | Yes       | String | Project.    |
   +-------------+-----------+--------+-------------+
   | instance_id | Yes       | String | Instance.   |
   +-------------+-----------+--------+-------------+

Request Parameters
------------------

.. table:: **Table 2** Request header parameter

   +--------------+-----------+--------+-------------+
   | Parameter    | Mandatory | Type   | Description |
   +==============+===========+========+=============+
   | X-Auth-Token | Yes       | String | User token. |
   +--------------+-----------+--------+-------------+
   | X-Language   | No        | String | Language.   |
   +--------------+-----------+--------+-------------+

.. table:: **Table 3** Request body parameter

   +-----------+-----------+--------+-------------+
   | Parameter | Mandatory | Type   | Description |
   +===========+===========+========+=============+
   | name      | Yes       | String | New name.   |
   +-----------+-----------+--------+-------------+

Response Parameters
-------------------

**Status code: 202**

.. table:: **Table 4** Response body parameters

   +-----------+--------+-------------+
   | Parameter | Type   | Description |
   +===========+========+=============+
   | job_id    | String | Task ID.    |
   +-----------+--------+-------------+

Example Request
---------------

-  URI example

   .. code-block:: text

      PUT https://{Endpoint}/v3/375d8d8fad1f43039e23d3b6c0f60a19/instances/9136in06/name

-  Changing the instance name

   .. code-block::

      {
        \"name\" : \"myNewName\"
      }

Example Response
----------------

**Status code: 202**

.. code-block::

   {
     \"job_id\" : \"abc\"
   }

.. table:: **Table 9** Left alone

   +-----------+--------+-------------+
   | Parameter | Type   | Description |
   +===========+========+=============+
   | stray     | String | Nobody.     |
   +-----------+--------+-------------+
";

    #[test]
    fn a_location_column_places_each_row_by_its_own_cell() {
        let page = "Doing a Thing
=============

URI
---

POST https://{Endpoint}/v3/{project_id}/things

Request
-------

.. table:: **Table 2** Request parameters

   ========== ======== ========= ====== ===========
   Parameter  Location Mandatory Type   Description
   ========== ======== ========= ====== ===========
   X-Language header   No        String Language.
              header                    (continued)
   name       body     Yes       String Name.
   limit      query    No        Integer Page size.
   ========== ======== ========= ====== ===========
";
        let op = read(page).op;
        let headers: Vec<&str> = op.header_params.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(headers, ["X-Language"]);
        let body: Vec<&str> = op
            .request_table
            .iter()
            .flat_map(|t| &t.fields)
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(
            body,
            ["name"],
            "a nameless row does not shift the rows after it"
        );
        assert_eq!(op.uri_params, vec![("limit".to_string(), false)]);
    }

    #[test]
    fn sections_are_recognised_by_what_they_hold_and_the_rest_is_reported() {
        let page = read(GEMINI_STYLE);
        assert_eq!(page.title, "Editing the Name of an Instance");
        let op = &page.op;
        assert_eq!(
            (op.method.as_str(), op.statuses.as_slice()),
            ("PUT", &[202u16][..])
        );
        assert_eq!(
            op.uri_params,
            vec![
                ("project_id".to_string(), true),
                ("instance_id".to_string(), true)
            ]
        );
        let headers: Vec<&str> = op.header_params.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(headers, ["X-Language"], "the token is the credentials'");
        let body: Vec<&str> = op
            .request_table
            .iter()
            .flat_map(|t| &t.fields)
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(body, ["name"]);
        assert_eq!(op.response_fields, vec![("job_id".into(), "String".into())]);
        assert_eq!(
            op.request_example,
            Some(serde_json::json!({"name": "myNewName"}))
        );
        assert_eq!(
            op.response_example,
            Some(serde_json::json!({"job_id": "abc"}))
        );
        assert_eq!(op.samples.len(), 1);
        assert_eq!(page.unread.len(), 1, "{:?}", page.unread);
        assert!(
            page.unread[0].contains("Left alone") && page.unread[0].contains("stray"),
            "{:?}",
            page.unread
        );
    }
}
