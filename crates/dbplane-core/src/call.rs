//! From what a generated operation returns to [`crate::Error`]: `.send().outcome().await`.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use serde::Serialize;

use crate::error::{body_prefix, printable, ApiError, Error, TransportError, TransportKind};
use crate::operation::{Operation, PATH_PARAMETER_RULE};

/// The response header carrying the request ID (Huawei Cloud, Open Telekom Cloud).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// [`REQUEST_ID_HEADER`] as a header name, for lookups that need not parse it.
pub(crate) const REQUEST_ID: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static(REQUEST_ID_HEADER);

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

pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Why the runtime ended a call that progenitor's code would otherwise take for an answer.
#[derive(Clone, Debug)]
pub(crate) enum CallFailure {
    /// A path parameter would reshape the request path; nothing was sent.
    InvalidPath { parameter: String },
    /// A query or header parameter breaks its documented bounds; nothing was sent.
    OutOfBounds { parameter: String, rule: String },
    /// The call ended without a whole answer: deadline, body too large.
    Transport {
        kind: TransportKind,
        status: Option<u16>,
    },
    /// A success status whose body reports failure.
    Api(Box<ApiError>),
}

impl CallFailure {
    fn into_error(self, record: &CallRecord) -> Error {
        match self {
            Self::InvalidPath { parameter } => Error::InvalidInput {
                parameter,
                rule: PATH_PARAMETER_RULE.into(),
            },
            Self::OutOfBounds { parameter, rule } => Error::InvalidInput { parameter, rule },
            Self::Transport { kind, status } => TransportError {
                kind,
                attempts: record.attempts.max(1),
                may_have_been_applied: record.may_have_been_applied,
                status,
                source: None,
            }
            .into(),
            Self::Api(mut error) => {
                error.attempts = record.attempts.max(1);
                Error::Api(error)
            }
        }
    }
}

impl fmt::Display for CallFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPath { parameter } => {
                write!(
                    f,
                    "invalid `{parameter}`: {PATH_PARAMETER_RULE} (nothing was sent)"
                )
            }
            Self::OutOfBounds { parameter, rule } => {
                write!(f, "invalid `{parameter}`: {rule} (nothing was sent)")
            }
            Self::Transport { kind, .. } => write!(f, "transport error: {kind}"),
            Self::Api(error) => write!(f, "{error}"),
        }
    }
}

/// Marks a response the runtime has turned into a failure, for the `post` hook. A server
/// cannot forge it: it lives in the response's extensions, not its headers.
#[derive(Clone, Debug)]
pub(crate) struct FailureMarker(pub(crate) String);

/// What the runtime records of the call in progress, for [`CallExt::outcome`].
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    /// The last answer's status and `X-Request-Id` (kept as the header is: most calls
    /// succeed and never need it as text).
    pub(crate) seen: Option<(u16, Option<reqwest::header::HeaderValue>)>,
    pub(crate) body: Bytes,
    pub(crate) attempts: u32,
    pub(crate) may_have_been_applied: bool,
    pub(crate) failure: Option<CallFailure>,
}

tokio::task_local! {
    // Boxed: the scope moves its value in and out of the task's slot on every poll of the
    // call, so it should be a pointer, not the whole record.
    static CALL: RefCell<Box<CallRecord>>;
}

/// Updates the record of the call in progress, when the caller asked for one.
pub(crate) fn record(update: impl FnOnce(&mut CallRecord)) {
    let _ = CALL.try_with(|record| update(&mut record.borrow_mut()));
}

/// progenitor's `pre` hook (its signature is progenitor's): refuses, before anything is
/// sent, a request whose path a parameter has reshaped (`..`, an encoded `/` or `\`), or
/// whose query or headers break a parameter's documented bounds (`limit` above 100).
#[allow(clippy::result_large_err)]
pub fn check_request<E>(
    request: &reqwest::Request,
    operation: &Operation,
) -> Result<(), progenitor_client::Error<E>> {
    let failure = match operation.check_wire_path(request.url().path()) {
        Err(parameters) => CallFailure::InvalidPath {
            parameter: parameters.join("` or `"),
        },
        Ok(()) => match operation.check_bounds(request) {
            Ok(()) => return Ok(()),
            Err((parameter, rule)) => CallFailure::OutOfBounds {
                parameter: parameter.to_string(),
                rule,
            },
        },
    };
    let message = failure.to_string();
    record(|r| r.failure = Some(failure));
    Err(progenitor_client::Error::InvalidRequest(message))
}

