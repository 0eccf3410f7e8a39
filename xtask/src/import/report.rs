//! What an import read and what it could not: per page, the operation, what was read (URI,
//! header and body parameters, statuses, typed answers, samples) and the notes by kind,
//! written as JSON (`target/import-report/<vendor>-<service>.json`), and one summary line per
//! reference.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

/// What one page gave its operation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageRead {
    /// The page, relative to the docs root.
    pub source: String,
    /// The operation's id, before the overlay renames it.
    pub operation: String,
    /// `PUT /v3/{project_id}/…`.
    pub method_and_path: String,
    /// Path and query parameters read.
    pub uri_parameters: usize,
    /// Header parameters read (the credentials' and the transport's headers aside).
    pub header_parameters: usize,
    /// Top-level fields of the request body read (`None`: no body).
    pub body_fields: Option<usize>,
    /// The normal statuses the page states (empty: none stated, 200 assumed).
    pub statuses: Vec<u16>,
    /// Whether the normal answer has a typed schema (a table), or is bodiless.
    pub response_typed: bool,
    /// Whether the page gives a sample request, and a sample answer.
    pub sample_request: bool,
    pub sample_response: bool,
    /// The page's notes, by kind.
    pub notes: BTreeMap<&'static str, Vec<String>>,
}

/// The kind of a note, from its words.
pub fn kind_of(note: &str) -> &'static str {
    if note.contains("SDK operation") {
        "name"
    } else if note.contains("not read") || note.contains("the first one is used") {
        "unread"
    } else if note.contains("no type given") || note.contains("does not map") {
        "type"
    } else if note.contains("status") {
        "status"
    } else if note.contains("cycle")
        || note.contains("not found")
        || note.contains("deeper than")
        || note.contains("fields: the rest")
    {
        "structure"
    } else if note.contains("sample") {
        "sample"
    } else if note.contains("verb") {
        "name"
    } else {
        "other"
    }
}

impl PageRead {
    /// Files `notes` by kind.
    pub fn with_notes(mut self, notes: &[String]) -> Self {
        for note in notes {
            self.notes
                .entry(kind_of(note))
                .or_default()
                .push(note.clone());
        }
        self
    }

    fn is_write(&self) -> bool {
        ["POST ", "PUT ", "PATCH "]
            .iter()
            .any(|m| self.method_and_path.starts_with(m))
    }
}

/// The import of one reference.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The reference, under the docs root (`otc/rds`).
    pub reference: String,
    /// The spec written.
    pub spec: String,
    /// Every page read.
    pub pages: Vec<PageRead>,
}

impl Report {
    /// `pages 110, operations 110, write operations with a body 50/52, statuses stated 110,
    /// typed answers 100, sample requests 105, sample answers 95, notes 294 (type 216, …)`.
    pub fn summary(&self) -> String {
        let count = |f: &dyn Fn(&PageRead) -> bool| self.pages.iter().filter(|p| f(p)).count();
        let writes = count(&|p| p.is_write());
        let bodies = count(&|p| p.is_write() && p.body_fields.is_some());
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for page in &self.pages {
            for (kind, notes) in &page.notes {
                *kinds.entry(kind).or_default() += notes.len();
            }
        }
        let total: usize = kinds.values().sum();
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!(
            "{}: {} pages, {} operations, request bodies read for {bodies} of {writes} write operations, statuses stated on {}, typed answers {}, sample requests {}, sample answers {}, notes {total} ({})",
            self.reference,
            self.pages.len(),
            count(&|p| !p.operation.is_empty()),
            count(&|p| !p.statuses.is_empty()),
            count(&|p| p.response_typed),
            count(&|p| p.sample_request),
            count(&|p| p.sample_response),
            kinds.join(", ")
        )
    }

    /// Writes the report as JSON under `dir`, named after the spec (`otc-rds.json`).
    pub fn write(&self, dir: &Path) -> Result<std::path::PathBuf, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = self
            .spec
            .trim_start_matches("specs/")
            .trim_end_matches(".yaml")
            .replace('/', "-");
        let path = dir.join(format!("{name}.json"));
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(&path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }
}

/// What `op` (an imported operation) holds, for its page's entry.
pub fn page_read(source: &str, method: &str, path: &str, op: &Value, stated: &[u16]) -> PageRead {
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let located = |place: &str| params.iter().filter(|p| p["in"] == place).count();
    let body = op.pointer("/requestBody/content/application~1json/schema");
    let body_fields = body.map(|schema| {
        schema["properties"]
            .as_object()
            .map(|p| p.len())
            .unwrap_or(0)
    });
    let statuses = stated.to_vec();
    let response_typed = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .any(|(_, r)| {
            r.get("content").is_none()
                || r.pointer("/content/application~1json/schema/properties")
                    .is_some()
        });
    let sample_response = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .any(|(status, r)| {
            status.starts_with('2') && r.pointer("/content/application~1json/example").is_some()
        });
    PageRead {
        source: source.to_string(),
        operation: op["operationId"].as_str().unwrap_or_default().to_string(),
        method_and_path: format!("{} {path}", method.to_ascii_uppercase()),
        uri_parameters: located("path") + located("query"),
        header_parameters: located("header"),
        body_fields,
        statuses,
        response_typed,
        sample_request: op.get("x-dbplane-sample-request").is_some(),
        sample_response,
        notes: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_what_the_pages_gave() {
        let op = serde_json::json!({
            "operationId": "rename_instance",
            "parameters": [{"name": "project_id", "in": "path"}, {"name": "X-Language", "in": "header"}],
            "requestBody": {"content": {"application/json": {"schema": {"properties": {"name": {}}}}}},
            "responses": {"204": {"description": "No content."}},
            "x-dbplane-sample-request": {"method": "PUT"}
        });
        let renamed = page_read("a.rst", "put", "/v3/{project_id}/name", &op, &[204])
            .with_notes(&["line 9: table `x` (a) is referenced by no field; not read".into()]);
        assert_eq!((renamed.uri_parameters, renamed.header_parameters), (1, 1));
        assert_eq!(renamed.body_fields, Some(1));
        assert!(renamed.response_typed && renamed.sample_request && !renamed.sample_response);
        let bodiless = page_read(
            "b.rst",
            "post",
            "/v3/x",
            &serde_json::json!({"operationId": "b", "responses": {}}),
            &[],
        );
        let report = Report {
            reference: "otc/x".into(),
            spec: "specs/otc/x.yaml".into(),
            pages: vec![
                renamed,
                bodiless.with_notes(&["no normal status code: 200 assumed".into()]),
            ],
        };
        assert_eq!(
            report.summary(),
            "otc/x: 2 pages, 2 operations, request bodies read for 1 of 2 write operations, statuses stated on 1, typed answers 1, sample requests 1, sample answers 0, notes 2 (status 1, unread 1)"
        );
    }
}
