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
    fields_with_rows, sample_request, uri_template, AnchoredTable, DocOperation, Page, Table,
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
        /// The table's first line.
        line: usize,
    },
    /// A fenced code block, or a JSON document standing in the text, and its first line.
    Code { text: String, line: usize },
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
    let tables = anchored_tables(&blocks);
    let mut reading = Reading {
        op: DocOperation::default(),
        section: Section::Other,
        status: None,
        referenced: tables
            .iter()
            .flat_map(|t| &t.fields)
            .filter_map(|f| f.reference.clone())
            .collect(),
        unread: Vec::new(),
    };
    reading.read_uri(&blocks);
    let mut table_index = 0;
    for block in &blocks {
        match block {
            Block::Heading(h) => reading.heading(h),
            Block::Line(l) => reading.line(l),
            Block::Code { text, line } => reading.code(text, *line),
            Block::Table { table, .. } => {
                reading.table(table, &tables[table_index]);
                table_index += 1;
            }
        }
    }
    let Reading { mut op, unread, .. } = reading;
    if op.statuses.is_empty() {
        op.statuses = statuses_in_the_text(&blocks);
    }
    op.response_fields = op
        .response_table
        .iter()
        .flat_map(|t| &t.fields)
        .map(|f| (f.name.clone(), f.ty.clone()))
        .collect();
    let function = function_text(&blocks);
    let grids = blocks
        .into_iter()
        .filter_map(|b| match b {
            Block::Table { table, .. } => Some(table),
            _ => None,
        })
        .collect();
    Page {
        title,
        function,
        op,
        tables,
        grids,
        unread,
    }
}

/// A page being read, block by block: the operation so far, the section and answer status
/// the current block is under, and what could not be read.
struct Reading {
    op: DocOperation,
    section: Section,
    status: Option<u16>,
    /// The anchors fields point at: those tables are nested structures, read through them.
    referenced: std::collections::HashSet<String>,
    unread: Vec<String>,
}

impl Reading {
    /// The URI: the first `METHOD /path` (in backticks, a code block, or a line of its own).
    fn read_uri(&mut self, blocks: &[Block]) {
        for block in blocks {
            let text = match block {
                Block::Line(l) | Block::Code { text: l, .. } => l.trim().trim_matches('`'),
                _ => continue,
            };
            if let Some((method, rest)) = text.lines().find_map(uri_template) {
                self.op.set_uri(method, rest);
                return;
            }
        }
    }

    /// Whether the current block is under a normal answer (or under no status).
    fn under_a_normal_status(&self) -> bool {
        self.status.is_none_or(|s| (200..300).contains(&s))
    }

    fn heading(&mut self, heading: &str) {
        if let Some(section) = Section::of(heading) {
            self.section = section;
            self.status = None;
        }
        if let Some(code) = status_of(heading) {
            self.status = Some(code);
        }
    }

    fn line(&mut self, line: &str) {
        if let Some(code) = status_of(line) {
            self.status = Some(code);
        }
        if self.section == Section::SampleRequest && self.op.samples.is_empty() {
            let line = line.trim().trim_matches('`');
            if let Some(sample) = sample_request(line).or_else(|| relative_sample(line)) {
                self.op.samples.push(sample);
            }
        }
    }

    fn code(&mut self, code: &str, line: usize) {
        let normal = self.under_a_normal_status();
        let op = &mut self.op;
        match self.section {
            Section::SampleRequest => {
                let mut lines = code.lines().filter(|l| !l.trim().is_empty());
                let Some(first) = lines.next() else { return };
                let body = if let Some(sample) =
                    sample_request(first.trim()).or_else(|| relative_sample(first.trim()))
                {
                    if op.samples.is_empty() {
                        op.samples.push(sample);
                    }
                    let rest: Vec<&str> = lines.collect();
                    if rest.is_empty() {
                        return;
                    }
                    serde_json::from_str::<Value>(&rest.join("\n"))
                } else {
                    serde_json::from_str::<Value>(code)
                };
                match body {
                    Ok(body) if op.request_example.is_none() => op.request_example = Some(body),
                    Ok(_) => self.unread.push(format!(
                        "line {line}: another sample request body; the first one is used"
                    )),
                    Err(e) => self.unread.push(format!(
                        "line {line}: a sample request body that is not JSON ({e}); not read"
                    )),
                }
            }
            Section::SampleResponse if normal => match serde_json::from_str::<Value>(code) {
                Ok(value) if op.response_example.is_none() => op.response_example = Some(value),
                Ok(_) => self.unread.push(format!(
                    "line {line}: another sample response; the first one is used"
                )),
                Err(e) => self.unread.push(format!(
                    "line {line}: a sample response that is not JSON ({e}); not read"
                )),
            },
            // Error answers' samples, and the URI line's own block.
            Section::SampleResponse | Section::Uri => {}
            _ if code
                .lines()
                .all(|l| uri_template(l.trim()).is_some() || l.trim().is_empty()) => {}
            _ => self.unread.push(format!(
                "line {line}: a code block outside the sample sections; not read"
            )),
        }
    }

