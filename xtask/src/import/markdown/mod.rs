//! Readers for the vendors' other page shapes, into the model the reStructuredText reader
//! gives (`DocOperation` and anchored tables), so that one importer serves them all:
//! - OceanBase OCP pages: Markdown with pipe tables, the request path in backticks, nested
//!   structures as tables titled ``Data structure of `Name` ``;
//! - Huawei Cloud console pages saved as text: pipe tables, section names on their own lines,
//!   `Status code: 200` before each answer's table and sample;
//! - Huawei Cloud Markdown exports: HTML tables anchored with `<a name>`, types linking to
//!   the nested table (`<a href="#anchor">Name</a> object`), headings possibly in Chinese.
//!
//! The page's words for each section are matched case-insensitively, in English and Chinese.

use serde_json::Value;

mod html;

use crate::import::page::{
    fields_of, sample_request, uri_template, AnchoredTable, DocOperation, Page, Table,
};
use html::{html_table, strip_tags};

/// One piece of a page, in order.
#[derive(Debug)]
enum Block {
    /// A heading or a section name standing on its own line.
    Heading(String),
    /// A table, with the name it can be referred to by (an HTML anchor or its title line).
    Table {
        anchor: Option<String>,
        table: Table,
        /// Per row, the anchor the row's cells link to (`href="#…"`), if any.
        links: Vec<Option<String>>,
    },
    /// A fenced code block, or a JSON document standing in the text.
    Code(String),
    /// Any other line.
    Line(String),
}

/// Whether `text` is one of these shapes rather than reStructuredText.
pub fn is_markdown_or_text(text: &str) -> bool {
    !text.contains("\n.. ") && !text.starts_with(":original_name:")
}

