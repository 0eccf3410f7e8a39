//! How an answer is printed (`--output json|yaml|text|table`, after `--query`), whole or item
//! by item.

use std::io::Write;

use clap::ArgMatches;
use serde_json::Value;

use crate::context::CliError;

/// `--output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pretty JSON (the default).
    Json,
    /// YAML.
    Yaml,
    /// `path: value` lines, one per leaf.
    Text,
    /// A table: a list's items as rows, an object's fields as `field | value` rows.
    Table,
}

/// What the user asked to see of an answer, and how.
pub struct Output {
    pub format: Format,
    /// `--query`, compiled before anything is sent (a bad query is a usage error).
    query: Option<jmespath::Expression<'static>>,
}

impl Output {
    /// Reads `--output` and compiles `--query`.
    pub fn from_matches(matches: &ArgMatches) -> Result<Self, CliError> {
        let format = match matches.get_one::<String>("output").map(String::as_str) {
            Some("yaml") => Format::Yaml,
            Some("text") => Format::Text,
            Some("table") => Format::Table,
            _ => Format::Json,
        };
        let query = matches
            .get_one::<String>("query")
            .map(|q| {
                jmespath::compile(q)
                    .map_err(|e| CliError::Usage(format!("--query: {}", one_line(&e.to_string()))))
            })
            .transpose()?;
        Ok(Self { format, query })
    }

    /// Whether items of a list can be printed as they arrive: not when the query or the table
    /// needs the whole list.
    pub fn streams(&self) -> bool {
        self.query.is_none() && self.format != Format::Table
    }

    /// `answer`, queried, in the asked format.
    pub fn render(&self, answer: &Value) -> Result<String, CliError> {
        let queried;
        let answer = match &self.query {
            Some(query) => {
                let found = query.search(answer).map_err(|e| {
                    CliError::Usage(format!("--query: {}", one_line(&e.to_string())))
                })?;
                queried = serde_json::to_value(&*found)?;
                &queried
            }
            None => answer,
        };
        Ok(match self.format {
            Format::Json => serde_json::to_string_pretty(answer)? + "\n",
            Format::Yaml => to_yaml(answer)?,
            Format::Text => to_text(answer, ""),
            Format::Table => to_table(answer),
        })
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes `text` to stdout; a closed pipe is an error the caller can tell apart.
pub fn print_out(text: &str) -> Result<(), CliError> {
    write_flushed(&mut std::io::stdout().lock(), text)
}

/// Writes `text` to `out` and flushes it.
fn write_flushed(out: &mut impl Write, text: &str) -> Result<(), CliError> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(CliError::Output)
}

fn to_yaml(value: &Value) -> Result<String, CliError> {
    serde_norway::to_string(value).map_err(|e| CliError::Usage(format!("YAML: {e}")))
}

/// `path: value` lines, one per leaf of the answer.
pub fn to_text(value: &Value, path: &str) -> String {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| to_text(v, &join(k))).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| to_text(v, &format!("{path}[{i}]")))
            .collect(),
        // Vendor text may carry control characters (a cleared screen, a faked line).
        Value::String(s) => format!("{path}: {}\n", s.escape_debug()),
        other => format!("{path}: {other}\n"),
    }
}

/// A table of `value`: a list of objects has a column per field (in the order first seen);
/// a list of other values one `value` column; an object a `field | value` row per field.
/// Nested values are compact JSON; text is escaped as in `text`.
fn to_table(value: &Value) -> String {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::ASCII_FULL_CONDENSED);
    match value {
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let mut columns: Vec<&str> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for key in item.keys() {
                    if !columns.contains(&key.as_str()) {
                        columns.push(key);
                    }
                }
            }
            table.set_header(columns.iter().copied());
            for item in items {
                table.add_row(columns.iter().map(|c| cell(item.get(*c))));
            }
        }
        Value::Array(items) => {
            table.set_header(["value"]);
            for item in items {
                table.add_row([cell(Some(item))]);
            }
        }
        Value::Object(map) => {
            table.set_header(["field", "value"]);
            for (key, item) in map {
                table.add_row([key.escape_debug().to_string(), cell(Some(item))]);
            }
        }
        scalar => return cell(Some(scalar)) + "\n",
    }
    table.to_string() + "\n"
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.escape_debug().to_string(),
        // JSON escapes control characters in its strings itself.
        Some(other) => other.to_string(),
    }
}

/// Prints a JSON (or YAML, or text) array an item at a time, byte for byte what
/// [`Output::render`] prints for the whole array, so that a long list shows as it arrives.
/// When the output cannot stream ([`Output::streams`]), the items are kept and printed whole
/// at the end (as many as `--max-items` lets a walk give).
pub struct ArrayPrinter<'o, W: Write> {
    out: W,
    output: &'o Output,
    count: usize,
    kept: Vec<Value>,
}

