//! progenitor writes each path parameter into the request path as
//! `encode_path(&value.to_string())`: the value's text in one `String`, its encoding in
//! another, both thrown away once `format!` has copied them. This pass writes
//! `value.path_segment()` there instead (`dbplane_core::operation::ToPathSegment`, imported
//! where it is used), which encodes the value's text as `format!` writes it, with the same
//! characters encoded (a test in `dbplane-core` compares the two). Like `to_string()`, the
//! method finds the `Display` of what the value dereferences to. The URL is written by
//! `dbplane_core::__private::request_url` (`format_args!` into a string made with room for
//! a URL) instead of `format!`.

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

/// Rewrites the path parameters of every `format!` in `file`, importing the method in each
/// module where it rewrote one; the number rewritten.
pub fn write_path_segments_in_place(file: &mut syn::File) -> usize {
    let import: syn::Item = syn::parse_quote! {
        #[allow(unused_imports)]
        use ::dbplane_core::operation::ToPathSegment as _;
    };
    crate::codegen::imports::rewrite_importing(file, &import, &mut |items| {
        let mut writer = Writer { rewritten: 0 };
        for item in items.iter_mut() {
            writer.visit_item_mut(item);
        }
        writer.rewritten
    })
}

struct Writer {
    rewritten: usize,
}

impl VisitMut for Writer {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::Macro(call) = expr else {
            return;
        };
        if !call.mac.path.is_ident("format") {
            return;
        }
        let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        let Ok(mut arguments) = call.mac.parse_body_with(parser) else {
            return;
        };
        let mut rewritten = 0;
        for argument in arguments.iter_mut() {
            if let Some(value) = encoded_value(argument) {
                *argument = syn::parse_quote!(#value.path_segment());
                rewritten += 1;
            }
        }
        if rewritten > 0 {
            // A request's URL: written into one string with room for it, not one grown by
            // doubling from nothing (`format!` starts from nothing when the text begins with
            // an argument, as `{}/v3/…` does).
            *expr = syn::parse_quote! {
                ::dbplane_core::__private::request_url(::std::format_args!(#arguments))
            };
            self.rewritten += rewritten;
        }
    }
}

/// `value` in `encode_path(&value.to_string())`.
fn encoded_value(expr: &syn::Expr) -> Option<syn::Expr> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(func) = &*call.func else {
        return None;
    };
    if !func.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let syn::Expr::Reference(reference) = &call.args[0] else {
        return None;
    };
    let syn::Expr::MethodCall(to_string) = &*reference.expr else {
        return None;
    };
    if to_string.method != "to_string" || !to_string.args.is_empty() {
        return None;
    }
    Some((*to_string.receiver).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_parameter_is_written_in_place_and_nothing_else_changes() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                fn send() {
                    let url = format!(
                        "{}/v3/{}/instances/{}/action/shutdown",
                        client.baseurl,
                        encode_path(&project_id.to_string()),
                        encode_path(&instance_id.to_string()),
                    );
                    let other = format!("{}", encode_path(&name));
                    let kept = encode_path(&id.to_string());
                    let message = format!("{} was not initialized", field.to_string());
                }
            }
            mod untouched {
                fn f() -> String {
                    format!("{}", x)
                }
            }
        };
        assert_eq!(write_path_segments_in_place(&mut file), 2);
        let code = prettyplease::unparse(&file);
        let compact: String = code.split_whitespace().collect();
        assert!(
            compact.contains(
                "pubmodbuilder{#[allow(unused_imports)]use::dbplane_core::operation::ToPathSegmentas_;"
            ),
            "{code}"
        );
        assert!(
            compact.contains(
                "leturl=::dbplane_core::__private::request_url(\
                 ::std::format_args!(\"{}/v3/{}/instances/{}/action/shutdown\",\
                 client.baseurl,project_id.path_segment(),instance_id.path_segment(),),);"
            ),
            "{code}"
        );
        // Only `encode_path(&….to_string())` inside `format!` is rewritten, and only the
        // module where it was gets the import.
        assert!(compact.contains("encode_path(&name)"), "{code}");
        assert!(
            compact.contains("letkept=encode_path(&id.to_string());"),
            "{code}"
        );
        assert!(
            compact.contains("letmessage=format!(\"{}wasnotinitialized\",field.to_string());"),
            "{code}"
        );
        assert!(!compact.contains("encode_path(&project_id"), "{code}");
        assert_eq!(compact.matches("ToPathSegment").count(), 1, "{code}");
    }
}
