//! The curation a re-import applies again: a spec's hand-written overlay
//! (`specs/<vendor>/<service>.overlay.yaml`) merged over what `cargo xtask import` read from
//! the vendor's pages.
//!
//! Merge rules, applied by [`merge`]:
//! - objects merge key by key, recursively; an overlay value of `null` deletes the key;
//! - an overlay object holding `$ref` replaces the target (a reference is never mixed with the
//!   imported schema it stands for);
//! - a `parameters` list merges by parameter `name`: entries of the same name merge, others
//!   are appended;
//! - a sample (`example`, `x-dbplane-sample-request`) replaces the imported one whole;
//! - any other value (scalars, other lists) replaces the imported one.
//!
//! A change inside a sample or a list, which a merge cannot express, is an RFC 6902 JSON
//! Patch under `x-dbplane-patch` (applied by [`apply`] after the merge), e.g.
//! `[{op: replace, path: /requestBody/content/application~1json/example/port, value: "8635"}]`.

use serde_json::{Map, Value};

/// Applies an operation's overlay: the merge, then its `x-dbplane-patch` (RFC 6902).
pub fn apply(target: &mut Value, overlay: &Value) -> Result<(), String> {
    let mut overlay = overlay.clone();
    let edits = overlay
        .as_object_mut()
        .and_then(|o| o.remove("x-dbplane-patch"));
    merge(target, &overlay);
    if let Some(edits) = edits {
        let edits: json_patch::Patch =
            serde_json::from_value(edits).map_err(|e| format!("x-dbplane-patch: {e}"))?;
        json_patch::patch(target, &edits).map_err(|e| format!("x-dbplane-patch: {e}"))?;
    }
    Ok(())
}

/// Merges `patch` into `target` by the rules above.
pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (target, Value::Object(p)) if p.contains_key("$ref") => *target = patch.clone(),
        (Value::Object(t), Value::Object(p)) => merge_objects(t, p),
        (target, patch) => *target = patch.clone(),
    }
}

fn merge_objects(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match (key.as_str(), value) {
            (_, Value::Null) => {
                target.remove(key);
            }
            ("example" | "x-dbplane-sample-request", _) => {
                target.insert(key.clone(), value.clone());
            }
            ("parameters", Value::Array(entries)) => {
                let list = target
                    .entry(key.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                merge_parameters(list, entries);
            }
            _ => match target.get_mut(key) {
                Some(existing) => merge(existing, value),
                None => {
                    target.insert(key.clone(), value.clone());
                }
            },
        }
    }
}

/// Parameters merge by `name`; a patch entry without a match is appended.
fn merge_parameters(list: &mut Value, entries: &[Value]) {
    let Value::Array(list) = list else {
        *list = Value::Array(entries.to_vec());
        return;
    };
    for entry in entries {
        let name = entry.get("name");
        match list
            .iter_mut()
            .find(|p| name.is_some() && p.get("name") == name)
        {
            Some(existing) => merge(existing, entry),
            None => list.push(entry.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_merge_and_null_deletes() {
        let mut target = json!({"a": {"b": 1, "c": 2}, "d": 3});
        merge(&mut target, &json!({"a": {"c": 5, "e": 6}, "d": null}));
        assert_eq!(target, json!({"a": {"b": 1, "c": 5, "e": 6}}));
    }

    #[test]
    fn a_reference_replaces_the_imported_schema() {
        let mut target = json!({"schema": {"type": "object", "properties": {"x": {}}}});
        merge(
            &mut target,
            &json!({"schema": {"$ref": "#/components/schemas/X"}}),
        );
        assert_eq!(
            target,
            json!({"schema": {"$ref": "#/components/schemas/X"}})
        );
    }

    #[test]
    fn parameters_merge_by_name_and_unmatched_ones_are_appended() {
        let mut target = json!({"parameters": [
            {"name": "offset", "in": "query", "schema": {"type": "string"}},
            {"name": "id", "in": "query", "schema": {"type": "string"}},
        ]});
        merge(
            &mut target,
            &json!({"parameters": [
                {"name": "offset", "schema": {"type": "integer"}},
                {"name": "X-Language", "in": "header", "schema": {"type": "string"}},
            ]}),
        );
        assert_eq!(
            target["parameters"],
            json!([
                {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                {"name": "id", "in": "query", "schema": {"type": "string"}},
                {"name": "X-Language", "in": "header", "schema": {"type": "string"}},
            ])
        );
    }

    #[test]
    fn a_sample_replaces_the_imported_one_whole() {
        let mut target = json!({"example": {"a": 1, "b": 2}});
        merge(&mut target, &json!({"example": {"a": 3}}));
        assert_eq!(target, json!({"example": {"a": 3}}));
    }

    #[test]
    fn a_json_patch_edits_inside_a_sample_after_the_merge() {
        let mut target = json!({"example": {"port": 8635, "name": "db"}, "summary": "s"});
        let overlay = json!({
            "summary": "t",
            "x-dbplane-patch": [{"op": "replace", "path": "/example/port", "value": "8635"}]
        });
        apply(&mut target, &overlay).unwrap();
        assert_eq!(
            target,
            json!({"example": {"port": "8635", "name": "db"}, "summary": "t"})
        );
        let wrong =
            json!({"x-dbplane-patch": [{"op": "replace", "path": "/nowhere/x", "value": 1}]});
        assert!(apply(&mut target, &wrong)
            .unwrap_err()
            .contains("x-dbplane-patch"));
    }

    #[test]
    fn other_lists_and_scalars_replace() {
        let mut target = json!({"enum": [1, 2], "type": "string"});
        merge(&mut target, &json!({"enum": [3], "type": "integer"}));
        assert_eq!(target, json!({"enum": [3], "type": "integer"}));
    }
}
