//! The Rust names the generated code shares with progenitor's: a parameter's builder setter,
//! a component's type, and the paths the codegen passes look for in progenitor's code.

use heck::{ToSnakeCase, ToUpperCamelCase};
use quote::format_ident;

/// The builder setter progenitor generates for a parameter (`type` → `type_`).
pub fn setter_name(name: &str) -> proc_macro2::Ident {
    const KEYWORDS: [&str; 12] = [
        "type", "match", "ref", "self", "super", "crate", "fn", "impl", "loop", "move", "static",
        "use",
    ];
    let snake = name.to_snake_case();
    if KEYWORDS.contains(&snake.as_str()) {
        format_ident!("{snake}_")
    } else {
        format_ident!("{snake}")
    }
}

/// The generated type of a component `$ref` (`#/components/schemas/Job` → `Job`).
pub fn component_type(reference: &str) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        reference
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_upper_camel_case()
    )
}

/// The `ErrorCode` variant of a vendor code (`DBS.200022` → `Dbs200022`), or `None` when the
/// code makes no Rust name (it must hold a letter or digit and start with a letter).
pub fn error_code_variant(code: &str) -> Option<String> {
    let name = code.to_upper_camel_case();
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then_some(name)
}

/// Whether `path` is spelled `segments` (`ResponseValue::from_response`), generics aside.
pub fn is_path(path: &syn::Path, segments: &[&str]) -> bool {
    path.segments.len() == segments.len()
        && path
            .segments
            .iter()
            .zip(segments)
            .all(|(s, name)| s.ident == name)
}
