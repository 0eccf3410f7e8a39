//! progenitor adds an `api-version` header (the spec's `info.version`) to every request. No
//! vendor documents it, so the generated code does not add it: this pass takes the append out
//! of each operation's `send()` (and the room made for it), instead of leaving the runtime to
//! remove the header from every request it is about to send. A header map left empty is
//! neither built nor merged into the request (`.headers(header_map)`).

use syn::visit_mut::VisitMut;

/// The header progenitor adds.
pub const VERSION_HEADER: &str = "api-version";

/// Takes the version header's append out of every block of `file`; the number taken out.
pub fn drop_version_header(file: &mut syn::File) -> usize {
    let mut dropper = Dropper { dropped: 0 };
    dropper.visit_file_mut(file);
    dropper.dropped
}

struct Dropper {
    dropped: usize,
}

impl VisitMut for Dropper {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let Some(at) = block.stmts.iter().position(appends_version_header) else {
            return;
        };
        block.stmts.remove(at);
        // `let mut header_map = HeaderMap::with_capacity(Nusize);` before it: one less (the
        // room progenitor makes is one per header it appends). With none left, the map is
        // empty: it is not built, and not merged into the request.
        let mut emptied = None;
        for (index, stmt) in block.stmts[..at].iter_mut().enumerate() {
            if let Some(capacity) = header_map_capacity(stmt) {
                let room = capacity
                    .base10_parse::<usize>()
                    .unwrap_or(1)
                    .saturating_sub(1);
                if room == 0 {
                    emptied = Some(index);
                } else {
                    *capacity = syn::LitInt::new(&format!("{room}usize"), capacity.span());
                }
            }
        }
        if let Some(index) = emptied {
            block.stmts.remove(index);
            crate::codegen::exprs::rewrite_exprs_in_stmts(&mut block.stmts[index..], unmerge);
        }
        self.dropped += 1;
    }
}

/// `builder.headers(header_map)` as `builder`: the request no longer merges the map.
fn unmerge(expr: &mut syn::Expr) -> bool {
    let syn::Expr::MethodCall(call) = expr else {
        return false;
    };
    let merges_map = call.method == "headers"
        && call.args.len() == 1
        && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("header_map"));
    if merges_map {
        *expr = (*call.receiver).clone();
    }
    merges_map
}

/// `header_map.append(HeaderName::from_static("api-version"), …);`
fn appends_version_header(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let receiver_is_map =
        matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"));
    let names_version = call.args.first().is_some_and(|name| {
        let syn::Expr::Call(from_static) = name else {
            return false;
        };
        matches!(
            from_static.args.first(),
            Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) if s.value() == VERSION_HEADER
        )
    });
    call.method == "append" && receiver_is_map && names_version
}

/// The capacity literal of `let mut header_map = …HeaderMap::with_capacity(N);`.
fn header_map_capacity(stmt: &mut syn::Stmt) -> Option<&mut syn::LitInt> {
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Pat::Ident(name) = &local.pat else {
        return None;
    };
    if name.ident != "header_map" {
        return None;
    }
    let syn::Expr::Call(call) = &mut *local.init.as_mut()?.expr else {
        return None;
    };
    match call.args.first_mut() {
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(capacity),
            ..
        })) => Some(capacity),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_header_and_its_room_go_and_other_headers_stay() {
        let mut file: syn::File = syn::parse_quote! {
            fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("X-Language", value.to_string().try_into()?);
                let request = client.client.get(url).headers(header_map).build()?;
            }
        };
        assert_eq!(drop_version_header(&mut file), 1);
        let code = prettyplease::unparse(&file);
        assert!(!code.contains("api-version"), "{code}");
        assert!(code.contains("HeaderMap::with_capacity(1usize)"), "{code}");
        assert!(code.contains(r#"header_map.append("X-Language""#), "{code}");
        assert_eq!(drop_version_header(&mut file), 0);
    }

    #[test]
    fn a_map_left_empty_is_neither_built_nor_merged() {
        let mut file: syn::File = syn::parse_quote! {
            fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                #[allow(unused_mut)]
                let mut request = client
                    .client
                    .get(url)
                    .header(ACCEPT, json)
                    .headers(header_map)
                    .headers(other)
                    .build()?;
            }
        };
        assert_eq!(drop_version_header(&mut file), 1);
        let code = prettyplease::unparse(&file);
        let compact: String = code.split_whitespace().collect();
        assert!(!code.contains("header_map"), "{code}");
        assert!(
            compact.contains(
                "letmutrequest=client.client.get(url).header(ACCEPT,json).headers(other).build()?;"
            ),
            "{code}"
        );
    }
}
