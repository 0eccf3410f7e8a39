//! `cargo xtask import PAGE…`: a first reader of the OTC/Huawei reStructuredText reference
//! that turns a page into an OpenAPI operation (printed as YAML to stdout): method and path,
//! path and query parameters (type, mandatory), the request body and normal response from
//! their parameter tables (nested tables followed through their `:ref:` anchors), the normal
//! statuses, the documented sample request and response. What a page does not say clearly is
//! listed on stderr per page, never guessed silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use heck::ToUpperCamelCase;
use serde_json::{json, Map, Value};

pub mod error_codes;
pub mod lists;
pub mod markdown;
pub mod operation;
pub mod overlay;
pub mod page;
pub mod read;
pub mod report;
pub mod rst;
pub mod schema;
pub mod sdk_names;
pub mod yaml11;

use operation::{import_page, PageImport};
use page::AnchoredTable;
use rst::tables::tables_with_anchors;
use sdk_names::{Naming, SdkNames};

use crate::spec::OVERLAY_SUFFIX;

/// A page's `x-dbplane-source`: its path under the docs root, with `/` separators.
fn source_of(page: &Path, docs_root: &Path) -> String {
    page.strip_prefix(docs_root)
        .unwrap_or(page)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `cargo xtask import PAGE…`: prints the operations as YAML, the notes on stderr.
pub fn run_pages(pages: &[PathBuf], docs_root: &Path) -> bool {
    let mut operations = Vec::new();
    let mut ok = true;
    for page in pages {
        let text = match read_page_file(page) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
                continue;
            }
        };
        let source = source_of(page, docs_root);
        let imported = import_page(&text, &source, &[]);
        if imported.method.is_empty() || imported.path.is_empty() {
            eprintln!(
                "error: {source}: no `METHOD https://{{Endpoint}}/…` line: not an operation page"
            );
            ok = false;
            continue;
        }
        for note in &imported.notes {
            eprintln!("note: {source}: {note}");
        }
        operations.push((imported.method, imported.path, imported.op));
    }
    // Pages sharing a method and path are both kept (keyed `path#operationId`), as in a spec.
    let paths = match paths_of(operations) {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    match serde_norway::to_string(&json!({ "paths": paths })) {
        Ok(yaml) => print!("{yaml}"),
        Err(e) => {
            eprintln!("error: {e}");
            ok = false;
        }
    }
    ok
}

/// A spec written by the importer: `specs/<vendor>/<service>.yaml` from the pages its overlay
/// (`<service>.overlay.yaml`) names, with the overlay applied.
pub struct Target {
    /// The overlay, relative to the workspace.
    pub overlay: PathBuf,
    /// The spec it produces, relative to the workspace.
    pub spec: PathBuf,
}

/// Gives `op` the overlay's `job_wait` when its normal answer has the field the wait's
/// answer input points at (`job_id: /job_id`) and the operation has no wait of its own.
fn add_job_wait(op: &mut Value, wait: &Value, document: &Value) {
    if op.get("x-dbplane-wait").is_some() {
        return;
    }
    let Some(field) = wait["inputs"]
        .as_object()
        .into_iter()
        .flatten()
        .find_map(|(_, v)| v.as_str()?.strip_prefix('/'))
    else {
        return;
    };
    let has_job = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(_, r)| r.pointer("/content/application~1json/schema"))
        .any(|schema| {
            dbplane_spec::resolve(document, schema)["properties"]
                .get(field)
                .is_some_and(|f| dbplane_spec::resolve(document, f)["type"] == "string")
        });
    if has_job {
        op["x-dbplane-wait"] = wait.clone();
    }
}

