//! progenitor's `send()` declares every builder field, the URL and the request in the body
//! of the `async fn`, so its future keeps room for all of them (and for the request twice,
//! as a binding and inside the runtime's future) while the call waits for its answer. The
//! future is moved whole each time a caller wraps or awaits it. This pass scopes them: the
//! request is built in a block of its own, and the request itself lives only until it is
//! handed to the runtime:
//!
//! ```text
//! let client = self.client;
//! let info = OperationInfo { … };
//! let result = {
//!     let mut request = { let Self { … } = self; …; let mut request = ….build()?; request };
//!     client.pre(&mut request, &info).await?;
//!     client.exec(request, &info)
//! }
//! .await;
//! ```
//!
//! Nothing else changes: the same statements, run in the same order.

use syn::visit_mut::VisitMut;

/// What the pass did to `file`: the `send()` bodies it scoped, and the `async fn send` it
/// found that have another shape (left as they are; the generator refuses them).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scoped {
    pub rewritten: usize,
    pub unmatched: Vec<String>,
}

/// Scopes the request-building statements of every builder's `send()` in `file`.
pub fn scope_request_building(file: &mut syn::File) -> Scoped {
    let mut scoper = Scoper::default();
    scoper.visit_file_mut(file);
    scoper.scoped
}

#[derive(Default)]
struct Scoper {
    scoped: Scoped,
    /// The builder whose `impl` is being visited.
    builder: String,
}

impl VisitMut for Scoper {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        self.builder = match &*block.self_ty {
            syn::Type::Path(p) => p
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        syn::visit_mut::visit_item_impl_mut(self, block);
    }

    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident != "send" || function.sig.asyncness.is_none() {
            return;
        }
        match scoped(&function.block.stmts) {
            Some(stmts) => {
                function.block.stmts = stmts;
                self.scoped.rewritten += 1;
            }
            None => self.scoped.unmatched.push(self.builder.clone()),
        }
    }
}

/// The statements of `body` scoped, when it has progenitor's shape: `let Self { client, … }
/// = self;` first, and then, one after the other, `let mut request = …;`, `let info = …;`,
/// `client.pre(&mut request, &info).await?;` and `let result = client.exec(request,
/// &info).await;`.
fn scoped(body: &[syn::Stmt]) -> Option<Vec<syn::Stmt>> {
    if !destructures_client(body.first()?) {
        return None;
    }
    let built = body.iter().position(|s| binds(s, "request"))?;
    let [info, pre, exec] = body.get(built + 1..built + 4)? else {
        return None;
    };
    let pre_expected: syn::Stmt = syn::parse_quote!(client.pre(&mut request, &info).await?;);
    let exec_expected: syn::Stmt =
        syn::parse_quote!(let result = client.exec(request, &info).await;);
    if !binds(info, "info") || !same(pre, &pre_expected) || !same(exec, &exec_expected) {
        return None;
    }
    let building = &body[..=built];
    let mut stmts: Vec<syn::Stmt> = vec![
        syn::parse_quote!(let client = self.client;),
        info.clone(),
        syn::parse_quote! {
            let result = {
                #[allow(unused_mut)]
                let mut request = {
                    #(#building)*
                    request
                };
                client.pre(&mut request, &info).await?;
                client.exec(request, &info)
            }
            .await;
        },
    ];
    stmts.extend_from_slice(&body[built + 4..]);
    Some(stmts)
}

/// Whether two statements are the same tokens.
fn same(a: &syn::Stmt, b: &syn::Stmt) -> bool {
    use quote::ToTokens as _;
    a.to_token_stream().to_string() == b.to_token_stream().to_string()
}

/// Whether `stmt` is `let Self { client, … } = self;`.
fn destructures_client(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = stmt else {
        return false;
    };
    let syn::Pat::Struct(pattern) = &local.pat else {
        return false;
    };
    let from_self = local
        .init
        .as_ref()
        .is_some_and(|init| matches!(&*init.expr, syn::Expr::Path(p) if p.path.is_ident("self")));
    from_self
        && pattern.path.is_ident("Self")
        && pattern
            .fields
            .iter()
            .any(|f| matches!(&f.member, syn::Member::Named(name) if name == "client"))
}

/// Whether `stmt` is `let [mut] <name> = …;`.
fn binds(stmt: &syn::Stmt, name: &str) -> bool {
    match stmt {
        syn::Stmt::Local(local) => {
            matches!(&local.pat, syn::Pat::Ident(p) if p.ident == name) && local.init.is_some()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(file: &syn::File) -> String {
        prettyplease::unparse(file).split_whitespace().collect()
    }

    #[test]
    fn the_request_is_built_and_handed_over_in_a_scope_of_its_own() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> StopInstance<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Job>, Error<types::RdsError>> {
                    let Self { client, project_id, body } = self;
                    let project_id = project_id.map_err(Error::InvalidRequest)?;
                    let url = format!("{}/v3/{}/stop", client.baseurl, project_id);
                    #[allow(unused_mut)]
                    let mut request = client.client.post(url).json(&body).build()?;
                    let info = OperationInfo { operation_id: "stop_instance" };
                    client.pre(&mut request, &info).await?;
                    let result = client.exec(request, &info).await;
                    client.post(&result, &info).await?;
                    let response = result?;
                    match response.status().as_u16() {
                        200u16 => read_answer(response).await,
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
                pub fn body(mut self, value: types::Body) -> Self {
                    self.body = Ok(value);
                    self
                }
            }
        };
        let scoped = scope_request_building(&mut file);
        assert_eq!(
            scoped,
            Scoped {
                rewritten: 1,
                unmatched: vec![]
            }
        );
        let expected: syn::File = syn::parse_quote! {
            impl<'a> StopInstance<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Job>, Error<types::RdsError>> {
                    let client = self.client;
                    let info = OperationInfo { operation_id: "stop_instance" };
                    let result = {
                        #[allow(unused_mut)]
                        let mut request = {
                            let Self { client, project_id, body } = self;
                            let project_id = project_id.map_err(Error::InvalidRequest)?;
                            let url = format!("{}/v3/{}/stop", client.baseurl, project_id);
                            #[allow(unused_mut)]
                            let mut request = client.client.post(url).json(&body).build()?;
                            request
                        };
                        client.pre(&mut request, &info).await?;
                        client.exec(request, &info)
                    }
                    .await;
                    client.post(&result, &info).await?;
                    let response = result?;
                    match response.status().as_u16() {
                        200u16 => read_answer(response).await,
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
                pub fn body(mut self, value: types::Body) -> Self {
                    self.body = Ok(value);
                    self
                }
            }
        };
        assert_eq!(compact(&file), compact(&expected));
    }

    #[test]
    fn a_send_of_another_shape_is_named_and_left_as_it_is() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> Odd<'a> {
                pub async fn send(self) -> Result<(), Error<()>> {
                    let Self { client } = self;
                    let mut request = client.client.get("x").build()?;
                    let info = OperationInfo { operation_id: "odd" };
                    let result = client.exec(request, &info).await;
                    Ok(())
                }
            }
        };
        let before = compact(&file);
        let scoped = scope_request_building(&mut file);
        assert_eq!(scoped.rewritten, 0);
        assert_eq!(scoped.unmatched, vec!["Odd".to_string()]);
        assert_eq!(compact(&file), before);
    }
}