impl<'o> ArrayPrinter<'o, std::io::Stdout> {
    /// A printer to stdout.
    pub fn stdout(output: &'o Output) -> Self {
        Self::new(std::io::stdout(), output)
    }
}

impl<'o, W: Write> ArrayPrinter<'o, W> {
    /// A printer to `out`.
    pub fn new(out: W, output: &'o Output) -> Self {
        Self {
            out,
            output,
            count: 0,
            kept: Vec::new(),
        }
    }

    /// Prints the next item.
    pub fn item(&mut self, item: &Value) -> Result<(), CliError> {
        let index = self.count;
        self.count += 1;
        if !self.output.streams() {
            self.kept.push(item.clone());
            return Ok(());
        }
        match self.output.format {
            Format::Text => self.write(&to_text(item, &format!("[{index}]"))),
            Format::Yaml => {
                let chunk = to_yaml(&Value::Array(vec![item.clone()]))?;
                self.write(&chunk)
            }
            _ => {
                let pretty = serde_json::to_string_pretty(item)?;
                let mut chunk = String::with_capacity(pretty.len() + pretty.len() / 8 + 4);
                chunk.push_str(if index == 0 { "[\n" } else { ",\n" });
                for (i, line) in pretty.lines().enumerate() {
                    if i > 0 {
                        chunk.push('\n');
                    }
                    chunk.push_str("  ");
                    chunk.push_str(line);
                }
                self.write(&chunk)
            }
        }
    }

    /// Ends the array.
    pub fn close(mut self) -> Result<(), CliError> {
        if !self.output.streams() {
            let whole = self
                .output
                .render(&Value::Array(std::mem::take(&mut self.kept)))?;
            return self.write(&whole);
        }
        match (self.output.format, self.count) {
            (Format::Text, _) => Ok(()),
            (_, 0) => {
                let empty = self.output.render(&Value::Array(Vec::new()))?;
                self.write(&empty)
            }
            (Format::Yaml, _) => Ok(()),
            (_, _) => self.write("\n]\n"),
        }
    }

    fn write(&mut self, text: &str) -> Result<(), CliError> {
        write_flushed(&mut self.out, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(format: Format, query: Option<&str>) -> Output {
        Output {
            format,
            query: query.map(|q| jmespath::compile(q).unwrap()),
        }
    }

    #[test]
    fn items_printed_one_by_one_are_the_whole_array_as_rendered() {
        let items = [
            serde_json::json!({"id": "a", "tags": [1, 2], "nested": {"k": "multi\nline"}}),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("plain"),
            serde_json::json!({"id": "b: c", "n": null}),
        ];
        for format in [Format::Json, Format::Yaml, Format::Text, Format::Table] {
            for query in [None, Some("[0]")] {
                let output = output(format, query);
                for n in 0..=items.len() {
                    let whole = output.render(&Value::Array(items[..n].to_vec())).unwrap();
                    let mut out = Vec::new();
                    let mut printer = ArrayPrinter::new(&mut out, &output);
                    for item in &items[..n] {
                        printer.item(item).unwrap();
                    }
                    printer.close().unwrap();
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        whole,
                        "{n} item(s), {format:?}, query {query:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_list_becomes_a_table_with_a_column_per_field_and_text_stays_escaped() {
        let answer = serde_json::json!({"instances": [
            {"id": "i1", "name": "db\u{1b}[2J", "port": 5432},
            {"id": "i2", "tags": {"env": "prod"}},
        ], "total_count": 2});
        let shown = output(Format::Table, Some("instances"))
            .render(&answer)
            .unwrap();
        let lines: Vec<&str> = shown.lines().collect();
        assert!(
            lines[1].contains("id") && lines[1].contains("tags"),
            "{shown}"
        );
        assert!(
            shown.contains("db\\u{1b}[2J"),
            "control characters escaped: {shown}"
        );
        assert!(shown.contains(r#"{"env":"prod"}"#), "{shown}");
        assert!(!shown.contains('\u{1b}'));
        let fields = output(Format::Table, None).render(&answer).unwrap();
        assert!(
            fields.contains("total_count") && fields.contains("| 2"),
            "{fields}"
        );
    }

    #[test]
    fn a_query_selects_before_the_format_and_a_bad_one_is_refused() {
        let answer = serde_json::json!({"instances": [{"id": "i1", "status": "ACTIVE"}, {"id": "i2", "status": "SHUTDOWN"}]});
        let ids = output(Format::Json, Some("instances[?status=='ACTIVE'].id"))
            .render(&answer)
            .unwrap();
        assert_eq!(ids, "[\n  \"i1\"\n]\n");
        let yaml = output(Format::Yaml, Some("instances[1]"))
            .render(&answer)
            .unwrap();
        assert_eq!(yaml, "id: i2\nstatus: SHUTDOWN\n");
        assert!(jmespath::compile("instances[?").is_err());
    }
}
