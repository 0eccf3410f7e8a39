//! Which reader a page needs: reStructuredText (OTC, Huawei) or Markdown and text (OCP,
//! Huawei's Markdown exports and console pages).

use crate::import::markdown;
use crate::import::page::Page;
use crate::import::rst;

/// Reads a page of any shape the project reads.
pub fn page(text: &str) -> Page {
    let mut page = if markdown::is_markdown_or_text(text) {
        markdown::read(text)
    } else {
        rst::read(text)
    };
    page.op.move_query_fields_out_of_the_request_table();
    page
}