    fn table(&mut self, table: &Table, anchored: &AnchoredTable) {
        let fields = anchored.fields.clone();
        let nested = anchored
            .anchor
            .as_ref()
            .is_some_and(|a| self.referenced.contains(a));
        let normal = self.under_a_normal_status();
        let op = &mut self.op;
        match self.section {
            Section::Uri | Section::Request => {
                let in_uri = |name: &str| {
                    op.path.contains(&format!("{{{name}}}"))
                        || op.uri_query.iter().any(|q| q == name)
                };
                if fields.iter().any(|f| f.name == "X-Auth-Token") {
                    return;
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
                } else if !nested {
                    self.unread_table(anchored, "a second request table");
                }
            }
            Section::Response if normal && op.response_table.is_none() => {
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
            // An error answer's fields (the error envelope is the vendor's, not the page's).
            Section::Response if !normal => {}
            _ if nested => {}
            Section::Response => self.unread_table(anchored, "a second normal-response table"),
            _ => self.unread_table(anchored, "not a URI, request or response table"),
        }
    }

    fn unread_table(&mut self, table: &AnchoredTable, why: &str) {
        let names: Vec<&str> = table.fields.iter().map(|f| f.name.as_str()).collect();
        self.unread.push(format!(
            "line {}: table `{}` ({}): {why}; not read",
            table.line,
            table.anchor.as_deref().unwrap_or(""),
            names.join(", ")
        ));
    }
}

/// The text pages name the answers' statuses where they give their tables: the first
/// normal one.
fn statuses_in_the_text(blocks: &[Block]) -> Vec<u16> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(h) | Block::Line(h) => status_of(h),
            _ => None,
        })
        .filter(|s| (200..300).contains(s))
        .take(1)
        .collect()
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
                line,
            } => {
                // Each field takes the link of its own row (a row without a name is no field).
                let fields = fields_with_rows(table)
                    .into_iter()
                    .map(|(mut field, row)| {
                        let link = table
                            .rows
                            .iter()
                            .position(|r| std::ptr::eq(r, row))
                            .and_then(|i| links.get(i).cloned().flatten());
                        field.reference = link.or_else(|| data_structure(&field.description));
                        field
                    })
                    .collect();
                Some(AnchoredTable {
                    anchor: anchor.clone(),
                    fields,
                    line: *line,
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
            out.push(Block::Code {
                text: body.join("\n"),
                line: i - body.len() - 1,
            });
            continue;
        }
        if t.starts_with('|') {
            let (table, used) = pipe_table(&lines[i..]);
            let links = vec![None; table.rows.len()];
            out.push(Block::Table {
                anchor: last_line.take(),
                table,
                links,
                line: i + 1,
            });
            i += used;
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
                line: i + 1,
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
            out.push(Block::Code {
                text: lines[i..end].join("\n"),
                line: i + 1,
            });
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

    const OCP_STYLE: &str = "# Stop something

## Call description

### Request path

`POST /api/v2/things/{id}/stop`

### Request parameters

Path parameters:

|  Parameter  |  Type  |  Required  |  Description  |
|---|---|---|---|
|  id  |  Integer  |  Yes  | The ID |

Body:

|  Parameter  |  Type  |  Required  |  Description  |
|---|---|---|---|
|  reason  |  String  |  No  | Why |

### Response parameters

|  Parameter  |  Type  |  Description  |
|---|---|---|
|  data  |  Object  | see **Data structure of `Thing`** |

Data structure of `Thing`

|  Parameter  |  Type  |  Description  |
|---|---|---|
|  name  |  String  | The name |

Data structure of `Orphan`

|  Parameter  |  Type  |  Description  |
|---|---|---|
|  lost  |  String  | Referred to by nothing |

### Examples

```
{\"stray\": true}
```
";

    #[test]
    fn tables_and_code_it_cannot_place_are_reported_with_their_line() {
        let page = read(OCP_STYLE);
        assert_eq!(page.op.path, "/api/v2/things/{id}/stop");
        assert_eq!(page.op.uri_params, vec![("id".to_string(), true)]);
        let request = page.op.request_table.as_ref().expect("the body table");
        assert_eq!(request.fields[0].name, "reason");
        assert_eq!(request.line, 19);
        let response = page.op.response_table.as_ref().expect("the response table");
        assert_eq!(
            response.fields[0].reference.as_deref(),
            Some("Data structure of `Thing`")
        );
        assert_eq!(
            page.unread,
            vec![
                "line 37: table `Data structure of `Orphan`` (lost): a second normal-response table; not read".to_string(),
                "line 43: a code block outside the sample sections; not read".to_string(),
            ]
        );
    }

    #[test]
    fn each_field_takes_the_link_of_its_own_row() {
        let html = r##"<table><thead><tr><th><p>参数</p></th><th><p>参数类型</p></th></tr></thead>
<tbody><tr><td><p></p></td><td><p><a href="#x_Wrong">Wrong</a> object</p></td></tr>
<tr><td><p>config</p></td><td><p><a href="#x_Config">Config</a> object</p></td></tr>
</tbody></table>"##;
        let tables = anchored_tables(&blocks(html));
        assert_eq!(tables[0].fields.len(), 1);
        assert_eq!(tables[0].fields[0].name, "config");
        assert_eq!(tables[0].fields[0].reference.as_deref(), Some("x_Config"));
    }

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
