//! reStructuredText tables: grid tables (`+---+`) and simple tables (`=== ===`), and the
//! anchor (`.. _name:`) a table is referred to by.

use crate::import::page::{fields_of, AnchoredTable, Table};

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
