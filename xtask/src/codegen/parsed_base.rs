//! progenitor starts each request as `client.client.get(url)` (or `post`, `put`, …), with
//! `url` the client's base URL and the operation's path written as one string, which
//! reqwest then parses whole: the base URL's host again on every call, which is most of a
//! URL's parse. This pass writes `::dbplane_core::__private::request(client, Method::GET,
//! url)` there instead, which gives the path to the base URL the runtime parsed once when
//! the URL allows it (the same URL either way; a property test in `dbplane-core` compares
//! it with the whole text's parse).

/// The request methods progenitor starts a request with, and their `reqwest::Method`.
const METHODS: [(&str, &str); 7] = [
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("delete", "DELETE"),
    ("patch", "PATCH"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
];

/// Rewrites every `client.client.<method>(url)` of `file`; the number rewritten.
pub fn start_requests_from_parsed_base(file: &mut syn::File) -> usize {
    crate::codegen::exprs::rewrite_exprs(file, |expr| {
        let Some(method) = request_start(expr) else {
            return false;
        };
        let method = syn::Ident::new(method, proc_macro2::Span::call_site());
        *expr = syn::parse_quote! {
            ::dbplane_core::__private::request(client, ::reqwest::Method::#method, url)
        };
        true
    })
}

/// The `reqwest::Method` of `client.client.<method>(url)`.
fn request_start(expr: &syn::Expr) -> Option<&'static str> {
    let syn::Expr::MethodCall(call) = expr else {
        return None;
    };
    let (_, method) = METHODS.iter().find(|(name, _)| call.method == name)?;
    let takes_url = call.args.len() == 1
        && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("url"));
    let syn::Expr::Field(field) = &*call.receiver else {
        return None;
    };
    let on_client = matches!(&field.member, syn::Member::Named(m) if m == "client")
        && matches!(&*field.base, syn::Expr::Path(p) if p.path.is_ident("client"));
    (takes_url && on_client).then_some(*method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_request_start_goes_through_the_parsed_base_and_nothing_else_changes() {
        let mut file: syn::File = syn::parse_quote! {
            fn send() {
                let list = client.client.get(url).header(ACCEPT, json).build()?;
                let stop = client.client.post(url).body(body);
                let resize = client.client.put(url);
                let drop = client.client.delete(url);
                let other_url = client.client.get(other);
                let other_client = http.client.get(url);
                let not_a_method = client.client.fetch(url);
                let two = client.client.get(url, extra);
            }
        };
        assert_eq!(start_requests_from_parsed_base(&mut file), 4);
        let code = prettyplease::unparse(&file);
        // Without spaces, and without the trailing commas of wrapped argument lists.
        let compact = code
            .split_whitespace()
            .collect::<String>()
            .replace(",)", ")");
        for (binding, method) in [
            ("list", "GET"),
            ("stop", "POST"),
            ("resize", "PUT"),
            ("drop", "DELETE"),
        ] {
            let start = format!(
                "let{binding}=::dbplane_core::__private::request(client,::reqwest::Method::{method},url)"
            );
            assert!(compact.contains(&start), "{code}");
        }
        assert!(compact.contains(".header(ACCEPT,json).build()?;"), "{code}");
        for kept in [
            "letother_url=client.client.get(other);",
            "letother_client=http.client.get(url);",
            "letnot_a_method=client.client.fetch(url);",
            "lettwo=client.client.get(url,extra);",
        ] {
            assert!(compact.contains(kept), "{code}");
        }
    }
}