/// progenitor's `post` hook: a response the runtime marked as failed becomes an error, so
/// even `.send()` without `.outcome()` never takes it for a success.
#[allow(clippy::result_large_err)]
pub fn check_response<E>(
    result: &reqwest::Result<reqwest::Response>,
) -> Result<(), progenitor_client::Error<E>> {
    match result
        .as_ref()
        .ok()
        .and_then(|r| r.extensions().get::<FailureMarker>())
    {
        Some(marker) => Err(progenitor_client::Error::Custom(marker.0.clone())),
        None => Ok(()),
    }
}

/// Turns a generated operation's `send()` into a call that fails with [`crate::Error`].
pub trait CallExt<T, E>:
    Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Sized
{
    /// Awaits the call; errors keep status, vendor code and message, request ID, attempts
    /// and a bounded raw body, and a 200 reporting failure is an error.
    fn outcome(self) -> impl Future<Output = Result<ResponseValue<T>, Error>> + Send;
}

impl<F, T, E> CallExt<T, E> for F
where
    F: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>> + Send,
    T: Send,
    E: Serialize + Send,
{
    fn outcome(self) -> impl Future<Output = Result<ResponseValue<T>, Error>> + Send {
        use futures_util::future::{Either, FutureExt as _};
        // A combinator, not an `async` block: a block would keep the call's future twice
        // (captured, and again while awaited), and this future is moved whole as the caller
        // awaits it. The record is taken within the scope, when the call has ended.
        let ended = Box::pin(self).then(|result| {
            let record = CALL.with(|r| std::mem::take(&mut **r.borrow_mut()));
            match result {
                Ok(value) => Either::Left(std::future::ready(Ok(value))),
                // Boxed: the error's reading is larger than the call's own future, and
                // only a failed call needs it.
                Err(error) => {
                    Either::Right(Box::pin(async move { Err(convert(error, record).await) }))
                }
            }
        });
        CALL.scope(RefCell::new(Box::default()), ended)
    }
}

/// Maps progenitor's error, with what the runtime recorded of the call, to [`Error`].
pub(crate) async fn convert<E: Serialize>(
    error: progenitor_client::Error<E>,
    mut record: CallRecord,
) -> Error {
    use progenitor_client::Error as P;
    if let Some(failure) = record.failure.take() {
        return failure.into_error(&record);
    }
    let attempts = record.attempts.max(1);
    let applied = record.may_have_been_applied;
    let seen_status = record.seen.as_ref().map(|s| s.0).unwrap_or_default();
    let seen_request_id = record
        .seen
        .as_ref()
        .and_then(|s| s.1.as_ref())
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let api = |status: u16, request_id: Option<String>, body: &[u8]| {
        let mut error = ApiError::decode(status, request_id, body);
        error.attempts = attempts;
        error.may_have_been_applied = applied;
        Error::from(error)
    };
    match error {
        P::InvalidRequest(message) => invalid_input(&message),
        P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
            let mut error = TransportError::from_reqwest(e);
            error.attempts = attempts;
            error.may_have_been_applied = applied;
            error.into()
        }
        P::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let request_id = request_id(value.headers());
            // The raw reply as it came, not a re-serialisation of what was decoded.
            let body = if record.body.is_empty() {
                Bytes::from(serde_json::to_vec(&value.into_inner()).unwrap_or_default())
            } else {
                record.body
            };
            api(status, request_id, &body)
        }
        P::InvalidResponsePayload(bytes, e) if (200..300).contains(&seen_status) => {
            Error::InvalidResponse {
                status: seen_status,
                request_id: seen_request_id,
                reason: e.to_string(),
                body: body_prefix(&bytes),
                body_len: bytes.len(),
            }
        }
        P::InvalidResponsePayload(bytes, _) => api(seen_status, seen_request_id, &bytes),
        P::UnexpectedResponse(response) => {
            let response = crate::runtime::unread(response);
            let status = response.status().as_u16();
            let request_id = request_id(response.headers());
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let body = match response.bytes().await {
                Ok(body) => body,
                Err(e) => return TransportError::from_reqwest(e).into(),
            };
            if (300..400).contains(&status) {
                let mut error = ApiError::decode(status, request_id, &body);
                error.attempts = attempts;
                error.message = Some(format!(
                    "redirect to {} not followed (credentials are only sent to the configured host)",
                    location.as_deref().map_or("an unnamed location".into(), printable)
                ));
                return error.into();
            }
            if (200..300).contains(&status) {
                return Error::InvalidResponse {
                    status,
                    request_id,
                    reason: "status not documented in the spec".into(),
                    body: body_prefix(&body),
                    body_len: body.len(),
                };
            }
            api(status, request_id, &body)
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
