//! `cargo xtask generate [--check]`: specs → progenitor → formatted, committed modules.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;

use crate::spec::{LoadedSpec, SpecError};

/// The state of one generated file after a run.
#[derive(Debug, PartialEq, Eq)]
pub enum FileState {
    Unchanged,
    Written,
    Stale { diff: String },
}

/// Generates the Rust source of one service's client from its spec.
pub fn render(spec: &LoadedSpec) -> Result<String, SpecError> {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The shared runtime rides inside every client; the vendor crate implements
        // `ClientHooks` with it (signing, retries, tracing), so a missing wiring is a
        // compile error rather than an unsigned request.
        .with_inner_type(quote!(dbplane_core::Runtime))
        .with_hooks(HooksMode::Expected);
    let mut generator = Generator::new(&settings);

    // progenitor panics on some specs it does not support; turn that into a located error.
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        generator.generate_tokens(&spec.openapi)
    }));
    panic::set_hook(previous_hook);

    let tokens = match outcome {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => {
            return Err(spec.error(None, format!("progenitor cannot generate a client: {e}")))
        }
        Err(payload) => {
            let reason = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown reason".into());
            return Err(spec.error(
                None,
                format!("progenitor gave up on this spec ({reason}); `cargo xtask lint` names the rule it breaks"),
            ));
        }
    };
    let source = spec.file.display().to_string().replace('\\', "/");
    let code = format_generated(tokens, &source)
        .map_err(|e| spec.error(None, format!("progenitor: {e}")))?;
    let rules = parameter_rules(spec, &code);
    let defaults = project_defaults(spec);
    let operations = format_items(operations_table(spec))
        .map_err(|e| spec.error(None, format!("operations table: {e}")))?;
    Ok(format!(
        "{code}\n{}\n{rules}{defaults}\n{operations}{}",
        servers(spec),
        embedded_spec(spec)
    ))
}

/// For each operation with a `project_id` path parameter, a `<operation>_in_project` method
/// that takes it from the credentials' project, as the vendors' SDKs do.
fn project_defaults(spec: &LoadedSpec) -> String {
    use heck::{ToSnakeCase, ToUpperCamelCase};
    let mut methods = String::new();
    for op in dbplane_spec::operations(&spec.json).map(|o| o.op) {
        let Some(id) = op["operationId"].as_str() else {
            continue;
        };
        let has_project = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "project_id" && p["in"] == "path");
        if !has_project {
            continue;
        }
        let (method, builder) = (id.to_snake_case(), id.to_upper_camel_case());
        methods.push_str(&format!(
                "    /// [`Client::{method}`] with `project_id` set from the credentials' project\n    \
                 /// (when they are scoped to one; `.project_id(..)` still overrides it).\n    \
                 pub fn {method}_in_project(&self) -> builder::{builder}<'_> {{\n        \
                 let builder = self.{method}();\n        \
                 match self.inner.project_id() {{\n            \
                 Some(project_id) => builder.project_id(project_id),\n            \
                 None => builder,\n        }}\n    }}\n"
            ));
    }
    if methods.is_empty() {
        return String::new();
    }
    format!("\nimpl Client {{\n{methods}}}\n")
}

