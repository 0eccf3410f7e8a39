//! Errors: one type for every vendor, decoded tolerantly from whatever the server sent.

use std::fmt;

use serde_json::Value;

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A parameter breaks a documented constraint; nothing was sent.
    #[error("invalid `{parameter}`: {rule} (nothing was sent)")]
    InvalidInput {
        /// The parameter's name, as in the spec (`project_id`).
        parameter: String,
        /// The rule it breaks (`32 to 64 characters`).
        rule: String,
    },
    /// The client is not configured well enough to send anything.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The vendor answered with an error (including a 200 that reports failure).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request could not be sent or its answer not received.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// A success status whose body is not what the spec documents.
    #[error("HTTP {status}: the response body could not be decoded ({reason}); body: {body}")]
    InvalidResponse {
        /// HTTP status (0 when unknown).
        status: u16,
        /// Request ID, when the server sent one.
        request_id: Option<String>,
        /// Why decoding failed.
        reason: String,
        /// The raw body, lossily decoded as UTF-8.
        body: String,
    },
}

impl Error {
    /// The vendor's error, if the server answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::InvalidResponse { status, .. } => Some(*status),
            Self::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

/// A problem with configuration: credentials, region, endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Environment variables that are missing or empty.
    #[error("missing environment variable(s): {}", .0.join(", "))]
    MissingEnv(Vec<String>),
    /// A region the spec's servers do not know.
    #[error("unknown region `{region}`; known regions: {}", .known.join(", "))]
    UnknownRegion {
        /// The region asked for.
        region: String,
        /// The regions the spec lists.
        known: Vec<String>,
    },
    /// A region name that cannot be part of a host name.
    #[error("invalid region `{0}`: use lower-case letters, digits and `-`")]
    InvalidRegion(String),
    /// A base URL that is not an absolute http(s) URL.
    #[error("invalid endpoint `{url}`: {reason}")]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A credential value that cannot go into an HTTP header.
    #[error("invalid credential `{0}`: it must be non-empty (and printable ASCII when it is sent as a header)")]
    InvalidCredential(&'static str),
    /// A call needs `project_id` but neither the call nor the credentials give one.
    #[error("no project_id: pass it to the call or scope the credentials to a project")]
    MissingProjectId,
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
}

/// An error answer from the vendor, with everything support needs.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The vendor's error code (`DBSS.0001`, `APIGW.0301`, OCP's numeric code as text).
    pub code: Option<String>,
    /// The vendor's message.
    pub message: Option<String>,
    /// The request ID (`X-Request-Id`, or OCP's `traceId`).
    pub request_id: Option<String>,
    /// Further errors (DBSS `details`).
    pub details: Vec<ErrorDetail>,
    /// DBSS/IAM `encoded_authorization_message`, for decoding a policy denial.
    pub encoded_authorization_message: Option<String>,
    /// Per-object failures inside a 200 (OCP `beSuccessful: false`).
    pub failed_objects: Vec<Value>,
    /// The raw body, lossily decoded as UTF-8.
    pub body: String,
}

/// One error code and message of a detail list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetail {
    /// Error code.
    pub code: Option<String>,
    /// Error message.
    pub message: Option<String>,
}

/// Huawei's API gateway code for a bad signature, including a date more than 15 minutes off.
const SIGNATURE_REJECTED: &str = "APIGW.0301";

impl ApiError {
    /// Decodes an error answer tolerantly, as the official SDKs do: the first of
    /// `error_code`/`error_msg`, `errorCode`/`errorMsg`, `code`/`message`, at the top level
    /// or under `error`. A body that is not JSON is kept as the message.
    pub fn decode(status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body).into_owned();
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let mut error = Self {
            status,
            code: None,
            message: None,
            request_id,
            details: Vec::new(),
            encoded_authorization_message: None,
            failed_objects: Vec::new(),
            body: text,
        };
        let Some(json) = json.filter(Value::is_object) else {
            let trimmed = error.body.trim();
            if !trimmed.is_empty() {
                error.message = Some(trimmed.chars().take(200).collect());
            }
            return error;
        };
        let nested = json.get("error").filter(|e| e.is_object());
        for source in [Some(&json), nested].into_iter().flatten() {
            let (code, message) = code_and_message(source);
            error.code = error.code.or(code);
            error.message = error.message.or(message);
        }
        error.encoded_authorization_message = json
            .get("encoded_authorization_message")
            .and_then(Value::as_str)
            .map(str::to_string);
        error.details = json
            .get("details")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|item| {
                        let (code, message) = code_and_message(item);
                        ErrorDetail { code, message }
                    })
                    .collect()
            })
            .unwrap_or_default();
        if error.request_id.is_none() {
            error.request_id = ["request_id", "traceId"]
                .iter()
                .find_map(|k| json.get(*k).and_then(Value::as_str))
                .filter(|id| !id.is_empty())
                .map(str::to_string);
        }
        error
    }

    /// Whether the gateway rejected the signature, which happens when the local clock is
    /// more than 15 minutes off.
    pub fn is_signature_rejected(&self) -> bool {
        let date_complaint = self.status == 401
            && self
                .message
                .as_deref()
                .is_some_and(|m| m.contains("X-Sdk-Date") || m.contains("Date"));
        self.code.as_deref() == Some(SIGNATURE_REJECTED) || date_complaint
    }
}

