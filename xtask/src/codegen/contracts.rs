//! Contract tests generated from the specs: one test per operation, which calls the typed
//! client with the documented sample's parameters and body, and checks that the request on
//! the wire is the documented one (method, path, query, body) and that the documented answer
//! decodes into the typed response and back unchanged. Written to `tests/tests/generated/contracts.rs`.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::codegen::names::setter_name;
use crate::codegen::output::format_generated;
use crate::spec::{LoadedSpec, Service};

/// Where the generated tests go.
pub const OUTPUT: &str = "tests/tests/generated/contracts.rs";

/// The generated test file for every operation of every spec.
pub fn render(specs: &[(Service, LoadedSpec)]) -> Result<String, String> {
    let mut tests = Vec::new();
    for (service, spec) in specs {
        // An operation whose page has no sample request or answer has nothing to check against.
        for operation in
            dbplane_spec::operations(&spec.json).filter(|o| o.documented_sample().is_some())
        {
            tests.push(test_of(service, spec, &operation)?);
        }
    }
    let tokens = quote! {
        //! Every operation of every spec against its documented sample.
        use contract_tests::sample::Sample;
        use dbplane_core::{CallExt as _, Credentials, ServiceClient as _};

        #(#tests)*
    };
    format_generated(tokens, "specs/ (every spec)")
}

fn test_of(
    service: &Service,
    spec: &LoadedSpec,
    operation: &dbplane_spec::SpecOperation<'_>,
) -> Result<TokenStream, String> {
    let id = operation
        .id()
        .ok_or_else(|| format!("{} {}: no operationId", operation.method, operation.path))?;
    let name = format_ident!(
        "{}_{}_{}",
        service.vendor.to_snake_case(),
        service.name,
        id.to_snake_case()
    );
    let spec_file = format!("{}/{}.yaml", service.vendor, service.name);
    let krate = format_ident!("dbplane_{}", service.vendor.to_snake_case());
    let module = format_ident!("{}", service.name);
    let method = format_ident!("{}", id.to_snake_case());
    let sample = &operation.op["x-dbplane-sample-request"];
    let query = operation.sample_query();
    let mut setters = Vec::new();
    for param in operation.parameters(&spec.json) {
        let pname = param["name"].as_str().unwrap_or_default();
        let schema = dbplane_spec::resolve(&spec.json, &param["schema"]);
        let value = match param["in"].as_str() {
            Some("path") => Some(match &param["example"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            Some("query") => query
                .iter()
                .find(|(k, _)| k == pname)
                .map(|(_, v)| v.clone()),
            _ => None,
        };
        let Some(value) = value else {
            continue;
        };
        let setter = setter_name(pname);
        let literal =
            literal(schema, &value).map_err(|e| format!("{id}: parameter `{pname}`: {e}"))?;
        setters.push(quote!(.#setter(#literal)));
    }
    if let Some(body) = sample.get("body") {
        let reference = operation
            .op
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{id}: the request body must be a `$ref` component"))?;
        let ty = crate::codegen::names::component_type(reference);
        let json = body.to_string();
        setters.push(quote! {
            .body(serde_json::from_str::<#krate::#module::types::#ty>(#json).expect("the sample body fits its type"))
        });
    }
    Ok(quote! {
        #[tokio::test]
        async fn #name() {
            let sample = Sample::load(#spec_file, #id);
            let server = sample.serve().await;
            let client = #krate::#module::Client::with_runtime(
                &server.uri(),
                contract_tests::single_attempt(Credentials::token(contract_tests::TOKEN)),
            )
            .unwrap();
            let answer = client.#method() #(#setters)* .send().outcome().await;
            sample.check(&server, answer).await;
        }
    })
}

/// A parameter's sample value as a Rust literal its setter accepts.
fn literal(schema: &Value, value: &str) -> Result<TokenStream, String> {
    match schema["type"].as_str() {
        Some("integer") => {
            let n: i64 = value
                .parse()
                .map_err(|_| format!("`{value}` is not an integer"))?;
            // typify makes `minimum: 1` a `NonZeroU*` as wide as the format says (u64 without
            // one), which takes the unsigned integer of that width.
            if schema["minimum"].as_f64() != Some(1.0) {
                return Ok(quote!(#n));
            }
            let unsigned = u64::try_from(n).map_err(|_| format!("{n} is not positive"))?;
            let too_wide = |bits: &str| format!("{n} does not fit {bits}");
            Ok(match schema["format"].as_str() {
                Some("int8" | "uint8") => {
                    let n = u8::try_from(unsigned).map_err(|_| too_wide("u8"))?;
                    quote!(#n)
                }
                Some("int16" | "uint16") => {
                    let n = u16::try_from(unsigned).map_err(|_| too_wide("u16"))?;
                    quote!(#n)
                }
                Some("int" | "int32" | "uint" | "uint32") => {
                    let n = u32::try_from(unsigned).map_err(|_| too_wide("u32"))?;
                    quote!(#n)
                }
                _ => quote!(#unsigned),
            })
        }
        Some("boolean") => {
            let b: bool = value
                .parse()
                .map_err(|_| format!("`{value}` is not a boolean"))?;
            Ok(quote!(#b))
        }
        _ => {
            let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            Ok(quote!(#decoded))
        }
    }
}
