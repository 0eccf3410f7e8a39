//! The imported specs against the vendor's official SDK for the same API (the oracle of
//! fidelity): vectors made by `tests/vectors/sdk/make_vectors.py` from
//! `huaweicloudsdkgaussdbfornosql` (GeminiDB), `huaweicloudsdkrds` (RDS) and `huaweicloudsdkgaussdbforopengauss`
//! (openGauss) give each SDK operation's name, method, path template, query and header
//! parameters, and the top-level fields (and types) of its request body and answer.
//!
//! Every spec operation is matched to the SDK's by method and path, and compared. The OTC page
//! wins where the two disagree, but no disagreement passes unlisted: each must be in
//! `tests/vectors/sdk/accepted.yaml` with its reason, and an accepted one that no longer
//! occurs fails too (the list stays true).

use std::collections::{BTreeMap, BTreeSet};

use contract_tests::workspace_root;
use serde_json::Value;

/// The SDK's type in the spec's words (`str` → `string`, `list[X]` → `array`, a model → `object`).
fn sdk_kind(sdk_type: &str) -> Option<&'static str> {
    Some(match sdk_type {
        "str" => "string",
        "int" => "integer",
        "bool" => "boolean",
        "float" => "number",
        "object" => return None, // any JSON value
        t if t.starts_with("list[") => "array",
        _ => "object",
    })
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    dbplane_spec::resolve(spec, schema)
}

fn properties<'a>(spec: &'a Value, schema: Option<&'a Value>) -> BTreeMap<String, &'a Value> {
    schema
        .map(|s| resolve(spec, s))
        .and_then(|s| s["properties"].as_object())
        .map(|p| p.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default()
}

fn names(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Every disagreement of `service`'s spec with its SDK vectors, one line each.
fn disagreements(service: &str) -> Vec<String> {
    let root = workspace_root();
    let vectors: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(format!("tests/vectors/sdk/{service}.json")))
            .expect("the vectors are committed"),
    )
    .expect("the vectors are JSON");
    let spec: Value = serde_norway::from_str(
        &std::fs::read_to_string(root.join(format!("specs/otc/{service}.yaml"))).unwrap(),
    )
    .unwrap();
    let sdk_ops: Vec<&Value> = vectors["operations"].as_array().unwrap().iter().collect();
    let mut out = Vec::new();
    for op in dbplane_spec::operations(&spec) {
        let id = op.id().unwrap_or_default().to_string();
        let method = op.method.to_ascii_uppercase();
        let candidates: Vec<&&Value> = sdk_ops
            .iter()
            .filter(|o| {
                o["method"] == method.as_str()
                    && dbplane_spec::path_shape(o["path"].as_str().unwrap())
                        == dbplane_spec::path_shape(op.path)
            })
            .collect();
        // Operations sharing a method and path are told apart by name.
        let sdk = candidates
            .iter()
            .find(|o| o["sdk_name"] == id.as_str())
            .or(candidates.first());
        let Some(sdk) = sdk else {
            out.push(format!(
                "{service} {id}: no SDK operation is {method} {}",
                op.path
            ));
            continue;
        };
        let mut say = |what: String| out.push(format!("{service} {id}: {what}"));
        if sdk["sdk_name"] != id.as_str() {
            say(format!(
                "named `{}` by the SDK",
                sdk["sdk_name"].as_str().unwrap_or_default()
            ));
        }
        let params = op.parameters(&spec);
        for (place, key) in [("query", "query_params"), ("header", "header_params")] {
            let ours: BTreeSet<String> = params
                .iter()
                .filter(|p| p["in"] == place)
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect();
            let theirs = names(&sdk[key]);
            for name in ours.difference(&theirs) {
                say(format!("{place} parameter `{name}` only in the spec"));
            }
            for name in theirs.difference(&ours) {
                say(format!("{place} parameter `{name}` only in the SDK"));
            }
        }
        let body = op
            .op
            .pointer("/requestBody/content/application~1json/schema");
        let sdk_body = sdk["body_fields"].as_object();
        match (body, sdk_body) {
            (Some(_), None) => say("a request body only in the spec".into()),
            (None, Some(_)) => say("a request body only in the SDK".into()),
            _ => {}
        }
        let success = op
            .success(&spec)
            .and_then(|(_, r)| r.pointer("/content/application~1json/schema"));
        let theirs_answer: BTreeMap<String, &Value> = sdk["response_fields"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !k.starts_with("X-") && k.as_str() != "body")
            .map(|(k, v)| (k.clone(), v))
            .collect();
        let theirs_body: BTreeMap<String, &Value> = sdk_body
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v))
            .collect();
        for (what, ours, theirs) in [
            ("request field", properties(&spec, body), theirs_body),
            ("response field", properties(&spec, success), theirs_answer),
        ] {
            for (name, schema) in &ours {
                match theirs.get(name) {
                    None => say(format!("{what} `{name}` only in the spec")),
                    Some(t) => {
                        let ours_kind = resolve(&spec, schema)["type"].as_str().unwrap_or("object");
                        if let Some(kind) = t.as_str().and_then(sdk_kind) {
                            if kind != ours_kind {
                                say(format!(
                                    "{what} `{name}`: the spec says {ours_kind}, the SDK {kind}"
                                ));
                            }
                        }
                    }
                }
            }
            for name in theirs.keys().filter(|n| !ours.contains_key(*n)) {
                say(format!("{what} `{name}` only in the SDK"));
            }
        }
    }
    out
}

