//! The emitted YAML reads the same to YAML 1.1 readers (PyYAML; SnakeYAML, as openapi-generator
//! and swagger-parser use it) as to YAML 1.2 ones (serde_norway): a plain scalar that 1.2 reads
//! as text but 1.1 as something else (`OFF` a boolean, `22:00` the integer 1320, `1_000` a
//! number, `2018-10-11 11:40:44` a timestamp) is single-quoted.

use regex::Regex;
use std::sync::LazyLock;

/// What YAML 1.1 (PyYAML's resolvers) reads as other than text.
static YAML11_NOT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
        r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+",
        r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
        r"|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?",
        r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        r"|~|null|Null|NULL|=|<<",
        r"|[0-9]{4}-[0-9]{2}-[0-9]{2}",
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?",
        r")$"
    ))
    .expect("a valid pattern")
});

/// What YAML 1.2's core schema (serde_norway) reads as other than text.
static YAML12_NOT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:true|True|TRUE|false|False|FALSE|~|null|Null|NULL",
        r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+",
        r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?",
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ))
    .expect("a valid pattern")
});

/// Whether a plain scalar is text to YAML 1.2 but not to YAML 1.1.
pub fn reads_differently(plain: &str) -> bool {
    YAML11_NOT_TEXT.is_match(plain) && !YAML12_NOT_TEXT.is_match(plain)
}

/// `yaml` (as serde_norway writes it) with each plain scalar, key or value, that YAML 1.1
/// reads differently single-quoted. Block scalars (`|`, `>`) are left as they are.
pub fn quote_for_yaml11(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + 64);
    // Inside a block scalar: the indentation its header line had.
    let mut block: Option<usize> = None;
    for line in yaml.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start().len();
        if let Some(header) = block {
            if body.trim().is_empty() || indent > header {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        let (fixed, opens_block) = quote_line(body);
        if opens_block {
            block = Some(indent);
        }
        out.push_str(&fixed);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// One line: its sequence dashes, then a `key: value` or a lone value. Whether the line
/// opens a block scalar.
fn quote_line(line: &str) -> (String, bool) {
    let indent = line.len() - line.trim_start().len();
    let mut out = line[..indent].to_string();
    let mut rest = &line[indent..];
    while let Some(after) = rest.strip_prefix("- ") {
        out.push_str("- ");
        rest = after;
    }
    if rest == "-" {
        out.push('-');
        return (out, false);
    }
    let (key, value) = split_key(rest);
    if let Some(key) = key {
        out.push_str(&quote_plain(key));
        out.push(':');
        match value {
            Some(value) => {
                out.push(' ');
                out.push_str(&quote_plain(value));
                (out, opens_block(value))
            }
            None => (out, false),
        }
    } else {
        out.push_str(&quote_plain(rest));
        (out, opens_block(rest))
    }
}

fn opens_block(value: &str) -> bool {
    value.starts_with('|') || value.starts_with('>')
}

/// A mapping line's key and value (`None` for `key:` alone); `(None, _)` for a lone scalar.
fn split_key(text: &str) -> (Option<&str>, Option<&str>) {
    let end_of_key = match text.chars().next() {
        Some(quote @ ('\'' | '"')) => {
            let mut escaped = false;
            let mut end = None;
            for (i, c) in text.char_indices().skip(1) {
                match c {
                    '\\' if quote == '"' && !escaped => escaped = true,
                    c if c == quote && !escaped => {
                        // `''` inside single quotes is an escaped quote.
                        if quote == '\'' && text[i + 1..].starts_with('\'') {
                            escaped = true;
                            continue;
                        }
                        end = Some(i + 1);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            match end {
                Some(end) if text[end..].starts_with(':') => end,
                _ => return (None, None),
            }
        }
        Some('{' | '[') | None => return (None, None),
        _ => match text.find(": ") {
            Some(i) => i,
            None if text.ends_with(':') => text.len() - 1,
            None => return (None, None),
        },
    };
    let key = &text[..end_of_key];
    let value = text[end_of_key + 1..].strip_prefix(' ');
    (Some(key), value.filter(|v| !v.is_empty()))
}

/// A plain scalar single-quoted when YAML 1.1 would read it differently; anything else
/// (quoted, flow, block header, alias) as it is.
fn quote_plain(scalar: &str) -> String {
    if reads_differently(scalar) {
        format!("'{}'", scalar.replace('\'', "''"))
    } else {
        scalar.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_yaml_11_reads_otherwise_is_quoted() {
        for plain in [
            "OFF",
            "on",
            "Yes",
            "22:00",
            "1_000",
            "2018-10-11 11:40:44",
            "2016-09-12T01:17:05",
            "2020-11-15T22:49:38.643000Z",
            "2019-01-17",
            "=",
            "<<",
            "0b101",
        ] {
            assert!(reads_differently(plain), "{plain}");
        }
        for plain in [
            "true",
            "false",
            "10",
            "-3",
            "1.5",
            "null",
            "ON AIR",
            "x22:00",
            "22:61",
            "rds.mysql.n1.large",
            "2018-10-11T11:40:44+0800",
            "v3",
            "eu-de-01",
            "",
        ] {
            assert!(!reads_differently(plain), "{plain}");
        }
    }

    #[test]
    fn keys_and_values_are_quoted_in_place_and_block_scalars_are_left_alone() {
        let yaml = "a:\n  autocommit: OFF\n  start_time: 22:00\n  on: x\n  list:\n  - ON\n  - - off\n  - name: 2019-01-17\n    size: 40\n  required: true\n  quoted: 'OFF'\n  text: |-\n    on\n    22:00\n  after: no\n";
        let fixed = quote_for_yaml11(yaml);
        assert_eq!(
            fixed,
            "a:\n  autocommit: 'OFF'\n  start_time: '22:00'\n  'on': x\n  list:\n  - 'ON'\n  - - 'off'\n  - name: '2019-01-17'\n    size: 40\n  required: true\n  quoted: 'OFF'\n  text: |-\n    on\n    22:00\n  after: 'no'\n"
        );
        // The same document to serde_norway.
        let before: serde_json::Value = serde_norway::from_str(yaml).unwrap();
        let after: serde_json::Value = serde_norway::from_str(&fixed).unwrap();
        assert_eq!(before, after);
    }
}
