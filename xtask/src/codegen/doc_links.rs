//! Bare URLs in the specs' descriptions become autolinks (`<https://…>`) in the generated doc
//! comments, so that `cargo doc` with `-D warnings` (rustdoc's `bare_urls`) passes and docs.rs
//! shows them as links. Code blocks and inline code (typify's schema listings) are left as they are.

use syn::visit_mut::VisitMut;

/// Rewrites every `#[doc = "…"]` in `file` whose text has a bare URL.
pub fn link_bare_urls(file: &mut syn::File) {
    Linker::default().visit_file_mut(file);
}

/// progenitor and typify write a doc comment a line per attribute, so whether a line is inside
/// a code fence carries from one attribute to the next (fences close within each item's docs).
#[derive(Default)]
struct Linker {
    in_fence: bool,
}

impl VisitMut for Linker {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("doc") {
            return;
        }
        let syn::Meta::NameValue(pair) = &mut attr.meta else {
            return;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut pair.value
        else {
            return;
        };
        if let Some(linked) = linked_text(&text.value(), &mut self.in_fence) {
            *text = syn::LitStr::new(&linked, text.span());
        }
    }
}

/// `text` with each bare URL outside code wrapped in `<…>`; `None` when there is none.
fn linked_text(text: &str, in_fence: &mut bool) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            *in_fence = !*in_fence;
            out.push_str(line);
        } else if *in_fence {
            out.push_str(line);
        } else {
            changed |= link_line(line, &mut out);
        }
    }
    changed.then_some(out)
}

/// Appends `line` to `out` with its bare URLs linked; says whether it linked any.
fn link_line(line: &str, out: &mut String) -> bool {
    let mut changed = false;
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let url = url_at(rest);
            if is_bare(out) && url.len() > "https://".len() {
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
                changed = true;
                continue;
            }
            out.push_str(url);
            rest = &rest[url.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    changed
}

/// The URL that starts `text`: up to white space or a delimiter, without trailing punctuation.
fn url_at(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`' | ')' | ']'))
        .unwrap_or(text.len());
    text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?'])
}

/// Whether a URL written after `before` is bare: not already `<…>` nor a Markdown link target.
fn is_bare(before: &str) -> bool {
    !(before.ends_with('<') || before.ends_with("]("))
}

#[cfg(test)]
mod tests {
    fn linked_text(text: &str) -> Option<String> {
        super::linked_text(text, &mut false)
    }

    #[test]
    fn a_bare_url_becomes_an_autolink_and_its_sentence_keeps_its_stop() {
        assert_eq!(
            linked_text("see Regions (https://docs.example.com/a/index.html).").as_deref(),
            Some("see Regions (<https://docs.example.com/a/index.html>).")
        );
        assert_eq!(
            linked_text("at http://x.example/p?q=1, then").as_deref(),
            Some("at <http://x.example/p?q=1>, then")
        );
    }

    #[test]
    fn links_code_and_linked_urls_are_left_as_they_are() {
        for text in [
            "[endpoints](https://docs.example.com/e)",
            "already <https://docs.example.com/e>",
            "inline `https://docs.example.com/e` code",
            "```json\n{\"description\": \"https://docs.example.com/e\"}\n```",
            "no link at all; https:// alone",
        ] {
            assert_eq!(linked_text(text), None, "{text}");
        }
    }

    #[test]
    fn only_the_lines_outside_a_fence_change() {
        let text = "https://a.example/x\n```\nhttps://b.example/y\n```\nend https://c.example/z";
        assert_eq!(
            linked_text(text).as_deref(),
            Some("<https://a.example/x>\n```\nhttps://b.example/y\n```\nend <https://c.example/z>")
        );
    }

    #[test]
    fn a_fence_opened_in_one_doc_line_holds_for_the_next() {
        let mut in_fence = false;
        let lines = [
            "```json",
            "\"https://a.example/x\"",
            "```",
            "https://b.example/y",
        ];
        let linked: Vec<_> = lines
            .iter()
            .map(|l| super::linked_text(l, &mut in_fence))
            .collect();
        assert_eq!(
            linked,
            [None, None, None, Some("<https://b.example/y>".to_string())]
        );
    }
}