#[test]
fn the_imported_specs_agree_with_the_official_sdks_or_say_why_not() {
    let accepted: BTreeMap<String, String> = serde_norway::from_str(
        &std::fs::read_to_string(workspace_root().join("tests/vectors/sdk/accepted.yaml"))
            .expect("the accepted list is committed"),
    )
    .expect("the accepted list is a map of disagreement to reason");
    let found: Vec<String> = ["geminidb", "opengauss", "rds"]
        .into_iter()
        .flat_map(disagreements)
        .collect();
    assert_the_list_is_true("tests/vectors/sdk/accepted.yaml", &found, &accepted);
    for reason in accepted.values() {
        assert!(
            reason.split_whitespace().count() >= 4,
            "a reason, not a placeholder: {reason:?}"
        );
    }
}

#[test]
fn every_operation_is_matched_and_named_as_the_sdk_names_it() {
    for service in ["geminidb", "opengauss", "rds"] {
        let unmatched: Vec<String> = disagreements(service)
            .into_iter()
            .filter(|d| d.contains("no SDK operation") || d.contains("named `"))
            .collect();
        // openGauss's SDK has no version-query operations; the names follow GeminiDB's SDK.
        let expected: Vec<String> = match service {
            "opengauss" => vec![
                "opengauss list_api_version: no SDK operation is GET /".into(),
                "opengauss show_api_version: no SDK operation is GET /{version}".into(),
            ],
            // The SDK has no operation with this body; the name follows its `…/action` siblings.
            "rds" => vec![
                "rds start_instance_change_volume_action: named `start_instance_enlarge_volume_action` by the SDK".into(),
            ],
            _ => vec![],
        };
        assert_eq!(unmatched, expected, "{service}");
    }
}

/// Every operation a spec shares with its official SDK, given the documented sample's
/// inputs, goes on the wire as the SDK sends it (the vectors of `make_wire_vectors.py`),
/// or the difference is accepted with the page's verdict. The generated contract tests
/// compare what the generated client sends (`Sample::check`); this test keeps the accepted
/// list true: no difference unlisted, none listed that no longer occurs.
#[test]
fn the_wire_requests_agree_with_the_official_sdks_or_say_why_not() {
    use contract_tests::sdk_wire;
    let mut found = Vec::new();
    let mut compared = 0;
    let mut identical = 0;
    for (service, spec) in [
        ("rds", "specs/otc/rds.yaml"),
        ("geminidb", "specs/otc/geminidb.yaml"),
        ("opengauss", "specs/otc/opengauss.yaml"),
        ("dws", "specs/huaweicloud/dws.yaml"),
        ("dbss", "specs/huaweicloud/dbss.yaml"),
    ] {
        let doc: Value =
            serde_norway::from_str(&std::fs::read_to_string(workspace_root().join(spec)).unwrap())
                .unwrap();
        for op in dbplane_spec::operations(&doc) {
            let id = op.id().unwrap_or_default();
            let Some(vector) = sdk_wire::vector(service, id) else {
                continue;
            };
            let sample = &op.op["x-dbplane-sample-request"];
            let query: Vec<(String, String)> = url::form_urlencoded::parse(
                sample["query"].as_str().unwrap_or_default().as_bytes(),
            )
            .into_owned()
            .collect();
            let differences = sdk_wire::differences(
                service,
                vector,
                &op.method.to_ascii_uppercase(),
                sample["path"].as_str().unwrap_or_default(),
                &query,
                sample.get("body"),
            );
            compared += 1;
            identical += usize::from(differences.is_empty());
            found.extend(differences);
        }
    }
    let accepted = sdk_wire::accepted();
    assert_the_list_is_true("tests/vectors/sdk/wire/accepted.yaml", &found, accepted);
    for reason in accepted.values() {
        assert!(
            reason.split_whitespace().count() >= 4,
            "a reason: {reason:?}"
        );
    }
    assert!(compared >= 170, "only {compared} operations compared");
    eprintln!("{compared} operations compared with the SDK on the wire, {identical} identical");
}

/// Every difference found is in the accepted list (`list`), and every accepted one was found.
fn assert_the_list_is_true(list: &str, found: &[String], accepted: &BTreeMap<String, String>) {
    let unexplained: Vec<&String> = found
        .iter()
        .filter(|d| !accepted.contains_key(*d))
        .collect();
    let stale: Vec<&String> = accepted.keys().filter(|a| !found.contains(a)).collect();
    let lines = |items: &[&String]| {
        items
            .iter()
            .map(|d| format!("  {d}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "differences from the SDK that {list} does not explain:\n{}\n\naccepted ones that no longer occur:\n{}",
        lines(&unexplained),
        lines(&stale),
    );
}
