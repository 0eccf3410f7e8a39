//! The page model every reader fills: what a vendor page says of its operation
//! ([`DocOperation`]), its parameter tables ([`AnchoredTable`], [`Field`]), and the words the
//! pages share across families (the URI line, a sample request line, a type's name).

use serde_json::Value;

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
    /// The fields nested under this one in a tree-shaped table (rows named `├─ name`).
    pub children: Vec<Field>,
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

/// A parameter table's top-level fields, each with the row it was read from (rows without a
/// name are not fields). In a tree-shaped table (`├─ name`, `│  └─ name`) a row is a field of
/// the nearest row above it at a lower depth, and lands among that field's `children`.
pub(crate) fn fields_with_rows(table: &Table) -> Vec<(Field, &Vec<String>)> {
    let mut top: Vec<(Field, &Vec<String>)> = Vec::new();
    // The open fields of the tree, by depth: each one's path of child indices from `top`.
    let mut open: Vec<(usize, Vec<usize>)> = Vec::new();
    for (depth, field, row) in rows_with_depth(table) {
        while open.last().is_some_and(|(d, _)| *d >= depth) {
            open.pop();
        }
        let Some((_, path)) = open.last().cloned() else {
            top.push((field, row));
            open.push((depth, vec![top.len() - 1]));
            continue;
        };
        let mut parent = &mut top[path[0]].0;
        for &i in &path[1..] {
            parent = &mut parent.children[i];
        }
        parent.children.push(field);
        let mut child = path;
        child.push(parent.children.len() - 1);
        open.push((depth, child));
    }
    top
}

/// A tree row's depth and its name: `├─ id` and `└─id` are at 1, `│  ├─ id` at 2 (each
/// glyph of the prefix is one level); a plain name is at 0.
fn tree_depth(cell: &str) -> (usize, &str) {
    let name =
        cell.trim_start_matches(|c: char| matches!(c, '│' | '├' | '└' | '─') || c.is_whitespace());
    let prefix = &cell[..cell.len() - name.len()];
    let depth = prefix
        .chars()
        .filter(|c| matches!(c, '│' | '├' | '└'))
        .count();
    (depth, name)
}

/// Each named row of a parameter table as a field, with its tree depth.
fn rows_with_depth(table: &Table) -> Vec<(usize, Field, &Vec<String>)> {
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
            let name_cell = cell(row, name);
            let (depth, n) = tree_depth(&name_cell);
            let n = first_word(n);
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
                children: Vec::new(),
            };
            Some((depth, field, row))
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
    /// Every table's cells as they stand, for tables that are not parameters (the error-code
    /// appendix).
    pub grids: Vec<Table>,
    pub unread: Vec<String>,
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
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The first column whose header is one of `names`.
pub(crate) fn column(table: &Table, names: &[&str]) -> Option<usize> {
    table
        .header
        .iter()
        .position(|h| names.iter().any(|n| h.trim() == *n))
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
    /// Whether a field of this type (the page's words) has a structure of its own, which a
    /// reference or a tree's rows describe: not a scalar, nor a list of scalars (a
    /// reference from one is prose: "see Obtaining …").
    pub fn nests(text: &str) -> bool {
        !matches!(
            Self::of(text),
            Some(
                Self::String
                    | Self::Integer
                    | Self::Number
                    | Self::Boolean
                    | Self::Strings
                    | Self::Integers
            )
        )
    }

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

/// Prose without reStructuredText markup: `:ref:`Text <anchor>`` → `Text`,
/// `` `text <url>`__ `` → `text (url)`, `**bold**` → `bold`.
pub fn plain_text(text: &str) -> String {
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
