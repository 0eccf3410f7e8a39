//! progenitor reads each answer with `ResponseValue::from_response(response)`, which copies
//! the answer's headers (every name and value) before consuming the answer. This pass calls
//! `::dbplane_core::__private::read_answer(response)` there instead: the same status,
//! headers, value and errors (a test in `dbplane-core` compares the two), the headers taken
//! rather than copied.

/// Rewrites every `ResponseValue::from_response(…)` call in `file`; the number rewritten.
pub fn read_answers_without_copying_headers(file: &mut syn::File) -> usize {
    crate::codegen::exprs::rewrite_exprs(file, |expr| {
        let syn::Expr::Call(call) = expr else {
            return false;
        };
        let syn::Expr::Path(func) = &*call.func else {
            return false;
        };
        let from_response = ["ResponseValue", "from_response"];
        if !crate::codegen::names::is_path(&func.path, &from_response) || call.args.len() != 1 {
            return false;
        }
        *call.func = syn::parse_quote!(::dbplane_core::__private::read_answer);
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
}