/// Names an imported operation as the SDK does; the name from the page's title stays as an
/// alias (`x-dbplane-aliases`). Where the SDK cannot say, the title's name stays, noted.
fn name_as_the_sdk_does(page: &mut PageImport, sdk: &SdkNames) {
    let title_name = page.op["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let method = page.method.to_ascii_uppercase();
    match sdk.name_of(&page.method, &page.path, &sdk_names::body_fields(&page.op)) {
        Naming::Named(name) if name != title_name => {
            page.op["operationId"] = json!(name);
            page.op["x-dbplane-aliases"] = json!([title_name]);
        }
        Naming::Named(_) => {}
        Naming::Ambiguous(names) => page.notes.push(format!(
            "the SDK operations {} share {method} {} and the body does not tell them apart: named from the title",
            names.join(", "),
            page.path
        )),
        Naming::Unknown => page.notes.push(format!(
            "no SDK operation is {method} {}: named from the title",
            page.path
        )),
    }
}

/// Every overlay under `specs/`, sorted.
pub fn targets(root: &Path) -> Result<Vec<Target>, String> {
    let mut found = Vec::new();
    let specs = root.join("specs");
    let vendors = std::fs::read_dir(&specs).map_err(|e| format!("{}: {e}", specs.display()))?;
    for vendor in vendors.flatten() {
        let Ok(files) = std::fs::read_dir(vendor.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if let Some(service) = name.strip_suffix(OVERLAY_SUFFIX) {
                let dir = PathBuf::from("specs").join(vendor.file_name());
                found.push(Target {
                    overlay: dir.join(&name),
                    spec: dir.join(format!("{service}.yaml")),
                });
            }
        }
    }
    found.sort_by(|a, b| a.overlay.cmp(&b.overlay));
    Ok(found)
}

/// What an overlay asks of the importer (`x-dbplane-import`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportSettings {
    /// The reference, under the docs root (`otc/rds`).
    docs: String,
    /// Folders and pages under it to import.
    pages: Vec<String>,
    /// Responses every operation gets unless it has that status (the service's errors).
    #[serde(default)]
    responses: Map<String, Value>,
    /// Patches for every parameter of a name, before the operation's own patch.
    #[serde(default)]
    parameters: Map<String, Value>,
    /// Patches per operation, keyed by its page (`x-dbplane-source`).
    #[serde(default)]
    operations: Map<String, Value>,
    /// The official SDK's operation vectors, relative to the workspace root: each operation
    /// is named as the SDK names it (its name from the title becomes an alias).
    #[serde(default)]
    sdk: Option<PathBuf>,
    /// The wait every operation gets whose normal answer has the job field the inputs point
    /// at (`/job_id`), unless the overlay gives it its own `x-dbplane-wait`.
    #[serde(default)]
    job_wait: Option<Value>,
    /// The service's error-code appendix, under the reference (`appendix/error_codes.rst`):
    /// its codes become `x-dbplane-error-codes`.
    #[serde(default)]
    error_codes: Option<String>,
}

/// The spec an overlay produces from the pages under `docs_root`, as YAML, and the notes.
/// A spec built from its pages: its text, the notes, and the report of what each page gave.
pub struct Built {
    pub yaml: String,
    pub notes: Vec<String>,
    pub report: report::Report,
}

