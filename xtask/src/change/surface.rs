//! The generated Rust API as a caller's code sees it, and what changed in it: the compiler's
//! view of a spec change, beside the wire view of `diff`. Each public type, field, variant,
//! method and builder setter of a generated module is one entry; an entry that disappears or
//! changes (a field's type `Option<String>` → `String`, a renamed type, a removed variant)
//! can stop a caller's code compiling.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use quote::ToTokens;

use crate::change::diff::{Change, Class};

/// Every public item of a generated module, one line each.
pub fn rust_surface(code: &str) -> Result<BTreeSet<String>, String> {
    let file = syn::parse_file(code).map_err(|e| format!("generated code does not parse: {e}"))?;
    let mut out = BTreeSet::new();
    collect(&file.items, "", &mut out);
    Ok(out)
}

fn collect(items: &[syn::Item], module: &str, out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, &format!("{module}{}::", m.ident), out);
                }
            }
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let name = format!("{module}{}", s.ident);
                out.insert(format!("struct `{name}`{}", generics(&s.generics)));
                for (i, field) in s.fields.iter().enumerate() {
                    if !is_pub(&field.vis) {
                        continue;
                    }
                    let field_name = field
                        .ident
                        .as_ref()
                        .map_or_else(|| i.to_string(), ToString::to_string);
                    out.insert(format!(
                        "field `{name}.{field_name}`: {}",
                        tokens(&field.ty)
                    ));
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{module}{}", e.ident);
                out.insert(format!("enum `{name}`"));
                for variant in &e.variants {
                    out.insert(format!(
                        "variant `{name}::{}`{}",
                        variant.ident,
                        tokens(&variant.fields)
                    ));
                }
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                out.insert(format!("type `{module}{}` = {}", t.ident, tokens(&t.ty)));
            }
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                out.insert(format!("fn `{module}{}`", tokens(&f.sig)));
            }
            syn::Item::Const(c) if is_pub(&c.vis) => {
                out.insert(format!("const `{module}{}`: {}", c.ident, tokens(&c.ty)));
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = format!("{module}{}", tokens(&i.self_ty));
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        if is_pub(&f.vis) {
                            out.insert(format!("method `{self_ty}::{}`", tokens(&f.sig)));
                        }
                    }
                }
            }
            syn::Item::Impl(i) => {
                // Trait impls a caller may lean on (`From`, `TryFrom`, `Default`…).
                if let Some((_, path, _)) = &i.trait_ {
                    out.insert(format!(
                        "impl {} for `{module}{}`",
                        tokens(path),
                        tokens(&i.self_ty)
                    ));
                }
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Tokens as a person writes them: `Option<String>`, not `:: std :: option :: Option < … >`.
fn tokens(value: &impl ToTokens) -> String {
    let mut text = value.to_token_stream().to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (",)", ")"),
    ] {
        text = text.replace(from, to);
    }
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::convert::",
        "std::convert::",
        "::std::fmt::",
        "::std::str::",
        "::std::ops::",
        "::std::default::",
        "::serde::",
    ] {
        text = text.replace(prefix, "");
    }
    text
}

fn generics(generics: &syn::Generics) -> String {
    if generics.params.is_empty() {
        String::new()
    } else {
        tokens(generics)
    }
}

/// Entries gone from `old` to `new` are breaking, new ones compatible, under `label`.
pub fn compare(label: &str, old: &BTreeSet<String>, new: &BTreeSet<String>) -> Vec<Change> {
    let removed = old.difference(new).map(|entry| Change {
        operation: label.to_string(),
        class: Class::Breaking,
        what: format!("removed or changed: {entry}"),
    });
    let added = new.difference(old).map(|entry| Change {
        operation: label.to_string(),
        class: Class::Compatible,
        what: format!("added: {entry}"),
    });
    removed.chain(added).collect()
}

/// The generated Rust API of each spec version a run looks at, rendered once: `generate`
/// compares each spec with `HEAD` and with the commit that set its crate's version, which is
/// often the same text.
#[derive(Default)]
pub struct Surfaces(RefCell<HashMap<String, Result<BTreeSet<String>, String>>>);

impl Surfaces {
    /// The public API today's generator makes of `spec`.
    pub fn of(&self, spec: &crate::spec::LoadedSpec) -> Result<BTreeSet<String>, String> {
        let key = spec.json.to_string();
        if let Some(known) = self.0.borrow().get(&key) {
            return known.clone();
        }
        let surface = crate::codegen::client::render(spec)
            .map_err(|e| e.to_string())
            .and_then(|code| rust_surface(&code));
        self.0.borrow_mut().insert(key, surface.clone());
        surface
    }

    /// Records the API of `spec`, already rendered as `code`.
    pub fn remember(&self, spec: &crate::spec::LoadedSpec, code: &str) {
        self.0
            .borrow_mut()
            .insert(spec.json.to_string(), rust_surface(code));
    }
}

/// Every change from `old` to `new`: the wire contract (`diff::compare`), the generated Rust
/// API (both rendered by today's generator) and the CLI's commands and flags.
pub fn all_changes(
    service: &crate::spec::Service,
    old: &crate::spec::LoadedSpec,
    new: &crate::spec::LoadedSpec,
    surfaces: &Surfaces,
) -> Vec<Change> {
    // Both are rendered by today's generator: the same spec gives the same API.
    if old.json == new.json {
        return Vec::new();
    }
    let mut changes = crate::change::diff::compare(&old.json, &new.json);
    match (surfaces.of(old), surfaces.of(new)) {
        (Ok(o), Ok(n)) => changes.extend(compare("(Rust API)", &o, &n)),
        (Err(e), _) | (_, Err(e)) => changes.push(Change {
            operation: "(Rust API)".into(),
            class: Class::Breaking,
            what: format!("cannot compare the generated API ({e}): treated as breaking"),
        }),
    }
    let (old_cli, new_cli) = (
        crate::codegen::cli::surface(service, old),
        crate::codegen::cli::surface(service, new),
    );
    changes.extend(compare("(CLI)", &old_cli, &new_cli));
    changes.sort();
    changes.dedup();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_variants_and_methods_are_entries() {
        let code = r#"
            pub mod types {
                pub struct Answer { pub job_id: Option<String>, hidden: u8 }
                pub enum State { Running, Done }
            }
            pub struct Client { baseurl: String }
            impl Client { pub fn stop(&self) -> u8 { 0 } fn private(&self) {} }
        "#;
        let surface = rust_surface(code).unwrap();
        assert!(
            surface.contains("field `types::Answer.job_id`: Option<String>"),
            "{surface:?}"
        );
        assert!(
            surface.contains("variant `types::State::Done`"),
            "{surface:?}"
        );
        assert!(
            surface.contains("method `Client::fn stop(&self) -> u8`"),
            "{surface:?}"
        );
        assert!(!surface
            .iter()
            .any(|e| e.contains("hidden") || e.contains("private")));
    }
}
