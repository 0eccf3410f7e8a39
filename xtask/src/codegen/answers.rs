//! progenitor reads each answer with `ResponseValue::from_response(response)`, which copies
//! the answer's headers (every name and value) before consuming the answer. This pass calls
//! `::dbplane_core::__private::read_answer(response)` there instead: the same status,
//! headers, value and errors (a test in `dbplane-core` compares the two), the headers taken
//! rather than copied, and the body the runtime already read decoded as it is.
//!
//! An answer handed on whole (`Error::UnexpectedResponse(response)`, a stream or an upgrade)
//! is handed on as `::dbplane_core::__private::unread(response)`: with its body, which the
//! runtime read, back in it.

/// Rewrites every `ResponseValue::from_response(…)` call in `file`; the number rewritten.
pub fn read_answers_without_copying_headers(file: &mut syn::File) -> usize {
    crate::codegen::exprs::rewrite_exprs(file, |expr| {
        let Some(call) = call_with_one_argument(expr, &[&["ResponseValue", "from_response"]])
        else {
            return false;
        };
        *call.func = syn::parse_quote!(::dbplane_core::__private::read_answer);
        true
    })
}

/// `expr` when it calls one of `paths` with one argument.
fn call_with_one_argument<'e>(
    expr: &'e mut syn::Expr,
    paths: &[&[&str]],
) -> Option<&'e mut syn::ExprCall> {
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(func) = &*call.func else {
        return None;
    };
    let named = paths
        .iter()
        .any(|p| crate::codegen::names::is_path(&func.path, p));
    (named && call.args.len() == 1).then_some(call)
}

/// Wraps the answer given whole to `Error::UnexpectedResponse`, `ResponseValue::stream` or
/// `ResponseValue::upgrade` in `::dbplane_core::__private::unread(…)`; the number wrapped.
pub fn hand_on_answers_with_their_body(file: &mut syn::File) -> usize {
    let whole: [&[&str]; 3] = [
        &["Error", "UnexpectedResponse"],
        &["ResponseValue", "stream"],
        &["ResponseValue", "upgrade"],
    ];
    crate::codegen::exprs::rewrite_exprs(file, |expr| {
        let Some(call) = call_with_one_argument(expr, &whole) else {
            return false;
        };
        let answer = &call.args[0];
        let wrapped: syn::Expr = syn::parse_quote!(::dbplane_core::__private::unread(#answer));
        call.args[0] = wrapped;
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_is_read_by_the_runtime_and_streams_are_left() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                match status {
                    200u16 => ResponseValue::from_response(response).await,
                    400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                    204u16 => Ok(ResponseValue::empty(response)),
                    _ => Ok(ResponseValue::stream(response)),
                }
            }
        };
        assert_eq!(read_answers_without_copying_headers(&mut file), 2);
        let compact: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert_eq!(
            compact
                .matches("::dbplane_core::__private::read_answer(response).await")
                .count(),
            2,
            "{compact}"
        );
        assert!(!compact.contains("from_response"), "{compact}");
        assert!(
            compact.contains("ResponseValue::empty(response)"),
            "{compact}"
        );
        assert!(
            compact.contains("ResponseValue::stream(response)"),
            "{compact}"
        );
    }

    #[test]
    fn an_answer_handed_on_whole_gets_its_body_back_and_no_other() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                match status {
                    200u16 => ::dbplane_core::__private::read_answer(response).await,
                    204u16 => Ok(ResponseValue::empty(response)),
                    206u16 => Ok(ResponseValue::stream(response)),
                    101u16 => ResponseValue::upgrade(response).await,
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        };
        assert_eq!(hand_on_answers_with_their_body(&mut file), 3);
        let compact: String = prettyplease::unparse(&file).split_whitespace().collect();
        for whole in [
            "Error::UnexpectedResponse(::dbplane_core::__private::unread(response))",
            "ResponseValue::stream(::dbplane_core::__private::unread(response))",
            "ResponseValue::upgrade(::dbplane_core::__private::unread(response))",
            "ResponseValue::empty(response)",
            "::dbplane_core::__private::read_answer(response)",
        ] {
            assert_eq!(compact.matches(whole).count(), 1, "{whole} in {compact}");
        }
    }
}
