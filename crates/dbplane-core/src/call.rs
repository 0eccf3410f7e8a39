//! From what a generated operation returns to [`crate::Error`]: `.send().outcome().await`.

use std::cell::RefCell;
use std::future::Future;

use progenitor_client::ResponseValue;
use serde::Serialize;

use crate::error::{ApiError, Error};

/// The response header carrying the request ID (Huawei Cloud, Open Telekom Cloud).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// What the runtime saw of the last response of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// `X-Request-Id`, when sent.
    pub request_id: Option<String>,
    /// Attempts made, the first included.
    pub attempts: u32,
}

impl ResponseMeta {
    pub(crate) fn of(response: &reqwest::Response, attempts: u32) -> Self {
        Self {
            status: response.status().as_u16(),
            request_id: request_id(response.headers()),
            attempts,
        }
    }
}

fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

tokio::task_local! {
    static LAST_RESPONSE: RefCell<Option<ResponseMeta>>;
}

/// Records the last response of the call in progress, when the caller asked for it.
pub(crate) fn remember(meta: ResponseMeta) {
    let _ = LAST_RESPONSE.try_with(|last| *last.borrow_mut() = Some(meta));
}

/// A success body that can still report failure (DBSS `result: failed`, OCP `successful: false`).
pub trait Outcome: Serialize {
    /// The failure this body reports, if any, as an [`ApiError`].
    fn failure(&self, _status: u16, _request_id: Option<&str>) -> Option<ApiError> {
        None
    }
}

/// Turns a generated operation's `send()` into a call that fails with [`crate::Error`].
pub trait CallExt<T, E>:
    Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Sized
{
    /// Awaits the call; errors keep status, vendor code and message, request ID and raw body,
    /// and a 200 reporting failure becomes an error.
    fn outcome(self) -> impl Future<Output = Result<ResponseValue<T>, Error>> + Send;
}

impl<F, T, E> CallExt<T, E> for F
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Send,
    T: Outcome + Send,
    E: Serialize + Send,
{
    fn outcome(self) -> impl Future<Output = Result<ResponseValue<T>, Error>> + Send {
        LAST_RESPONSE.scope(RefCell::new(None), async move {
            let result = self.await;
            let meta = LAST_RESPONSE.with(|last| last.borrow_mut().take());
            match result {
                Ok(value) => {
                    let request_id = request_id(value.headers());
                    match value.failure(value.status().as_u16(), request_id.as_deref()) {
                        Some(failure) => Err(failure.into()),
                        None => Ok(value),
                    }
                }
                Err(error) => Err(convert(error, meta).await),
            }
        })
    }
}

/// Maps progenitor's error, with what the runtime saw of the response, to [`Error`].
pub async fn convert<E: Serialize>(
    error: progenitor_client::Error<E>,
    meta: Option<ResponseMeta>,
) -> Error {
    use progenitor_client::Error as P;
    let seen_status = meta.as_ref().map(|m| m.status).unwrap_or_default();
    let seen_request_id = meta.and_then(|m| m.request_id);
    match error {
        P::InvalidRequest(message) => invalid_input(&message),
        P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
            Error::Transport(e)
        }
        P::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let request_id = request_id(value.headers());
            let body = serde_json::to_vec(&value.into_inner()).unwrap_or_default();
            ApiError::decode(status, request_id, &body).into()
        }
        P::InvalidResponsePayload(bytes, e) if (200..300).contains(&seen_status) => {
            Error::InvalidResponse {
                status: seen_status,
                request_id: seen_request_id,
                reason: e.to_string(),
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        }
        P::InvalidResponsePayload(bytes, _) => {
            ApiError::decode(seen_status, seen_request_id, &bytes).into()
        }
        P::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let request_id = request_id(response.headers());
            match response.bytes().await {
                Ok(body) if (200..300).contains(&status) => Error::InvalidResponse {
                    status,
                    request_id,
                    reason: "status not documented in the spec".into(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                },
                Ok(body) => ApiError::decode(status, request_id, &body).into(),
                Err(e) => Error::Transport(e),
            }
        }
        P::Custom(message) => Error::InvalidInput {
            parameter: "request".into(),
            rule: message,
        },
    }
}

/// A documented constraint of a path parameter, as `cargo xtask generate` emits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParameterRule {
    /// The generated type that checks it (`StopDbOmInstanceProjectId`).
    pub type_name: &'static str,
    /// The parameter, as the spec names it.
    pub parameter: &'static str,
    /// The rule, for a person (`32 to 64 characters`).
    pub rule: &'static str,
}

static RULES: std::sync::RwLock<Vec<&'static [ParameterRule]>> = std::sync::RwLock::new(Vec::new());

/// Makes a service's rules known to error messages (done when a client is built through
/// [`crate::ServiceClient`]).
pub fn register_rules(rules: &'static [ParameterRule]) {
    if let Ok(mut known) = RULES.write() {
        if !known.iter().any(|r| std::ptr::eq(*r, rules)) {
            known.push(rules);
        }
    }
}

fn rule_for(type_name: &str) -> Option<&'static str> {
    let known = RULES.read().ok()?;
    known
        .iter()
        .flat_map(|rules| rules.iter())
        .find(|r| r.type_name == type_name)
        .map(|r| r.rule)
}

/// progenitor says "conversion to `Type` for name failed" or "name was not initialized".
fn invalid_input(message: &str) -> Error {
    let parameter = message
        .split_once(" for ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .or_else(|| message.strip_suffix(" was not initialized"))
        .unwrap_or("request")
        .trim_end_matches(':')
        .to_string();
    let type_name = message.split('`').nth(1).unwrap_or_default();
    let rule = if message.ends_with("was not initialized") {
        "is required".to_string()
    } else if let Some(rule) = rule_for(type_name) {
        format!("must be {rule}")
    } else {
        message
            .split_once(" failed: ")
            .map(|(_, why)| why.to_string())
            .unwrap_or_else(|| "breaks the constraints documented for it".to_string())
    };
    Error::InvalidInput { parameter, rule }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_names_the_rule_when_known() {
        static RULES: [ParameterRule; 1] = [ParameterRule {
            type_name: "TestOpThingId",
            parameter: "thing_id",
            rule: "32 to 64 characters",
        }];
        register_rules(&RULES);
        let e = invalid_input("conversion to `TestOpThingId` for thing_id failed");
        assert_eq!(
            e.to_string(),
            "invalid `thing_id`: must be 32 to 64 characters (nothing was sent)"
        );
    }

    #[test]
    fn invalid_input_names_the_parameter() {
        let e = invalid_input("conversion to `StopDbOmInstanceProjectId` for project_id failed");
        assert_eq!(
            e.to_string(),
            "invalid `project_id`: breaks the constraints documented for it (nothing was sent)"
        );
        let e = invalid_input("instance_id was not initialized");
        assert_eq!(
            e.to_string(),
            "invalid `instance_id`: is required (nothing was sent)"
        );
    }
}
