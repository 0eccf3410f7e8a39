//! Operation names as the vendor's official SDK gives them: the vectors
//! `tests/vectors/sdk/make_vectors.py` makes from the SDK packages on PyPI (each operation's
//! name, method, path template and request-body fields). An imported operation takes the name
//! of the SDK operation with its method and path; where several share them (the `…/action`
//! endpoints), the one whose body has the operation's top-level fields.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// The SDK's operations, as the importer names by them.
pub struct SdkNames {
    operations: Vec<SdkOperation>,
}

struct SdkOperation {
    name: String,
    method: String,
    /// The path template with its placeholders unnamed (`/v3/{}/instances`).
    shape: String,
    body_fields: BTreeSet<String>,
}

/// What the SDK says an operation is called.
#[derive(Debug, PartialEq)]
pub enum Naming {
    /// The one SDK operation with this method, path (and body).
    Named(String),
    /// Several SDK operations fit, and the body does not tell them apart.
    Ambiguous(Vec<String>),
    /// No SDK operation has this method and path.
    Unknown,
}

impl SdkNames {
    /// Reads a vectors file (`{"operations": [{"sdk_name", "method", "path", "body_fields"}…]}`).
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let vectors: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let operations = vectors["operations"]
            .as_array()
            .ok_or_else(|| format!("{}: no `operations` list", path.display()))?
            .iter()
            .map(|o| {
                let text = |key: &str| {
                    o[key]
                        .as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("{}: an operation without `{key}`", path.display()))
                };
                Ok(SdkOperation {
                    name: text("sdk_name")?,
                    method: text("method")?.to_ascii_uppercase(),
                    shape: dbplane_spec::path_shape(&text("path")?),
                    body_fields: o["body_fields"]
                        .as_object()
                        .map(|f| f.keys().cloned().collect())
                        .unwrap_or_default(),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { operations })
    }

    /// The SDK's name for `method path` whose request body (if any) has `body_fields` at its
    /// top level.
    pub fn name_of(&self, method: &str, path: &str, body_fields: &BTreeSet<String>) -> Naming {
        let shape = dbplane_spec::path_shape(path);
        let fits: Vec<&SdkOperation> = self
            .operations
            .iter()
            .filter(|o| o.method.eq_ignore_ascii_case(method) && o.shape == shape)
            .collect();
        let fits = match fits.as_slice() {
            [] => return Naming::Unknown,
            [one] => return Naming::Named(one.name.clone()),
            _ if body_fields.is_empty() => fits,
            _ => {
                let by_body: Vec<&SdkOperation> = fits
                    .iter()
                    .copied()
                    .filter(|o| body_fields.is_subset(&o.body_fields))
                    .collect();
                match by_body.as_slice() {
                    [one] => return Naming::Named(one.name.clone()),
                    [] => fits,
                    _ => by_body,
                }
            }
        };
        Naming::Ambiguous(fits.iter().map(|o| o.name.clone()).collect())
    }
}

/// The top-level fields of an imported operation's JSON request body.
pub fn body_fields(op: &Value) -> BTreeSet<String> {
    op.pointer("/requestBody/content/application~1json/schema/properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> SdkNames {
        let op = |name: &str, method: &str, path: &str, body: &[&str]| SdkOperation {
            name: name.into(),
            method: method.into(),
            shape: dbplane_spec::path_shape(path),
            body_fields: body.iter().map(|s| s.to_string()).collect(),
        };
        SdkNames {
            operations: vec![
                op("list_instances", "GET", "/v3/{project_id}/instances", &[]),
                op(
                    "start_instance_restart_action",
                    "POST",
                    "/v3/{project_id}/instances/{instance_id}/action",
                    &["restart"],
                ),
                op(
                    "start_resize_flavor_action",
                    "POST",
                    "/v3/{project_id}/instances/{instance_id}/action",
                    &["resize_flavor"],
                ),
                op(
                    "batch_tag_add_action",
                    "POST",
                    "/v3/{project_id}/instances/{instance_id}/tags/action",
                    &["action", "tags"],
                ),
                op(
                    "batch_tag_del_action",
                    "POST",
                    "/v3/{project_id}/instances/{instance_id}/tags/action",
                    &["action", "tags"],
                ),
            ],
        }
    }

    fn fields(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_operation_takes_the_name_of_the_sdk_operation_with_its_method_path_and_body() {
        let sdk = names();
        assert_eq!(
            sdk.name_of("get", "/v3/{pid}/instances", &fields(&[])),
            Naming::Named("list_instances".into())
        );
        assert_eq!(
            sdk.name_of(
                "post",
                "/v3/{project_id}/instances/{instance_id}/action#resize",
                &fields(&["resize_flavor"])
            ),
            Naming::Named("start_resize_flavor_action".into())
        );
        assert_eq!(
            sdk.name_of(
                "post",
                "/v3/{p}/instances/{i}/tags/action",
                &fields(&["action", "tags"])
            ),
            Naming::Ambiguous(vec![
                "batch_tag_add_action".into(),
                "batch_tag_del_action".into()
            ])
        );
        assert_eq!(
            sdk.name_of(
                "post",
                "/v3/{p}/instances/{i}/action",
                &fields(&["change_volume"])
            ),
            Naming::Ambiguous(vec![
                "start_instance_restart_action".into(),
                "start_resize_flavor_action".into()
            ])
        );
        assert_eq!(
            sdk.name_of("delete", "/v3/{p}/instances", &fields(&[])),
            Naming::Unknown
        );
    }
}
