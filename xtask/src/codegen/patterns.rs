//! The path parameters' safe-id pattern (`PATH_PARAMETER_PATTERN`, given to every path
//! parameter by the importer) is checked by `dbplane_core::operation::is_safe_path_value`,
//! not by a regex: typify would compile it with `regress`, a backtracking engine, and run it
//! on every call. Other patterns keep typify's regex.

use syn::visit_mut::VisitMut;

use crate::spec::PATH_PARAMETER_PATTERN;

/// Rewrites each typify `from_str` that checks [`PATH_PARAMETER_PATTERN`] with a regex; the
/// number rewritten.
pub fn check_safe_ids_without_regex(file: &mut syn::File) -> usize {
    let mut rewriter = Rewriter { rewritten: 0 };
    rewriter.visit_file_mut(file);
    rewriter.rewritten
}

struct Rewriter {
    rewritten: usize,
}

impl VisitMut for Rewriter {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let Some(at) = block.stmts.iter().position(is_safe_id_static) else {
            return;
        };
        // The statement after the static: `if PATTERN.find(value).is_none() { return Err(..) }`.
        let Some(syn::Stmt::Expr(syn::Expr::If(check), _)) = block.stmts.get_mut(at + 1) else {
            return;
        };
        let Some(value) = pattern_find_argument(&check.cond) else {
            return;
        };
        *check.cond = syn::parse_quote! {
            !::dbplane_core::operation::is_safe_path_value(#value)
        };
        block.stmts.remove(at);
        self.rewritten += 1;
    }
}

/// `static PATTERN: LazyLock<regress::Regex> = LazyLock::new(|| Regex::new("<safe id>")…);`
fn is_safe_id_static(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Item(syn::Item::Static(item)) = stmt else {
        return false;
    };
    if item.ident != "PATTERN" {
        return false;
    }
    let mut finder = LiteralFinder { found: false };
    syn::visit::Visit::visit_expr(&mut finder, &item.expr);
    finder.found
}

struct LiteralFinder {
    found: bool,
}

impl<'ast> syn::visit::Visit<'ast> for LiteralFinder {
    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.found |= lit.value() == PATH_PARAMETER_PATTERN;
    }
}

/// `value` in `PATTERN.find(value).is_none()`.
fn pattern_find_argument(cond: &syn::Expr) -> Option<&syn::Expr> {
    let syn::Expr::MethodCall(is_none) = cond else {
        return None;
    };
    let syn::Expr::MethodCall(find) = &*is_none.receiver else {
        return None;
    };
    let syn::Expr::Path(receiver) = &*find.receiver else {
        return None;
    };
    (is_none.method == "is_none"
        && find.method == "find"
        && receiver.path.is_ident("PATTERN")
        && find.args.len() == 1)
        .then(|| &find.args[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_str_checking(pattern: &str) -> syn::File {
        syn::parse_quote! {
            impl ::std::str::FromStr for Id {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                        ::std::sync::LazyLock::new(|| ::regress::Regex::new(#pattern).unwrap());
                    if PATTERN.find(value).is_none() {
                        return Err("doesn't match pattern".into());
                    }
                    Ok(Self(value.to_string()))
                }
            }
        }
    }

    #[test]
    fn the_safe_id_check_calls_the_runtime_and_keeps_its_refusal() {
        let mut file = from_str_checking(PATH_PARAMETER_PATTERN);
        assert_eq!(check_safe_ids_without_regex(&mut file), 1);
        let code = prettyplease::unparse(&file);
        assert!(!code.contains("regress"), "{code}");
        assert!(
            code.contains("if !::dbplane_core::operation::is_safe_path_value(value) {"),
            "{code}"
        );
        assert!(
            code.contains(r#"return Err("doesn't match pattern".into());"#),
            "{code}"
        );
    }

    #[test]
    fn other_patterns_keep_their_regex() {
        let mut file = from_str_checking("^[a-z]+$");
        assert_eq!(check_safe_ids_without_regex(&mut file), 0);
        assert!(prettyplease::unparse(&file).contains("regress::Regex::new"));
    }
}
