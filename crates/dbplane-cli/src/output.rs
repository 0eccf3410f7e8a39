//! Where an answer is printed: pretty JSON or `path: value` lines, whole or item by item.

use std::io::Write;

use serde_json::Value;

use crate::context::CliError;

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

/// `answer` as the user asked: pretty JSON, or `path: value` lines (`text`).
pub fn render(answer: &Value, text: bool) -> Result<String, CliError> {
    Ok(if text {
        to_text(answer, "")
    } else {
        serde_json::to_string_pretty(answer)? + "\n"
    })
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

/// Prints a JSON array an item at a time, byte for byte what [`render`] prints for the
/// whole array, so that a long list shows as it arrives.
pub struct ArrayPrinter<W: Write> {
    out: W,
    text: bool,
    count: usize,
}

impl ArrayPrinter<std::io::Stdout> {
    /// A printer to stdout of JSON (or, with `text`, of `[i].field: value` lines).
    pub fn stdout(text: bool) -> Self {
        Self::new(std::io::stdout(), text)
    }
}

impl<W: Write> ArrayPrinter<W> {
    /// A printer to `out`.
    pub fn new(out: W, text: bool) -> Self {
        Self {
            out,
            text,
            count: 0,
        }
    }

    /// Prints the next item.
    pub fn item(&mut self, item: &Value) -> Result<(), CliError> {
        let index = self.count;
        self.count += 1;
        if self.text {
            return self.write(&to_text(item, &format!("[{index}]")));
        }
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

    /// Ends the array.
    pub fn close(mut self) -> Result<(), CliError> {
        match (self.text, self.count) {
            (true, _) => Ok(()),
            (false, 0) => self.write("[]\n"),
            (false, _) => self.write("\n]\n"),
        }
    }

    fn write(&mut self, text: &str) -> Result<(), CliError> {
        write_flushed(&mut self.out, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_printed_one_by_one_are_the_whole_array_as_rendered() {
        let items = [
            serde_json::json!({"id": "a", "tags": [1, 2], "nested": {"k": "multi\nline"}}),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("plain"),
        ];
        for text in [false, true] {
            for n in 0..=items.len() {
                let whole = render(&Value::Array(items[..n].to_vec()), text).unwrap();
                let mut out = Vec::new();
                let mut printer = ArrayPrinter::new(&mut out, text);
                for item in &items[..n] {
                    printer.item(item).unwrap();
                }
                printer.close().unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    whole,
                    "{n} item(s), text {text}"
                );
            }
        }
    }
}