/// Reads a page of any of the shapes above.
pub fn read(text: &str) -> Page {
    let blocks = blocks(text);
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading(h) => Some(h.clone()),
            Block::Line(l) => Some(l.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let mut op = DocOperation::default();
    // The URI: the first `METHOD /path` (in backticks, a code block, or a line of its own).
    for block in &blocks {
        let text = match block {
            Block::Line(l) | Block::Code(l) => l.trim().trim_matches('`'),
            _ => continue,
        };
        if let Some((method, rest)) = text.lines().find_map(uri_template) {
            op.set_uri(method, rest);
            break;
        }
    }
    let tables = anchored_tables(&blocks);
    let mut section = Section::Other;
    let mut status = None;
    let mut table_index = 0;
    for block in &blocks {
        match block {
            Block::Heading(h) => {
                if let Some(s) = Section::of(h) {
                    section = s;
                    status = None;
                }
                if let Some(code) = status_of(h) {
                    status = Some(code);
                }
            }
            Block::Line(l) => {
                if let Some(code) = status_of(l) {
                    status = Some(code);
                }
                if section == Section::SampleRequest && op.samples.is_empty() {
                    let line = l.trim().trim_matches('`');
                    if let Some(sample) = sample_request(line).or_else(|| relative_sample(line)) {
                        op.samples.push(sample);
                    }
                }
            }
            Block::Code(code) => match section {
                Section::SampleRequest => {
                    let mut lines = code.lines().filter(|l| !l.trim().is_empty());
                    if let Some(first) = lines.next() {
                        if let Some(sample) =
                            sample_request(first.trim()).or_else(|| relative_sample(first.trim()))
                        {
                            if op.samples.is_empty() {
                                op.samples.push(sample);
                            }
                            let rest: Vec<&str> = lines.collect();
                            if let Ok(body) = serde_json::from_str::<Value>(&rest.join("\n")) {
                                op.request_example.get_or_insert(body);
                            }
                        } else if let Ok(body) = serde_json::from_str::<Value>(code) {
                            op.request_example.get_or_insert(body);
                        }
                    }
                }
                Section::SampleResponse if status.is_none_or(|s| (200..300).contains(&s)) => {
                    if let Ok(value) = serde_json::from_str::<Value>(code) {
                        op.response_example.get_or_insert(value);
                    }
                }
                _ => {}
            },
            Block::Table { table, .. } => {
                let anchored = &tables[table_index];
                table_index += 1;
                let fields = anchored.fields.clone();
                match section {
                    Section::Uri | Section::Request => {
                        let in_uri = |name: &str| {
                            op.path.contains(&format!("{{{name}}}"))
                                || op.uri_query.iter().any(|q| q == name)
                        };
                        if fields.iter().any(|f| f.name == "X-Auth-Token") {
                            continue;
                        }
                        if fields.iter().all(|f| in_uri(&f.name)) {
                            for f in fields {
                                op.uri_types.insert(f.name.clone(), f.ty.clone());
                                op.uri_descriptions
                                    .insert(f.name.clone(), f.description.clone());
                                op.uri_params.push((f.name, f.mandatory));
                            }
                        } else if op.request_table.is_none() {
                            op.request_table = Some(anchored.clone());
                        }
                    }
                    Section::Response
                        if status.is_none_or(|s| (200..300).contains(&s))
                            && op.response_table.is_none() =>
                    {
                        op.response_table = Some(anchored.clone());
                    }
                    Section::Status => {
                        op.statuses.extend(
                            table
                                .rows
                                .iter()
                                .filter_map(|r| r.first()?.trim().parse::<u16>().ok())
                                .filter(|s| (200..300).contains(s)),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
    if op.statuses.is_empty() {
        // The text pages name the answers' statuses where they give their tables.
        op.statuses = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) | Block::Line(h) => status_of(h),
                _ => None,
            })
            .filter(|s| (200..300).contains(s))
            .take(1)
            .collect();
    }
    op.response_fields = op
        .response_table
        .iter()
        .flat_map(|t| &t.fields)
        .map(|f| (f.name.clone(), f.ty.clone()))
        .collect();
    let function = function_text(&blocks);
    Page {
        title,
        function,
        op,
        tables,
        unread: Vec::new(),
    }
}

/// The sections these pages have, by their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Function,
    Uri,
    Request,
    Response,
    SampleRequest,
    SampleResponse,
    Status,
    Other,
}

impl Section {
    fn of(heading: &str) -> Option<Self> {
        let h = heading.trim().to_ascii_lowercase();
        Some(match h.as_str() {
            "function" | "description" | "功能介绍" => Self::Function,
            "uri" | "request path" => Self::Uri,
            "request parameters" | "请求参数" => Self::Request,
            "response parameters" | "响应参数" => Self::Response,
            "example requests" | "sample request" | "请求示例" => Self::SampleRequest,
            "example responses" | "sample response" | "响应示例" => Self::SampleResponse,
            "status codes" | "状态码" => Self::Status,
            "examples" | "call description" | "error codes" | "prerequisites" => Self::Other,
            _ => return None,
        })
    }
}

/// `Status code: 200`, `**状态码： 200**`.
fn status_of(line: &str) -> Option<u16> {
    let t = line.trim().trim_matches('*');
    let rest = t
        .strip_prefix("Status code:")
        .or_else(|| t.strip_prefix("状态码："))?;
    rest.trim().trim_matches('*').trim().parse().ok()
}

/// A sample written without a host: `POST /api/v2/…`.
fn relative_sample(line: &str) -> Option<(String, String, String)> {
    let (method, rest) = uri_template(line)?;
    if rest.contains('{') {
        return None; // the template again, not a sample
    }
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Some((method.to_string(), path.to_string(), query.to_string()))
}

/// The text under the first function/description heading.
fn function_text(blocks: &[Block]) -> Option<String> {
    let start = blocks.iter().position(
        |b| matches!(b, Block::Heading(h) if Section::of(h) == Some(Section::Function)),
    )?;
    let text: Vec<&str> = blocks[start + 1..]
        .iter()
        .take_while(|b| matches!(b, Block::Line(_)))
        .filter_map(|b| match b {
            Block::Line(l) => Some(l.trim()),
            _ => None,
        })
        .filter(|l| !l.is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// Every table with the name it is referred to by; fields whose type or description links
/// to another table get that table's name as their reference.
fn anchored_tables(blocks: &[Block]) -> Vec<AnchoredTable> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table {
                anchor,
                table,
                links,
            } => {
                let mut fields = fields_of(table);
                for (field, link) in fields.iter_mut().zip(links) {
                    field.reference = link.clone().or_else(|| data_structure(&field.description));
                }
                Some(AnchoredTable {
                    anchor: anchor.clone(),
                    fields,
                    line: 0,
                    caption: String::new(),
                })
            }
            _ => None,
        })
        .collect()
}

/// ``see **Data structure of `Name`**`` → ``Data structure of `Name` ``, the title of the
/// OCP table it refers to.
fn data_structure(description: &str) -> Option<String> {
    let start = description.find("Data structure of `")?;
    let rest = &description[start..];
    let end = rest["Data structure of `".len()..].find('`')? + "Data structure of `".len() + 1;
    Some(rest[..end].to_string())
}

/// The page as blocks: Markdown headings, pipe tables, HTML tables, fenced code, JSON text.
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut last_line: Option<String> = None;
    let mut last_anchor: Option<String> = None;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.starts_with("```") {
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| !l.trim().starts_with("```"))
                .copied()
                .collect();
            i += body.len() + 2;
            out.push(Block::Code(body.join("\n")));
            continue;
        }
        if t.starts_with('|') {
            let (table, used) = pipe_table(&lines[i..]);
            i += used;
            let links = vec![None; table.rows.len()];
            out.push(Block::Table {
                anchor: last_line.take(),
                table,
                links,
            });
            continue;
        }
        if t.starts_with("<table") {
            let end = lines[i..]
                .iter()
                .position(|l| l.contains("</table>"))
                .map_or(lines.len(), |e| i + e + 1);
            let (table, links) = html_table(&lines[i..end].join("\n"));
            out.push(Block::Table {
                anchor: last_anchor.take(),
                table,
                links,
            });
            i = end;
            continue;
        }
        if t == "{" {
            // A JSON document in the text (the console pages): up to its closing brace.
            let end = lines[i..]
                .iter()
                .position(|l| l.trim_end() == "}")
                .map_or(lines.len(), |e| i + e + 1);
            out.push(Block::Code(lines[i..end].join("\n")));
            i = end;
            continue;
        }
        if let Some(anchor) = html_anchor(t) {
            last_anchor = Some(anchor);
            i += 1;
            continue;
        }
        let plain = strip_tags(t.trim_start_matches('#').trim());
        if t.starts_with('#') || Section::of(&plain).is_some() || status_of(&plain).is_some() {
            out.push(Block::Heading(plain.clone()));
        } else if !plain.is_empty() {
            out.push(Block::Line(plain.clone()));
        }
        if !plain.is_empty() {
            last_line = Some(plain.trim_matches('*').trim().to_string());
        }
        i += 1;
    }
    out
}

