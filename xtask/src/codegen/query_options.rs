//! progenitor adds every query parameter with its own `.query(…)` call, a parameter that has
//! no value too: each call opens the URL's query for writing, writes nothing for `None`, and
//! closes it again. This pass has each optional parameter of an operation's builder added
//! only when it has a value: `.query_if(name.is_some(), &QueryParam::new("name", &name))`
//! (`dbplane_core::__private::QueryIf`, imported where it is used). A parameter with no
//! value is written by neither, so the request is the same.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::VisitMut;

/// Rewrites the optional query parameters of every operation builder in `file`; the number
/// rewritten.
pub fn add_optional_queries_when_present(file: &mut syn::File) -> usize {
    let import: syn::Item = syn::parse_quote! {
        #[allow(unused_imports)]
        use ::dbplane_core::__private::QueryIf as _;
    };
    crate::codegen::imports::rewrite_importing(file, &import, &mut |items| {
        let optional = optional_fields(items);
        let mut rewritten = 0;
        for item in items.iter_mut() {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let Some(fields) = self_name(block).and_then(|name| optional.get(&name)) else {
                continue;
            };
            let mut rewriter = Rewriter {
                optional: fields,
                rewritten: 0,
            };
            rewriter.visit_item_impl_mut(block);
            rewritten += rewriter.rewritten;
        }
        rewritten
    })
}

/// Each struct's fields of type `Result<Option<…>, …>`: the parameters a builder may leave
/// without a value.
fn optional_fields(items: &[&mut syn::Item]) -> BTreeMap<String, BTreeSet<String>> {
    let mut structs = BTreeMap::new();
    for item in items {
        let syn::Item::Struct(item) = &**item else {
            continue;
        };
        let fields = item
            .fields
            .iter()
            .filter(|f| is_result_of_option(&f.ty))
            .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
            .collect();
        structs.insert(item.ident.to_string(), fields);
    }
    structs
}

/// `Result<Option<T>, E>`.
fn is_result_of_option(ty: &syn::Type) -> bool {
    let first_argument = |ty: &syn::Type, name: &str| -> Option<syn::Type> {
        let syn::Type::Path(path) = ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        if last.ident != name {
            return None;
        }
        let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return None;
        };
        match arguments.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner.clone()),
            _ => None,
        }
    };
    first_argument(ty, "Result").is_some_and(|inner| first_argument(&inner, "Option").is_some())
}

/// The name of the type an `impl` block is for.
fn self_name(block: &syn::ItemImpl) -> Option<String> {
    let syn::Type::Path(path) = &*block.self_ty else {
        return None;
    };
    Some(path.path.segments.last()?.ident.to_string())
}

struct Rewriter<'f> {
    optional: &'f BTreeSet<String>,
    rewritten: usize,
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some(value) = query_param_value(&call.args[0]) else {
            return;
        };
        if !self.optional.contains(&value.to_string()) {
            return;
        }
        call.method = syn::parse_quote!(query_if);
        call.args.insert(0, syn::parse_quote!(#value.is_some()));
        self.rewritten += 1;
    }
}

/// `value` in `&progenitor_client::QueryParam::new("name", &value)`.
fn query_param_value(expr: &syn::Expr) -> Option<syn::Ident> {
    let syn::Expr::Reference(reference) = expr else {
        return None;
    };
    let syn::Expr::Call(new) = &*reference.expr else {
        return None;
    };
    let syn::Expr::Path(func) = &*new.func else {
        return None;
    };
    let query_param = ["progenitor_client", "QueryParam", "new"];
    if !crate::codegen::names::is_path(&func.path, &query_param) || new.args.len() != 2 {
        return None;
    }
    let syn::Expr::Reference(value) = &new.args[1] else {
        return None;
    };
    let syn::Expr::Path(value) = &*value.expr else {
        return None;
    };
    value.path.get_ident().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_parameters_are_added_when_present_and_required_ones_always() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct ListInstances<'a> {
                    client: &'a super::Client,
                    project_id: Result<types::ListInstancesProjectId, String>,
                    limit: Result<Option<::std::num::NonZeroU32>, String>,
                    name: Result<String, String>,
                }
                impl<'a> ListInstances<'a> {
                    pub async fn send(self) {
                        let request = client
                            .client
                            .get(url)
                            .query(&progenitor_client::QueryParam::new("limit", &limit))
                            .query(&progenitor_client::QueryParam::new("name", &name))
                            .build()?;
                    }
                }
                pub struct Other<'a> {
                    name: Result<Option<String>, String>,
                }
            }
        };
        assert_eq!(add_optional_queries_when_present(&mut file), 1);
        let compact: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            compact.contains(
                "pubmodbuilder{#[allow(unused_imports)]use::dbplane_core::__private::QueryIfas_;"
            ),
            "{compact}"
        );
        assert!(
            compact.contains(
                ".query_if(limit.is_some(),&progenitor_client::QueryParam::new(\"limit\",&limit),)\
                 .query(&progenitor_client::QueryParam::new(\"name\",&name))"
            ),
            "{compact}"
        );
    }
}
