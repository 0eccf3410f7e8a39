//! Database Security Service (DBSS) v1, from `specs/huaweicloud/dbss.yaml`.

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/dbss.rs"]
mod generated;

pub use generated::*;

dbplane_core::wire_client!(Client, SERVERS, PARAMETER_RULES);

/// DBSS reports `result: failed` inside a 200.
impl dbplane_core::Outcome for types::StopDbOmInstanceResponse {
    fn failure(&self, status: u16, request_id: Option<&str>) -> Option<dbplane_core::ApiError> {
        (self.result.as_deref() == Some("failed")).then(|| {
            let body = serde_json::to_vec(self).unwrap_or_default();
            let mut error =
                dbplane_core::ApiError::decode(status, request_id.map(str::to_string), &body);
            error.message = Some("DBSS reported `result: failed`".into());
            error
        })
    }
}
