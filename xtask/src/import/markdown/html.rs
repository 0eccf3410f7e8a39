//! HTML tables of Huawei Cloud's Markdown exports: cells as text, and per row the anchor its
//! cells link to (`<a href="#anchor">`), which names the nested structure's table.

use crate::import::page::Table;

/// An HTML table's header and rows as text, and per row the first in-page link (`href="#…"`).
pub(super) fn html_table(html: &str) -> (Table, Vec<Option<String>>) {
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut links = Vec::new();
    for row in html.split("<tr").skip(1) {
        let row = row.split("</tr>").next().unwrap_or_default();
        let mut cells = Vec::new();
        let mut is_header = false;
        for cell in row.split("<t").skip(1) {
            is_header |= cell.starts_with('h');
            let content = cell.split_once('>').map_or("", |(_, c)| c);
            let content = content.split("</t").next().unwrap_or_default();
            cells.push(strip_tags(content));
        }
        if is_header {
            header = cells;
        } else {
            links.push(
                row.split("href=\"#")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .map(str::to_string),
            );
            rows.push(cells);
        }
    }
    (Table { header, rows }, links)
}

/// Text without HTML tags, entities for `<`, `>`, `&` and `"` decoded, whitespace collapsed.
pub(super) fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
