//! progenitor's builders start each required field as `Err("<field> was not initialized"
//! .to_string())`: an allocation per required parameter on every call, for a message only a
//! caller who forgot the parameter reads. This pass starts the field as `Err(String::new())`
//! and has `send()` write the same message when the field is still empty, so the error a
//! forgotten parameter gives is unchanged.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

const NOT_INITIALIZED: &str = " was not initialized";

/// Rewrites the builders of `file`, each `impl` on its own (a field that one builder
/// requires may be optional in another); the number of fields rewritten.
pub fn defer_missing_field_messages(file: &mut syn::File) -> usize {
    let mut builders = Builders { rewritten: 0 };
    builders.visit_file_mut(file);
    builders.rewritten
}

/// Runs [`Starts`] and then [`Sends`] on each `impl` block.
struct Builders {
    rewritten: usize,
}

impl VisitMut for Builders {
    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let mut starts = Starts::default();
        starts.visit_item_impl_mut(item);
        if starts.fields.is_empty() {
            return;
        }
        let mut sends = Sends {
            fields: &starts.fields,
            rewritten: 0,
        };
        sends.visit_item_impl_mut(item);
        self.rewritten += sends.rewritten;
    }
}

/// Finds `field: Err("<field> was not initialized".to_string())` and empties the message.
#[derive(Default)]
struct Starts {
    fields: BTreeSet<String>,
}

impl VisitMut for Starts {
    fn visit_field_value_mut(&mut self, value: &mut syn::FieldValue) {
        syn::visit_mut::visit_field_value_mut(self, value);
        let syn::Member::Named(field) = &value.member else {
            return;
        };
        let Some(message) = not_initialized_message(&value.expr) else {
            return;
        };
        if message != format!("{field}{NOT_INITIALIZED}") {
            return;
        }
        value.expr = syn::parse_quote!(Err(String::new()));
        self.fields.insert(field.to_string());
    }
}

/// The literal in `Err("….".to_string())`.
fn not_initialized_message(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::Call(err) = expr else {
        return None;
    };
    let syn::Expr::Path(path) = &*err.func else {
        return None;
    };
    if !path.path.is_ident("Err") || err.args.len() != 1 {
        return None;
    }
    let syn::Expr::MethodCall(to_string) = &err.args[0] else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(text),
        ..
    }) = &*to_string.receiver
    else {
        return None;
    };
    (to_string.method == "to_string").then(|| text.value())
}

/// Rewrites `let <field> = <field>.map_err(Error::InvalidRequest)?;` for each emptied field.
struct Sends<'f> {
    fields: &'f BTreeSet<String>,
    rewritten: usize,
}

impl VisitMut for Sends<'_> {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        syn::visit_mut::visit_local_mut(self, local);
        let syn::Pat::Ident(name) = &local.pat else {
            return;
        };
        let field = name.ident.to_string();
        if !self.fields.contains(&field) {
            return;
        }
        let Some(init) = &mut local.init else {
            return;
        };
        let expected: syn::Expr = {
            let ident = &name.ident;
            syn::parse_quote!(#ident.map_err(Error::InvalidRequest)?)
        };
        use quote::ToTokens;
        if init.expr.to_token_stream().to_string() != expected.to_token_stream().to_string() {
            return;
        }
        let ident = &name.ident;
        let message = format!("{field}{NOT_INITIALIZED}");
        *init.expr = syn::parse_quote! {
            #ident
                .map_err(|e| {
                    Error::InvalidRequest(if e.is_empty() { #message.to_string() } else { e })
                })?
        };
        self.rewritten += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_is_empty_and_send_still_names_the_missing_field() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> StopInstance<'a> {
                pub fn new(client: &'a super::Client) -> Self {
                    Self {
                        client: client,
                        project_id: Err("project_id was not initialized".to_string()),
                        body: Ok(::std::default::Default::default()),
                    }
                }
                pub async fn send(self) -> Result<(), Error<()>> {
                    let Self { client, project_id, body } = self;
                    let project_id = project_id.map_err(Error::InvalidRequest)?;
                    let body = body.map_err(Error::InvalidRequest)?;
                    Ok(())
                }
            }
            impl<'a> ListInstances<'a> {
                pub fn new(client: &'a super::Client) -> Self {
                    Self { client: client, project_id: Ok(None) }
                }
                pub async fn send(self) -> Result<(), Error<()>> {
                    let Self { client, project_id } = self;
                    let project_id = project_id.map_err(Error::InvalidRequest)?;
                    Ok(())
                }
            }
        };
        assert_eq!(defer_missing_field_messages(&mut file), 1);
        let code = prettyplease::unparse(&file);
        // Another builder's `project_id`, optional there, keeps progenitor's code.
        assert!(
            code.contains("let project_id = project_id.map_err(Error::InvalidRequest)?;"),
            "{code}"
        );
        assert!(code.contains("project_id: Err(String::new()),"), "{code}");
        assert!(
            code.contains(r#""project_id was not initialized".to_string()"#),
            "{code}"
        );
        assert!(code.contains("if e.is_empty()"), "{code}");
        // Fields that start `Ok` keep progenitor's code.
        assert!(
            code.contains("let body = body.map_err(Error::InvalidRequest)?;"),
            "{code}"
        );
    }
}
