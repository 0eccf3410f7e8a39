//! For passes that rewrite expressions one at a time: every expression of a file is offered
//! to the pass, the innermost first, so that a rewrite sees its parts already rewritten.

use syn::visit_mut::VisitMut;

/// Offers every expression of `file` to `rewrite`, which rewrites it in place and says
/// whether it did; the number rewritten.
pub fn rewrite_exprs(file: &mut syn::File, rewrite: impl FnMut(&mut syn::Expr) -> bool) -> usize {
    let mut visitor = Visitor {
        rewrite,
        rewritten: 0,
    };
    visitor.visit_file_mut(file);
    visitor.rewritten
}

/// [`rewrite_exprs`] over the expressions of `stmts` only.
pub fn rewrite_exprs_in_stmts(
    stmts: &mut [syn::Stmt],
    rewrite: impl FnMut(&mut syn::Expr) -> bool,
) -> usize {
    let mut visitor = Visitor {
        rewrite,
        rewritten: 0,
    };
    for stmt in stmts {
        visitor.visit_stmt_mut(stmt);
    }
    visitor.rewritten
}

struct Visitor<F> {
    rewrite: F,
    rewritten: usize,
}

impl<F: FnMut(&mut syn::Expr) -> bool> VisitMut for Visitor<F> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if (self.rewrite)(expr) {
            self.rewritten += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_expression_is_offered_innermost_first_and_rewrites_are_counted() {
        let mut file: syn::File = syn::parse_quote! {
            fn f() {
                let x = g(h(1), 2);
            }
        };
        let mut seen = Vec::new();
        let rewritten = rewrite_exprs(&mut file, |expr| {
            seen.push(quote::quote!(#expr).to_string());
            if matches!(expr, syn::Expr::Lit(_)) {
                *expr = syn::parse_quote!(0);
                return true;
            }
            false
        });
        assert_eq!(rewritten, 2);
        let first_call = seen.iter().position(|s| s.starts_with("h ")).unwrap();
        let outer_call = seen.iter().position(|s| s.starts_with("g ")).unwrap();
        assert!(first_call < outer_call, "{seen:?}");
        // The outer call was offered after its arguments were rewritten.
        assert_eq!(seen[outer_call], "g (h (0) , 0)");
    }
}
