//! OCP API v2 backup operations, from `specs/oceanbase/ocp.yaml`.

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/ocp.rs"]
mod generated;

pub use generated::*;

use dbplane_core::ApiError;

dbplane_core::wire_client!(Client, SERVERS, PARAMETER_RULES);

/// OCP reports failure inside a 200 two ways: `successful: false` for the whole call, and
/// `beSuccessful: false` for some of the objects (a partial failure).
impl dbplane_core::Outcome for types::BackupCommonResult {
    fn failure(&self, status: u16, request_id: Option<&str>) -> Option<ApiError> {
        let failed: Vec<&types::BackupObjectOpsResult> = self
            .data
            .as_ref()
            .map(|data| {
                data.backup_object_ops_result_list
                    .iter()
                    .filter(|r| r.be_successful == Some(false))
                    .collect()
            })
            .unwrap_or_default();
        if self.successful != Some(false) && failed.is_empty() {
            return None;
        }
        let body = serde_json::to_vec(self).unwrap_or_default();
        let mut error = ApiError::decode(status, request_id.map(str::to_string), &body);
        // `traceId` is what OCP support asks for.
        let trace_id = self.trace_id.clone().filter(|id| !id.is_empty());
        error.request_id = trace_id.or(error.request_id);
        if let Some(first) = failed.first() {
            if !first.error_code.is_empty() {
                error.code = error.code.or_else(|| {
                    Some(serde_json::Value::Object(first.error_code.clone()).to_string())
                });
            }
            error.message = error
                .message
                .or_else(|| first.hint.clone())
                .or_else(|| Some("some backup objects failed".into()));
        }
        error.failed_objects = failed
            .iter()
            .filter_map(|r| serde_json::to_value(r).ok())
            .collect();
        if error.message.is_none() {
            error.message = Some("OCP reported `successful: false`".into());
        }
        Some(error)
    }
}