pub fn build(root: &Path, docs_root: &Path, target: &Target) -> Result<Built, String> {
    let overlay_text = std::fs::read_to_string(root.join(&target.overlay))
        .map_err(|e| format!("{}: {e}", target.overlay.display()))?;
    let mut document: Value = serde_norway::from_str(&overlay_text)
        .map_err(|e| format!("{}: {e}", target.overlay.display()))?;
    let settings = document
        .as_object_mut()
        .and_then(|d| d.remove("x-dbplane-import"))
        .ok_or_else(|| format!("{}: no `x-dbplane-import`", target.overlay.display()))?;
    let settings: ImportSettings = serde_json::from_value(settings)
        .map_err(|e| format!("{}: x-dbplane-import: {e}", target.overlay.display()))?;
    let reference = docs_root.join(&settings.docs);
    let mut pages = Vec::new();
    for entry in &settings.pages {
        collect_pages(&reference.join(entry), &mut pages)
            .map_err(|e| format!("{}: {e}", reference.join(entry).display()))?;
    }
    pages.sort();
    let sdk = settings
        .sdk
        .as_ref()
        .map(|path| SdkNames::load(&root.join(path)))
        .transpose()?;
    let texts = reference_pages(&reference)?;
    let elsewhere = anchored_tables_of(&texts);
    let mut notes = Vec::new();
    let mut imported = Vec::new();
    let mut report = report::Report {
        reference: settings.docs.trim_start_matches("docs/").to_string(),
        spec: target.spec.display().to_string().replace('\\', "/"),
        pages: Vec::new(),
    };
    for page in &pages {
        let text = match texts.get(page) {
            Some(text) => text.clone(),
            None => read_page_file(page)?,
        };
        let source = source_of(page, docs_root);
        let mut page_import = import_page(&text, &source, &elsewhere);
        if let Some(sdk) = &sdk {
            name_as_the_sdk_does(&mut page_import, sdk);
        }
        report.pages.push(
            report::page_read(
                &source,
                &page_import.method,
                &page_import.path,
                &page_import.op,
                &page_import.statuses,
            )
            .with_notes(&page_import.notes),
        );
        notes.extend(
            page_import
                .notes
                .drain(..)
                .map(|n| format!("{source}: {n}")),
        );
        imported.push(page_import);
    }
    for source in settings.operations.keys() {
        if !imported.iter().any(|p| &p.source == source) {
            return Err(format!(
                "{}: the overlay patches `{source}`, which is not an imported page",
                target.overlay.display()
            ));
        }
    }
    let mut operations = Vec::new();
    for mut page in imported {
        apply_defaults(&mut page.op, &settings);
        if let Some(patch) = settings.operations.get(&page.source) {
            overlay::apply(&mut page.op, patch).map_err(|e| {
                format!(
                    "{}: overlay of {}: {e}",
                    target.overlay.display(),
                    page.source
                )
            })?;
        }
        if page.op.get("x-dbplane-skip").is_some() {
            continue;
        }
        if let Some(wait) = &settings.job_wait {
            add_job_wait(&mut page.op, wait, &document);
        }
        lists::add_ranges(&mut page.op);
        if page.method == "get" {
            if let Err(why) = lists::add_pagination(&mut page.op, &document) {
                notes.push(format!("{}: {why}", page.source));
            }
        }
        let path = page
            .op
            .as_object_mut()
            .and_then(|o| o.remove("x-dbplane-path"))
            .and_then(|p| p.as_str().map(str::to_string))
            .unwrap_or(page.path);
        if page.method.is_empty() || path.is_empty() {
            return Err(format!(
                "{}: no method or path: give `x-dbplane-path` (and fix the page) or `x-dbplane-skip` in the overlay",
                page.source
            ));
        }
        operations.push((page.method, path, page.op));
    }
    if let Some(appendix) = &settings.error_codes {
        let path = reference.join(appendix);
        let text = read_page_file(&path)?;
        let (codes, code_notes) = error_codes::read(&read::page(&text))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        notes.push(format!("{appendix}: {} error codes", codes.len()));
        notes.extend(code_notes.into_iter().map(|n| format!("{appendix}: {n}")));
        document["x-dbplane-error-codes"] = Value::Array(codes);
    }
    let schemas = hoist_schemas(&mut document, &mut operations)?;
    document["paths"] = paths_of(operations)?;
    if !schemas.is_empty() {
        notes.push(format!("{} request/response schemas named", schemas.len()));
    }
    for problem in example_problems(&document) {
        notes.push(problem);
    }
    let yaml =
        yaml11::quote_for_yaml11(&serde_norway::to_string(&document).map_err(|e| e.to_string())?);
    let header = format!(
        "# @generated by `cargo xtask import` from the pages under {} and {}.\n# Do not edit by hand: edit the overlay (or the pages) and re-import.\n",
        settings.docs,
        target.overlay.display()
    );
    Ok(Built {
        yaml: format!("{header}{yaml}"),
        notes,
        report,
    })
}

