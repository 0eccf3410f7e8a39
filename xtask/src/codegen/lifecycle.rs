//! Waiters and pagination, generated from the specs' `x-dbplane-waiters` (info level) and
//! `x-dbplane-pagination` (per operation). progenitor knows neither; this module turns them
//! into `wait_until_*` methods on the client and `.stream()` on list builders, calling the
//! runtime's loops (`dbplane_core::waiter`, `dbplane_core::paginate`).

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use serde_json::Value;

use crate::codegen::names::component_type;
use crate::spec::{LoadedSpec, SpecError};

/// A waiter, as declared.
struct Waiter<'s> {
    name: &'s str,
    description: String,
    operation: dbplane_spec::SpecOperation<'s>,
    /// Poll parameters: name, and the waiter input feeding it (or a constant).
    request: Vec<(String, RequestValue)>,
    spec: &'s Value,
}

enum RequestValue {
    Input(String),
    Constant(String),
}

fn error(spec: &LoadedSpec, message: String) -> SpecError {
    spec.error(spec.line_of("x-dbplane-waiters:", 1), message)
}

fn find_operation<'s>(spec: &'s LoadedSpec, id: &str) -> Option<dbplane_spec::SpecOperation<'s>> {
    dbplane_spec::operations(&spec.json).find(|o| o.id() == Some(id))
}

fn waiters(spec: &LoadedSpec) -> Result<Vec<Waiter<'_>>, SpecError> {
    let Some(declared) = spec.json.pointer("/info/x-dbplane-waiters") else {
        return Ok(Vec::new());
    };
    let declared = declared.as_object().ok_or_else(|| {
        error(
            spec,
            "`x-dbplane-waiters` must map waiter names to waiters".into(),
        )
    })?;
    let mut out = Vec::new();
    for (name, waiter) in declared {
        let operation_id = waiter["operation"].as_str().unwrap_or_default();
        let operation = find_operation(spec, operation_id).ok_or_else(|| {
            error(
                spec,
                format!("waiter `{name}` polls `{operation_id}`, which the spec does not have"),
            )
        })?;
        // In the order of the poll's parameters (path first, as the spec lists them), so the
        // generated method's arguments read like the operation's.
        let order: Vec<String> = operation
            .parameters(&spec.json)
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect();
        let mut given: Vec<(&String, &Value)> = waiter["request"]
            .as_object()
            .into_iter()
            .flatten()
            .collect();
        given
            .sort_by_key(|(param, _)| order.iter().position(|o| o == *param).unwrap_or(usize::MAX));
        let request = given
            .into_iter()
            .map(|(param, value)| {
                let text = value.as_str().unwrap_or_default();
                let value = match text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    Some(input) => RequestValue::Input(input.to_string()),
                    None => RequestValue::Constant(text.to_string()),
                };
                (param.clone(), value)
            })
            .collect();
        out.push(Waiter {
            name,
            description: waiter["description"]
                .as_str()
                .unwrap_or("Waits until the resource reaches a success state.")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            operation,
            request,
            spec: waiter,
        });
    }
    Ok(out)
}