/// The first present pair of the spellings the vendors use.
fn code_and_message(value: &Value) -> (Option<String>, Option<String>) {
    const SPELLINGS: [(&str, &str); 3] = [
        ("error_code", "error_msg"),
        ("errorCode", "errorMsg"),
        ("code", "message"),
    ];
    let text = |key: &str| {
        value.get(key).and_then(|v| match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let code = SPELLINGS.iter().find_map(|(c, _)| text(c));
    let message = SPELLINGS.iter().find_map(|(_, m)| text(m));
    (code, message)
}

impl fmt::Display for ApiError {
    /// One line: `CODE (HTTP 400, request abc): message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("error"))?;
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request {id}")?;
        }
        f.write_str(")")?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if !self.failed_objects.is_empty() {
            write!(f, " ({} object(s) failed)", self.failed_objects.len())?;
        }
        if self.is_signature_rejected() {
            f.write_str(" (the gateway rejects signatures dated more than 15 minutes off: check the local clock, or set a clock offset)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("details", &self.details)
            .field("failed_objects", &self.failed_objects)
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huawei_top_level() {
        let e = ApiError::decode(
            400,
            Some("5f3a".into()),
            br#"{"error_code":"DBSS.0001","error_msg":"invalid instance id"}"#,
        );
        assert_eq!(
            e.to_string(),
            "DBSS.0001 (HTTP 400, request 5f3a): invalid instance id"
        );
    }

    #[test]
    fn nested_and_camel_case_spellings() {
        let e = ApiError::decode(
            403,
            None,
            br#"{"error":{"error_code":"DBSS.1","error_msg":"no"}}"#,
        );
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref()),
            (Some("DBSS.1"), Some("no"))
        );
        let e = ApiError::decode(400, None, br#"{"errorCode":"X.2","errorMsg":"camel"}"#);
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref()),
            (Some("X.2"), Some("camel"))
        );
        let e = ApiError::decode(
            429,
            None,
            br#"{"error":{"code":0,"message":"slow down"},"traceId":"t-1","successful":false}"#,
        );
        assert_eq!(
            (
                e.code.as_deref(),
                e.message.as_deref(),
                e.request_id.as_deref()
            ),
            (Some("0"), Some("slow down"), Some("t-1"))
        );
    }

    #[test]
    fn dbss_details_and_authorization_message_are_kept() {
        let e = ApiError::decode(
            403,
            None,
            br#"{"error_code":"DBSS.0403","error_msg":"denied","encoded_authorization_message":"abc","details":[{"error_code":"PDP.1","error_msg":"deny"}]}"#,
        );
        assert_eq!(e.encoded_authorization_message.as_deref(), Some("abc"));
        assert_eq!(
            e.details,
            vec![ErrorDetail {
                code: Some("PDP.1".into()),
                message: Some("deny".into())
            }]
        );
    }

    #[test]
    fn html_body_survives_as_message_and_body() {
        let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
        let e = ApiError::decode(502, None, html);
        assert_eq!(e.status, 502);
        assert_eq!(e.code, None);
        assert_eq!(e.body, String::from_utf8_lossy(html));
        assert_eq!(
            e.to_string(),
            "error (HTTP 502): <html><body><h1>502 Bad Gateway</h1></body></html>"
        );
    }

    #[test]
    fn gateway_signature_rejection_mentions_the_clock() {
        let e = ApiError::decode(401, Some("r1".into()), br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"r2"}"#);
        assert!(e.is_signature_rejected());
        assert!(e.to_string().contains("clock offset"), "{e}");
        assert_eq!(
            e.request_id.as_deref(),
            Some("r1"),
            "the header wins over the body"
        );
    }

    #[test]
    fn empty_and_odd_bodies_never_panic() {
        for body in [
            &b""[..],
            b"null",
            b"[1,2]",
            b"{\"error\":5}",
            b"\xff\xfe",
            b"{\"error_code\":{}}",
        ] {
            let e = ApiError::decode(500, None, body);
            assert_eq!(e.status, 500);
        }
    }
}