/// The largest page read: the longest reference page is about 100 KiB.
const MAX_PAGE_BYTES: u64 = 4 << 20;

/// A page's text: UTF-8, at most [`MAX_PAGE_BYTES`], not empty; else an error naming it.
fn read_page_file(page: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", page.display()))?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(format!(
            "{}: larger than {} MiB; not a reference page",
            page.display(),
            MAX_PAGE_BYTES >> 20
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 text (byte {})",
            page.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.trim().is_empty() {
        return Err(format!("{}: the page is empty", page.display()));
    }
    Ok(text)
}

/// Every page of a reference, read once: the pages to import and the tables their fields
/// may point at, on other pages too.
fn reference_pages(reference: &Path) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut pages = Vec::new();
    collect_pages(reference, &mut pages).map_err(|e| format!("{}: {e}", reference.display()))?;
    pages
        .into_iter()
        .map(|page| {
            let text = read_page_file(&page)?;
            Ok((page, text))
        })
        .collect()
}

/// The anchored tables of every page, in page order.
fn anchored_tables_of(texts: &BTreeMap<PathBuf, String>) -> Vec<AnchoredTable> {
    texts
        .values()
        .flat_map(|text| {
            let lines: Vec<&str> = text.lines().collect();
            tables_with_anchors(&lines)
        })
        .filter(|t| t.anchor.is_some())
        .collect()
}

fn collect_pages(path: &Path, pages: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_file() {
        pages.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?.path();
        if entry.is_dir() {
            collect_pages(&entry, pages)?;
        } else if entry.extension().is_some_and(|e| e == "rst")
            && entry.file_name().is_some_and(|n| n != "index.rst")
        {
            pages.push(entry);
        }
    }
    Ok(())
}

/// The service's error responses and the per-name parameter patches.
fn apply_defaults(op: &mut Value, settings: &ImportSettings) {
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, response) in &settings.responses {
            responses
                .entry(status.clone())
                .or_insert_with(|| response.clone());
        }
    }
    if let Some(parameters) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for param in parameters {
            let name = param["name"].as_str().unwrap_or_default().to_string();
            if let Some(patch) = settings.parameters.get(&name) {
                overlay::merge(param, patch);
                // The sample's value, read as text, takes the type the patch gives.
                if let Some(Value::String(text)) = param.get("example").cloned() {
                    if let Ok(typed) = dbplane_spec::typed_value(&param["schema"], &text) {
                        param["example"] = typed;
                    }
                }
            }
        }
    }
}

/// Moves each inline request and normal-response schema to `components/schemas` as
/// `<OperationId>Request` / `<OperationId>Response` (stable type names for the generated
/// client); returns the names added.
fn hoist_schemas(
    document: &mut Value,
    operations: &mut [(String, String, Value)],
) -> Result<Vec<String>, String> {
    let mut added = Vec::new();
    for (_, _, op) in operations.iter_mut() {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_upper_camel_case();
        let mut places = vec![(
            "/requestBody/content/application~1json/schema".to_string(),
            format!("{id}Request"),
        )];
        if let Some(responses) = op["responses"].as_object() {
            let normal: Vec<String> = responses
                .keys()
                .filter(|s| s.starts_with('2'))
                .cloned()
                .collect();
            for status in normal {
                places.push((
                    format!("/responses/{status}/content/application~1json/schema"),
                    format!("{id}Response"),
                ));
            }
        }
        for (pointer, name) in places {
            let Some(schema) = op.pointer_mut(&pointer) else {
                continue;
            };
            if schema.get("$ref").is_some() {
                continue;
            }
            let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
            let schema = std::mem::replace(schema, reference);
            let components = &mut document["components"]["schemas"];
            match components.get(&name) {
                Some(existing) if *existing == schema => {}
                Some(_) => {
                    return Err(format!(
                        "two schemas would be named `{name}`: rename an operation in the overlay"
                    ))
                }
                None => {
                    components[&name] = schema;
                    added.push(name);
                }
            }
        }
    }
    Ok(added)
}