/// The operation waiter `name` polls.
pub fn waiter_operation(spec: &LoadedSpec, name: &str) -> Option<String> {
    spec.json
        .pointer(&format!("/info/x-dbplane-waiters/{name}/operation"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The arguments of waiter `name`'s generated method, in order.
pub fn waiter_inputs(spec: &LoadedSpec, name: &str) -> Vec<String> {
    let mut inputs = Vec::new();
    for waiter in waiters(spec)
        .unwrap_or_default()
        .into_iter()
        .filter(|w| w.name == name)
    {
        for (_, value) in waiter.request {
            if let RequestValue::Input(input) = value {
                if !inputs.contains(&input) {
                    inputs.push(input);
                }
            }
        }
    }
    inputs
}

/// The Rust type of a parameter of `operation`, for a waiter's argument.
fn parameter_is_integer(
    spec: &LoadedSpec,
    operation: &dbplane_spec::SpecOperation<'_>,
    name: &str,
) -> bool {
    operation
        .parameters(&spec.json)
        .iter()
        .find(|p| p["name"] == name)
        .is_some_and(|p| dbplane_spec::resolve(&spec.json, &p["schema"])["type"] == "integer")
}

/// The generated type of an operation's success answer: its component's name.
fn success_type(
    spec: &LoadedSpec,
    operation: &dbplane_spec::SpecOperation<'_>,
) -> Result<TokenStream, SpecError> {
    let id = operation.id().unwrap_or_default();
    let reference = operation
        .success(&spec.json)
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema/$ref"))
        .and_then(Value::as_str)
        .ok_or_else(|| error(spec, format!("`{id}` is polled or paginated, so its success answer must be a `$ref` to a component schema")))?;
    let name = component_type(reference);
    Ok(quote!(types::#name))
}

fn durations(waiter: &Value, key: &str, default: u64) -> TokenStream {
    let secs = waiter[key].as_u64().unwrap_or(default);
    quote!(::std::time::Duration::from_secs(#secs))
}

fn strings(waiter: &Value, key: &str) -> TokenStream {
    let values: Vec<String> = waiter[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    quote!(&[#(#values),*])
}

/// `WAITER_*` specs and the `wait_until_*` methods, as items after the client.
pub fn waiter_items(spec: &LoadedSpec) -> Result<TokenStream, SpecError> {
    let mut items = Vec::new();
    let mut methods = Vec::new();
    for waiter in waiters(spec)? {
        let w = waiter.spec;
        let name = waiter.name;
        let konst = format_ident!("WAITER_{}", name.to_shouty_snake_case());
        let state = w["state"].as_str().unwrap_or_default();
        let reason = match w["reason"].as_str() {
            Some(r) => quote!(Some(#r)),
            None => quote!(None),
        };
        let tolerate: Vec<u16> = w["tolerate"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_u64().and_then(|s| u16::try_from(s).ok()))
            .collect();
        let tolerate_for = match w["tolerate_for"].as_u64() {
            Some(secs) => quote!(Some(::std::time::Duration::from_secs(#secs))),
            None => quote!(None),
        };
        let (success, failure) = (strings(w, "success"), strings(w, "failure"));
        let (min_delay, max_delay, max_wait) = (
            durations(w, "min_delay", 5),
            durations(w, "max_delay", 30),
            durations(w, "max_wait", 1800),
        );
        let doc = format!("Waiter `{name}`: {}", waiter.description);
        items.push(quote! {
            #[doc = #doc]
            pub static #konst: dbplane_core::WaiterSpec = dbplane_core::WaiterSpec {
                name: #name,
                state: #state,
                reason: #reason,
                success: #success,
                failure: #failure,
                tolerate: &[#(#tolerate),*],
                tolerate_for: #tolerate_for,
                min_delay: #min_delay,
                max_delay: #max_delay,
                max_wait: #max_wait,
            };
        });
        let mut inputs: Vec<(String, bool)> = Vec::new();
        let mut setters = Vec::new();
        for (param, value) in &waiter.request {
            let setter = crate::codegen::names::setter_name(param);
            match value {
                RequestValue::Input(input) => {
                    if !inputs.iter().any(|(i, _)| i == input) {
                        inputs.push((
                            input.clone(),
                            parameter_is_integer(spec, &waiter.operation, param),
                        ));
                    }
                    let arg = format_ident!("{}", input.to_snake_case());
                    setters.push(quote!(.#setter(#arg)));
                }
                RequestValue::Constant(constant) => setters.push(quote!(.#setter(#constant))),
            }
        }
        let args = inputs.iter().map(|(input, integer)| {
            let arg = format_ident!("{}", input.to_snake_case());
            if *integer {
                quote!(#arg: i64)
            } else {
                quote!(#arg: &'a str)
            }
        });
        let poll = format_ident!(
            "{}",
            waiter.operation.id().unwrap_or_default().to_snake_case()
        );
        let answer = success_type(spec, &waiter.operation)?;
        let method = format_ident!("wait_until_{}", name.to_snake_case());
        let doc = format!(
            "{}\n\nPolls `{}` and reads `{state}`: the wait ends on {}, fails on {}; see [`{konst}`] for delays and tolerated errors. `.max_wait(..)` and `.on_progress(..)` adjust it before `.await`.",
            waiter.description,
            waiter.operation.id().unwrap_or_default(),
            w["success"],
            w["failure"],
        );
        methods.push(quote! {
            #[doc = #doc]
            pub fn #method<'a>(&'a self, #(#args),*) -> dbplane_core::Waiter<'a, #answer> {
                dbplane_core::Waiter::new(&#konst, move || {
                    dbplane_core::CallExt::outcome(self.#poll()#(#setters)*.send())
                })
            }
        });
    }
    if methods.is_empty() {
        return Ok(TokenStream::new());
    }
    Ok(quote! {
        #(#items)*
        impl Client {
            #(#methods)*
        }
    })
}

/// `.stream()` on the builder of each paginated operation, as items of the `builder` module.
/// The `stream()` of every paginated operation, for progenitor's generated `file` (whose
/// types give each list's item type).
pub fn pagination_items(spec: &LoadedSpec, file: &syn::File) -> Result<Vec<syn::Item>, SpecError> {
    let mut items = Vec::new();
    for operation in dbplane_spec::operations(&spec.json) {
        let Some(pagination) = operation.op.get("x-dbplane-pagination") else {
            continue;
        };
        let id = operation.id().unwrap_or_default();
        let style = pagination["style"].as_str().unwrap_or("offset");
        let (start_param, size_param, walk) = match style {
            "offset" => ("offset", "limit", quote!(by_offset)),
            "page" => ("page", "size", quote!(by_page)),
            other => {
                return Err(error(
                    spec,
                    format!("`{id}`: pagination style `{other}` is neither `offset` nor `page`"),
                ))
            }
        };
        let start_param = pagination["start_param"].as_str().unwrap_or(start_param);
        let size_param = pagination["size_param"].as_str().unwrap_or(size_param);
        let pointer = |key: &str| {
            let value = pagination[key].as_str().unwrap_or_default();
            if value.is_empty() || value.starts_with('/') {
                value.to_string()
            } else {
                format!("/{value}")
            }
        };
        let (items_at, total_at, pages_at) =
            (pointer("items"), pointer("total"), pointer("total_pages"));
        let item = item_type(spec, file, &operation, &items_at)?;
        let builder = format_ident!("{}", id.to_upper_camel_case());
        let (start, size) = (
            format_ident!("{}", start_param),
            format_ident!("{}", size_param),
        );
        let first = if style == "page" { 1u64 } else { 0u64 };
        // A required parameter's builder field holds the value itself, an optional one an
        // `Option`: both are read as an `Option`.
        let required = |name: &str| {
            operation
                .parameters(&spec.json)
                .iter()
                .any(|p| p["in"] == "query" && p["name"] == name && p["required"] == true)
        };
        let field = |ident: &proc_macro2::Ident, name: &str| {
            if required(name) {
                quote!(self.#ident.clone().map(Some))
            } else {
                quote!(self.#ident)
            }
        };
        let (start_field, size_field) = (field(&start, start_param), field(&size, size_param));
        // The size a walk asks for when the caller gives none: the spec's, else 100 (10 for
        // pages), never above what the size parameter allows.
        let size_maximum = operation
            .parameters(&spec.json)
            .iter()
            .find(|p| p["in"] == "query" && p["name"] == size_param)
            .and_then(|p| dbplane_spec::resolve(&spec.json, &p["schema"])["maximum"].as_u64());
        let default_size = pagination["default_size"]
            .as_u64()
            .unwrap_or(if style == "page" { 10 } else { 100 })
            .min(size_maximum.unwrap_or(u64::MAX));
        let doc = format!(
            "Every item of every page, as a stream: sends this request a page at a time (`{start_param}`/`{size_param}`), keeping its filters and page size, and ends after the last page or on the first error. The walk is bounded by the runtime's list limits (pages, items, and the call's deadline for all pages together); a repeated page, pages ending short of the answer's total, or a cap reached end it with `Error::List`."
        );
        let total = if total_at.is_empty() {
            quote!(None)
        } else {
            quote!(json.pointer(#total_at).and_then(::serde_json::Value::as_u64))
        };
        let total_pages = if pages_at.is_empty() {
            quote!(None)
        } else {
            quote!(json.pointer(#pages_at).and_then(::serde_json::Value::as_u64))
        };
        let tokens = quote! {
            impl<'a> #builder<'a> {
                #[doc = #doc]
                pub fn stream(self) -> impl dbplane_core::__private::Stream<Item = Result<#item, dbplane_core::Error>> + 'a {
                    // The caller's start and page size, whatever integer type the spec gave them;
                    // a value the request refuses is the stream's error, not a default.
                    let first = dbplane_core::paginate::start_field(#start_param, &#start_field, #first)
                        .and_then(|at| Ok((at, dbplane_core::paginate::start_field(#size_param, &#size_field, #default_size)?)));
                    let limits = self.client.inner.list_limits();
                    dbplane_core::paginate::#walk(first, limits, move |at, count| {
                        let request = self.clone();
                        async move {
                            // A start beyond the parameter's type ends the walk (whatever integer
                            // type the spec gave it: `i64`, `u32`, `NonZeroU64`…).
                            let request = request
                                .#start(dbplane_core::paginate::Position(at))
                                .#size(dbplane_core::paginate::Position(count));
                            if request.#start.is_err() {
                                return Err(dbplane_core::paginate::start_out_of_range(at));
                            }
                            let answer = dbplane_core::CallExt::outcome(request.send()).await?;
                            let json = ::serde_json::to_value(answer.into_inner()).unwrap_or_default();
                            let items = json
                                .pointer(#items_at)
                                .cloned()
                                .map(::serde_json::from_value::<Vec<#item>>)
                                .transpose()
                                .map_err(|e| dbplane_core::Error::InvalidResponse {
                                    status: 200,
                                    request_id: None,
                                    reason: format!("a page's items: {e}"),
                                    body: String::new(),
                                    body_len: 0,
                                })?
                                .unwrap_or_default();
                            Ok(dbplane_core::paginate::Page {
                                items,
                                total: #total,
                                total_pages: #total_pages,
                            })
                        }
                    })
                }
            }
        };
        let item: syn::Item =
            syn::parse2(tokens).map_err(|e| error(spec, format!("`{id}` pagination: {e}")))?;
        items.push(item);
    }
    Ok(items)
}

/// The generated type of a paginated answer's items: the element type of the `Vec` field at
/// `items_at` (`/instances` → `types::ListInstancesResponseInstancesItem`), as progenitor's
/// types declare it.
fn item_type(
    spec: &LoadedSpec,
    file: &syn::File,
    operation: &dbplane_spec::SpecOperation<'_>,
    items_at: &str,
) -> Result<TokenStream, SpecError> {
    let id = operation.id().unwrap_or_default();
    let fail = |why: &str| error(spec, format!("`{id}`: the items at `{items_at}` {why}"));
    let reference = operation
        .success(&spec.json)
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema/$ref"))
        .and_then(Value::as_str)
        .ok_or_else(|| fail("need a JSON success answer that is a `$ref` component"))?;
    let types = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, c)| c),
            _ => None,
        })
        .ok_or_else(|| fail("cannot be typed: no `types` module"))?;
    let mut ty: syn::Type = {
        let name = component_type(reference);
        syn::parse_quote!(#name)
    };
    for part in items_at.split('/').filter(|p| !p.is_empty()) {
        let base = unwrap_generic(&ty, "Option").unwrap_or(ty.clone());
        let name = last_segment(&base).ok_or_else(|| fail("cannot be typed"))?;
        ty = struct_field(types, &name, part)
            .ok_or_else(|| fail(&format!("cannot be typed: no field `{part}` in `{name}`")))?;
    }
    let element = unwrap_generic(&unwrap_generic(&ty, "Option").unwrap_or(ty.clone()), "Vec")
        .ok_or_else(|| fail("are not a list"))?;
    let name = last_segment(&element).ok_or_else(|| fail("are not a named type"))?;
    let name = format_ident!("{name}");
    Ok(quote!(types::#name))
}

/// The type of the field of struct `name` that (de)serialises as `json_name`.
fn struct_field(types: &[syn::Item], name: &str, json_name: &str) -> Option<syn::Type> {
    let fields = types.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name => Some(&s.fields),
        _ => None,
    })?;
    fields
        .iter()
        .find(|f| {
            let renamed = f.attrs.iter().any(|a| {
                a.path().is_ident("serde")
                    && a.to_token_stream()
                        .to_string()
                        .contains(&format!("rename = \"{json_name}\""))
            });
            renamed
                || f.ident
                    .as_ref()
                    .is_some_and(|i| i.to_string().trim_start_matches("r#") == json_name)
        })
        .map(|f| f.ty.clone())
}

/// `T` of a `…::Wrapper<T>` type.
fn unwrap_generic(ty: &syn::Type, wrapper: &str) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// The last path segment's name of a type (`types::Foo` → `Foo`).
fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
