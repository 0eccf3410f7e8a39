//! For passes that rewrite code to call a trait's method: the trait is imported (as `_`)
//! into each module where something was rewritten, and nowhere else.

/// Runs `rewrite` on the items of each module of `file` (the file's own items first; a
/// nested module's items are given in their own run, never with the module's parent's),
/// and puts `import` first in each module, and in the file, where `rewrite` counted a
/// rewrite; the number of rewrites.
pub fn rewrite_importing(
    file: &mut syn::File,
    import: &syn::Item,
    rewrite: &mut impl FnMut(&mut [&mut syn::Item]) -> usize,
) -> usize {
    rewrite_items(&mut file.items, import, rewrite)
}

fn rewrite_items(
    items: &mut Vec<syn::Item>,
    import: &syn::Item,
    rewrite: &mut impl FnMut(&mut [&mut syn::Item]) -> usize,
) -> usize {
    let mut own: Vec<&mut syn::Item> = Vec::new();
    let mut nested = 0;
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) => nested += rewrite_items(inner, import, rewrite),
            other => own.push(other),
        }
    }
    let here = rewrite(&mut own);
    if here > 0 {
        items.insert(0, import.clone());
    }
    here + nested
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_modules_with_a_rewrite_get_the_import() {
        let mut file: syn::File = syn::parse_quote! {
            fn kept() {}
            mod outer {
                fn target() {}
                mod inner {
                    fn kept() {}
                }
            }
        };
        let import: syn::Item = syn::parse_quote!(
            use x::Trait as _;
        );
        let mut rename = |items: &mut [&mut syn::Item]| {
            let mut renamed = 0;
            for item in items.iter_mut() {
                match item {
                    syn::Item::Fn(f) if f.sig.ident == "target" => {
                        f.sig.ident = syn::parse_quote!(renamed);
                        renamed += 1;
                    }
                    syn::Item::Mod(_) => panic!("a module is never given"),
                    _ => {}
                }
            }
            renamed
        };
        assert_eq!(rewrite_importing(&mut file, &import, &mut rename), 1);
        let compact: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert_eq!(
            compact,
            "fnkept(){}modouter{usex::Traitas_;fnrenamed(){}modinner{fnkept(){}}}"
        );
    }
}