/// `{path: {method: op}}`; operations sharing a method and path (an action API told apart by
/// its body) are keyed `path#operationId` (the fragment never reaches the wire).
fn paths_of(operations: Vec<(String, String, Value)>) -> Result<Value, String> {
    let mut paths = Map::new();
    let shared = |method: &str, path: &str| {
        operations
            .iter()
            .filter(|(m, p, _)| m == method && p == path)
            .count()
            > 1
    };
    let mut keyed = Vec::new();
    for (method, path, op) in &operations {
        let key = if shared(method, path) {
            format!("{path}#{}", op["operationId"].as_str().unwrap_or_default())
        } else {
            path.clone()
        };
        keyed.push((method.clone(), key, op.clone()));
    }
    for (method, key, op) in keyed {
        let item = paths.entry(key.clone()).or_insert_with(|| json!({}));
        if let Some(first) = item.get(&method) {
            let page = |op: &Value| op["x-dbplane-source"].as_str().unwrap_or("?").to_string();
            return Err(format!(
                "two operations are {method} {key} with one operationId (pages {} and {}): name one apart in the overlay",
                page(first),
                page(&op)
            ));
        }
        item[method] = op;
    }
    Ok(Value::Object(paths))
}

/// Each example that does not fit its schema, by operation.
fn example_problems(document: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for operation in dbplane_spec::operations(document) {
        let id = operation.id().unwrap_or("?");
        let mut media = vec![(
            "request".to_string(),
            operation
                .op
                .pointer("/requestBody/content/application~1json"),
        )];
        if let Some(responses) = operation.op["responses"].as_object() {
            for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                media.push((
                    status.clone(),
                    response.pointer("/content/application~1json"),
                ));
            }
        }
        for (what, media) in media {
            let Some(media) = media else { continue };
            if let (Some(schema), Some(example)) = (media.get("schema"), media.get("example")) {
                if let Err(e) = dbplane_spec::validate(document, schema, example) {
                    problems.push(format!(
                        "{id}: the {what} sample does not fit its table: {e}"
                    ));
                }
            }
        }
    }
    problems
}

/// `cargo xtask import [--check]`: writes (or compares) every spec that has an overlay.
pub fn run_targets(root: &Path, docs_root: &Path, check: bool, verbose: bool) -> bool {
    let targets = match targets(root) {
        Ok(targets) => targets,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let mut ok = true;
    for target in &targets {
        let started = std::time::Instant::now();
        let Built {
            yaml,
            notes,
            report,
        } = match build(root, docs_root, target) {
            Ok(built) => built,
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
                continue;
            }
        };
        if verbose {
            for note in &notes {
                eprintln!("note: {note}");
            }
        }
        let path = root.join(&target.spec);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        let state = if current == yaml {
            "unchanged"
        } else if check {
            ok = false;
            for difference in drift(&current, &yaml) {
                eprintln!("  {}: {difference}", target.spec.display());
            }
            "differs from the import (run `cargo xtask import`)"
        } else {
            if let Err(e) = std::fs::write(&path, &yaml) {
                eprintln!("error: {}: {e}", path.display());
                ok = false;
                continue;
            }
            "written"
        };
        println!(
            "{}: {state} ({} notes{}, {:.2} s)",
            target.spec.display(),
            notes.len(),
            if verbose { "" } else { "; -v lists them" },
            started.elapsed().as_secs_f64()
        );
        println!("  {}", report.summary());
        match report.write(&root.join("target/import-report")) {
            Ok(path) => println!(
                "  report: {}",
                path.strip_prefix(root).unwrap_or(&path).display()
            ),
            Err(e) => eprintln!("warning: the import report could not be written: {e}"),
        }
    }
    ok
}