/// `OPERATIONS`: each operation's id (as progenitor names it), method, path template and
/// whether the spec marks it safe to repeat (`x-dbplane-idempotent: true`), for the runtime.
fn operations_table(spec: &LoadedSpec) -> proc_macro2::TokenStream {
    use heck::ToSnakeCase;
    let entries = dbplane_spec::operations(&spec.json).filter_map(|o| {
        let id = o.op["operationId"].as_str()?.to_snake_case();
        let method = o.method.to_ascii_uppercase();
        let path = o.path;
        let idempotent = o.op["x-dbplane-idempotent"].as_bool().unwrap_or(false);
        Some(quote! {
            dbplane_core::Operation {
                id: #id,
                method: #method,
                path: #path,
                idempotent: #idempotent,
            },
        })
    });
    quote! {
        /// The spec's operations: path templates, and whether each is safe to repeat.
        pub const OPERATIONS: &[dbplane_core::Operation] = &[#(#entries)*];
    }
}

/// Formats generated items (no header).
fn format_items(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Each constrained path parameter's rule, keyed by the type progenitor checks it with.
fn parameter_rules(spec: &LoadedSpec, code: &str) -> String {
    use heck::ToUpperCamelCase;
    let mut out =
        String::from("/// The spec's path-parameter constraints, named in input errors.\n");
    out.push_str("pub const PARAMETER_RULES: &[dbplane_core::ParameterRule] = &[\n");
    for op in dbplane_spec::operations(&spec.json).map(|o| o.op) {
        let Some(id) = op["operationId"].as_str() else {
            continue;
        };
        for param in op["parameters"].as_array().into_iter().flatten() {
            let name = param["name"].as_str().unwrap_or_default();
            let type_name = format!("{}{}", id.to_upper_camel_case(), name.to_upper_camel_case());
            let Some(rule) = describe_rule(&param["schema"]) else {
                continue;
            };
            // Only parameters progenitor gives a checking type of their own.
            if !code.contains(&format!("pub struct {type_name}(")) {
                continue;
            }
            out.push_str(&format!(
                    "    dbplane_core::ParameterRule {{\n        type_name: {type_name:?},\n        parameter: {name:?},\n        rule: {rule:?},\n    }},\n"
                ));
        }
    }
    out.push_str("];\n");
    out
}

/// A schema's constraints in words: `32 to 64 characters`, `matching ^[a-z]+$`.
fn describe_rule(schema: &serde_json::Value) -> Option<String> {
    let (min, max) = (schema["minLength"].as_u64(), schema["maxLength"].as_u64());
    let mut parts = Vec::new();
    match (min, max) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} characters")),
        (Some(min), None) => parts.push(format!("at least {min} characters")),
        (None, Some(max)) => parts.push(format!("at most {max} characters")),
        (None, None) => {}
    }
    match schema["pattern"].as_str() {
        Some(crate::lint::PATH_PARAMETER_PATTERN) => {
            parts.push("not `.` or `..`, without `/` or `\\`".to_string())
        }
        Some(pattern) => parts.push(format!("matching `{pattern}`")),
        None => {}
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The spec itself, as JSON, for the spec-driven mock server (`mock` feature).
fn embedded_spec(spec: &LoadedSpec) -> String {
    let json = serde_json::to_string_pretty(&spec.json).unwrap_or_default();
    format!("\n/// The spec this module was generated from, as JSON (served by the `mock` feature).\npub const SPEC_JSON: &str = r####\"{json}\"####;\n")
}

/// The spec's `servers` as `dbplane_core::ServerTemplate`s, for region-based constructors.
fn servers(spec: &LoadedSpec) -> String {
    let mut out = String::from(
        "/// The spec's `servers`: URL templates and the regions each is limited to.\n",
    );
    out.push_str("pub const SERVERS: &[dbplane_core::ServerTemplate] = &[\n");
    for server in &spec.openapi.servers {
        let regions = server
            .variables
            .as_ref()
            .and_then(|vars| vars.get("region"))
            .map(|region| {
                region
                    .enumeration
                    .iter()
                    .map(|r| format!("{r:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "    dbplane_core::ServerTemplate {{\n        url: {:?},\n        regions: &[{regions}],\n    }},\n",
            server.url
        ));
    }
    out.push_str("];\n");
    out
}

/// Writes `fresh` to `root/path` when it differs; with `check`, only reports the difference.
pub fn sync_file(
    root: &Path,
    path: &Path,
    fresh: &str,
    check: bool,
) -> Result<FileState, SpecError> {
    let target = root.join(path);
    let current = std::fs::read_to_string(&target).unwrap_or_default();
    if current == fresh {
        return Ok(FileState::Unchanged);
    }
    if check {
        return Ok(FileState::Stale {
            diff: short_diff(&current, fresh, path),
        });
    }
    let write_error = |e: std::io::Error| SpecError {
        file: path.to_path_buf(),
        line: None,
        message: format!("cannot write: {e}"),
    };
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    std::fs::write(&target, fresh).map_err(write_error)?;
    Ok(FileState::Written)
}

/// Parses generated tokens and prints them with the `@generated` header.
pub fn format_generated(tokens: proc_macro2::TokenStream, source: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!(
        "// @generated by `cargo xtask generate` from {source}.\n// Do not edit by hand: edit the spec and regenerate.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

/// A unified diff of committed → regenerated, cut to a readable length.
fn short_diff(old: &str, new: &str, path: &Path) -> String {
    const MAX_LINES: usize = 60;
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (from spec)"),
        )
        .to_string();
    let total = diff.lines().count();
    let mut shown: String = diff
        .lines()
        .take(MAX_LINES)
        .map(|l| format!("{l}\n"))
        .collect();
    if total > MAX_LINES {
        shown.push_str(&format!("... ({} more diff lines)\n", total - MAX_LINES));
    }
    shown
}