/// `<a name="x"></a>` standing alone: the anchor of the table that follows.
fn html_anchor(line: &str) -> Option<String> {
    let rest = line.strip_prefix("<a name=\"")?;
    let (name, after) = rest.split_once('"')?;
    (after.trim() == "></a>").then(|| name.to_string())
}

/// A pipe table from `lines[0]`: header, `|---|` rule, rows (a row may continue on the next
/// line when a cell holds a line break); and how many lines it took.
fn pipe_table(lines: &[&str]) -> (Table, usize) {
    let mut rows: Vec<String> = Vec::new();
    let mut used = 0;
    for line in lines {
        let t = line.trim();
        let continues = rows.last().is_some_and(|r| !r.trim_end().ends_with('|'));
        if continues {
            if let Some(last) = rows.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        } else if t.starts_with('|') {
            rows.push(t.to_string());
        } else {
            break;
        }
        used += 1;
    }
    let cells = |row: &str| -> Vec<String> {
        let inner = row.trim().trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        inner.split('|').map(|c| c.trim().to_string()).collect()
    };
    let mut iter = rows.iter();
    let header = iter.next().map(|r| cells(r)).unwrap_or_default();
    let rows = iter
        .filter(|r| !r.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')))
        .map(|r| cells(r))
        .collect();
    (Table { header, rows }, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_tables_join_rows_broken_over_lines() {
        let lines = [
            "| Parameter | Type | Description | ",
            "|---|---|---|",
            "| result | String | Operation Result ",
            " | ",
            "| code | Integer | Code | ",
            "after",
        ];
        let (table, used) = pipe_table(&lines);
        assert_eq!(used, 5);
        assert_eq!(table.header, ["Parameter", "Type", "Description"]);
        assert_eq!(table.rows[0], ["result", "String", "Operation Result"]);
        assert_eq!(table.rows[1][0], "code");
    }

    #[test]
    fn html_tables_keep_their_cells_and_links() {
        let html = r##"<table><thead><tr><th><p>参数</p></th><th><p>参数类型</p></th></tr></thead>
<tbody><tr><td><p>disaster_recovery</p></td><td><p><a href="#x_DisasterRecoveryId">DisasterRecoveryId</a> object</p></td></tr>
</tbody></table>"##;
        let (table, links) = html_table(html);
        assert_eq!(table.header, ["参数", "参数类型"]);
        assert_eq!(
            table.rows[0],
            ["disaster_recovery", "DisasterRecoveryId object"]
        );
        assert_eq!(links[0].as_deref(), Some("x_DisasterRecoveryId"));
    }

    #[test]
    fn ocp_data_structures_are_referred_to_by_title() {
        assert_eq!(
            data_structure(
                "For more information, see **Data structure of `BackupCommonResponse`**."
            )
            .as_deref(),
            Some("Data structure of `BackupCommonResponse`")
        );
    }
}