/// Where a committed spec and its import differ: each operation by its id and page, each
/// component by name, and any other top-level part, in the spec's order.
fn drift(committed: &str, imported: &str) -> Vec<String> {
    let parse = |text: &str| serde_norway::from_str::<Value>(text).unwrap_or(Value::Null);
    let (old, new) = (parse(committed), parse(imported));
    if old.is_null() {
        return vec!["the committed spec is not YAML".into()];
    }
    let mut out = Vec::new();
    let ops = |spec: &Value| -> std::collections::BTreeMap<String, Value> {
        dbplane_spec::operations(spec)
            .map(|op| {
                (
                    format!("{} {}", op.method.to_uppercase(), op.path),
                    op.op.clone(),
                )
            })
            .collect()
    };
    let (old_ops, new_ops) = (ops(&old), ops(&new));
    let name = |op: &Value| {
        let id = op["operationId"].as_str().unwrap_or("(no operationId)");
        match op["x-dbplane-source"].as_str() {
            Some(page) => format!("operation `{id}` (page {page})"),
            None => format!("operation `{id}`"),
        }
    };
    for (key, op) in &new_ops {
        match old_ops.get(key) {
            None => out.push(format!("{} {key}: new in the import", name(op))),
            Some(before) if before != op => {
                let fields: Vec<&str> = op
                    .as_object()
                    .into_iter()
                    .flatten()
                    .chain(before.as_object().into_iter().flatten())
                    .filter(|(k, _)| before.get(k.as_str()) != op.get(k.as_str()))
                    .map(|(k, _)| k.as_str())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                out.push(format!(
                    "{} {key}: differs in {}",
                    name(op),
                    fields.join(", ")
                ));
            }
            Some(_) => {}
        }
    }
    for (key, op) in &old_ops {
        if !new_ops.contains_key(key) {
            out.push(format!("{} {key}: no longer in the import", name(op)));
        }
    }
    let schemas = |spec: &Value| {
        spec.pointer("/components/schemas")
            .cloned()
            .unwrap_or_default()
    };
    let (old_schemas, new_schemas) = (schemas(&old), schemas(&new));
    let names: std::collections::BTreeSet<&String> = old_schemas
        .as_object()
        .into_iter()
        .flatten()
        .chain(new_schemas.as_object().into_iter().flatten())
        .map(|(k, _)| k)
        .collect();
    for schema in names {
        if old_schemas.get(schema) != new_schemas.get(schema) {
            out.push(format!("component `{schema}` differs"));
        }
    }
    for (key, value) in new.as_object().into_iter().flatten() {
        if !matches!(key.as_str(), "paths" | "components") && old.get(key) != Some(value) {
            out.push(format!("`{key}` differs"));
        }
    }
    if out.is_empty() {
        out.push("the text differs (comments, order or layout)".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drifted_spec_names_the_operation_and_page_that_changed() {
        let imported = "paths:\n  /v3/{project_id}/jobs:\n    get:\n      operationId: show_job_info\n      x-dbplane-source: docs/otc/rds/jobs.rst\n      summary: Querying a task\n  /v3/x:\n    post:\n      operationId: gone\ncomponents:\n  schemas:\n    Job: {type: object}\n";
        let committed = imported
            .replace("Querying a task", "Querying the task")
            .replace("Job: {type: object}", "Job: {type: string}");
        assert_eq!(
            drift(&committed, imported),
            vec![
                "operation `show_job_info` (page docs/otc/rds/jobs.rst) GET /v3/{project_id}/jobs: differs in summary".to_string(),
                "component `Job` differs".to_string(),
            ]
        );
        let committed = imported.replace("  /v3/x:\n    post:\n      operationId: gone\n", "");
        assert_eq!(
            drift(&committed, imported),
            vec!["operation `gone` POST /v3/x: new in the import".to_string()]
        );
        assert_eq!(
            drift(&format!("# comment\n{imported}"), imported),
            vec!["the text differs (comments, order or layout)".to_string()]
        );
    }
}
