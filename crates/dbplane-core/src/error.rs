//! Errors: one type for every vendor, decoded tolerantly from whatever the server sent.

use std::fmt;

use serde_json::Value;

/// How much of a raw body an error keeps (the whole length is recorded beside it).
pub const BODY_PREFIX_BYTES: usize = 4096;

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// The request could not be sent or its answer not received in full.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// A success status whose body is not what the spec documents.
    #[error(
        "HTTP {status}: the response body could not be decoded ({reason}); {}",
        shown_body(body, *body_len)
    )]
    InvalidResponse {
        /// HTTP status (0 when unknown).
        status: u16,
        /// Request ID, when the server sent one.
        request_id: Option<String>,
        /// Why decoding failed.
        reason: String,
        /// The first [`BODY_PREFIX_BYTES`] of the raw body, lossily decoded as UTF-8.
        body: String,
        /// The whole body's length in bytes.
        body_len: usize,
    },
    /// A paginated list could not be walked to its end as the server described it: the
    /// items before this error were all the walk received.
    #[error("the list walk stopped after {pages} page(s) and {items} item(s): {stop}")]
    List {
        /// Pages received.
        pages: u64,
        /// Items yielded.
        items: u64,
        /// Why the walk stopped.
        stop: ListStop,
    },
}

/// Why a list walk stopped before the list's end.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListStop {
    /// A page held the same items as the page before it (the server ignores the offset or
    /// page asked for).
    RepeatedPage {
        /// The offset or page number asked for.
        at: u64,
    },
    /// The pages ended (a short or empty page) before the total the server gave.
    ShortOfTotal {
        /// Items received, counted from the walk's first offset.
        received: u64,
        /// The total the answer gave.
        total: u64,
    },
    /// The pages ended (a short or empty page) before the page count the server gave.
    ShortOfPages {
        /// The last page received.
        page: u64,
        /// The page count the answer gave.
        total_pages: u64,
    },
    /// The walk's page cap ([`crate::ListLimits::max_pages`]) was reached with more to read.
    PageCap {
        /// The cap.
        limit: u64,
    },
    /// The walk's item cap ([`crate::ListLimits::max_items`]) was reached with more to read.
    ItemCap {
        /// The cap.
        limit: u64,
    },
    /// The next page starts where the request's parameter cannot say (beyond its type).
    StartOutOfRange {
        /// The start that does not fit.
        start: u64,
    },
}

impl fmt::Display for ListStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RepeatedPage { at } => write!(
                f,
                "the page at {at} repeats the previous page's items (the server ignores where a page starts)"
            ),
            Self::ShortOfTotal { received, total } => write!(
                f,
                "the pages ended after {received} item(s) but the answer's total says {total}"
            ),
            Self::ShortOfPages { page, total_pages } => write!(
                f,
                "the pages ended at page {page} but the answer says there are {total_pages}"
            ),
            Self::PageCap { limit } => write!(
                f,
                "the cap of {limit} page(s) was reached and the list goes on (raise it to read more)"
            ),
            Self::ItemCap { limit } => write!(
                f,
                "the cap of {limit} item(s) was reached and the list goes on (raise it to read more)"
            ),
            Self::StartOutOfRange { start } => write!(
                f,
                "the next page would start at {start}, beyond what the request's parameter can hold"
            ),
        }
    }
}

/// `body (N bytes): …` with control characters escaped and long bodies cut.
fn shown_body(body: &str, body_len: usize) -> String {
    let cut = if body_len > body.len() { "…" } else { "" };
    format!("body ({body_len} bytes): {}{cut}", printable(body))
}

/// Text from a server made safe to print on a terminal: control characters (ANSI escapes,
/// carriage returns, new lines) are shown escaped, and the text is cut at 300 characters.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(300));
    for (i, c) in text.chars().enumerate() {
        if i == 300 {
            out.push('…');
            break;
        }
        if c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
            )
        {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The first [`BODY_PREFIX_BYTES`] of `body`, lossily decoded as UTF-8.
pub fn body_prefix(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(BODY_PREFIX_BYTES)]).into_owned()
}

impl Error {
    /// The vendor's error, if the server answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The transport failure, if the call failed before a whole answer arrived.
    pub fn transport(&self) -> Option<&TransportError> {
        match self {
            Self::Transport(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::InvalidResponse { status, .. } => Some(*status),
            Self::Transport(e) => e.status,
            _ => None,
        }
    }

    /// Whether the request may have changed something although the call failed: the
    /// answer was lost after the request was sent (timeout, reset, gateway error) and the
    /// operation is not safe to repeat. Check the resource's state before sending it again.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Self::Api(e) => e.may_have_been_applied,
            Self::Transport(e) => e.may_have_been_applied,
            _ => false,
        }
    }
}

/// What went wrong on the way to or from the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// An attempt took longer than the runtime's timeout.
    Timeout,
    /// The whole call (every attempt and wait) took longer than its deadline.
    Deadline {
        /// Time spent on the call.
        elapsed: std::time::Duration,
    },
    /// The server refused the connection.
    ConnectionRefused,
    /// The host name could not be resolved.
    Dns,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// Another failure to connect.
    Connect,
    /// The answer's body is larger than the runtime accepts.
    BodyTooLarge {
        /// The runtime's limit, in bytes.
        limit: usize,
    },
    /// The connection broke while the answer was being read.
    Body,
    /// Anything else reqwest reports.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("timed out"),
            Self::Deadline { elapsed } => write!(
                f,
                "the call's deadline passed after {:.1} s (every attempt and wait included)",
                elapsed.as_secs_f64()
            ),
            Self::ConnectionRefused => f.write_str("connection refused"),
            Self::Dns => f.write_str("host name not resolved (DNS)"),
            Self::Tls => f.write_str("TLS handshake failed"),
            Self::Connect => f.write_str("cannot connect"),
            Self::BodyTooLarge { limit } => {
                write!(
                    f,
                    "the answer is larger than the {limit}-byte limit (reading stopped)"
                )
            }
            Self::Body => f.write_str("the connection broke while reading the answer"),
            Self::Other => f.write_str("request failed"),
        }
    }
}

/// A call that ended without a whole answer from the server.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// What happened.
    pub kind: TransportKind,
    /// Attempts made, the first included.
    pub attempts: u32,
    /// Whether the request may have been applied (see [`Error::may_have_been_applied`]).
    pub may_have_been_applied: bool,
    /// The HTTP status, when one arrived before the failure.
    pub status: Option<u16>,
    /// reqwest's error, when it reported one.
    pub source: Option<reqwest::Error>,
}

impl TransportError {
    /// A transport error of `kind` that reqwest did not report itself.
    pub fn new(kind: TransportKind) -> Self {
        Self {
            kind,
            attempts: 1,
            may_have_been_applied: false,
            status: None,
            source: None,
        }
    }

    /// Classifies reqwest's error by the cause it carries.
    pub fn from_reqwest(error: reqwest::Error) -> Self {
        let kind = classify(&error);
        Self {
            kind,
            attempts: 1,
            may_have_been_applied: false,
            status: error.status().map(|s| s.as_u16()),
            source: Some(error),
        }
    }
}

fn classify(error: &reqwest::Error) -> TransportKind {
    use std::error::Error as _;
    if error.is_timeout() {
        return TransportKind::Timeout;
    }
    let mut chain = String::new();
    let mut refused = false;
    let mut cause: Option<&dyn std::error::Error> = error.source();
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        chain.push_str(&e.to_string().to_ascii_lowercase());
        chain.push('\n');
        cause = e.source();
    }
    if refused || chain.contains("connection refused") {
        TransportKind::ConnectionRefused
    } else if chain.contains("dns error") || chain.contains("failed to lookup") {
        TransportKind::Dns
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake")
    {
        TransportKind::Tls
    } else if error.is_connect() {
        TransportKind::Connect
    } else if error.is_body() || error.is_decode() {
        TransportKind::Body
    } else {
        TransportKind::Other
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error: {}", self.kind)?;
        if let Some(url) = self.source.as_ref().and_then(reqwest::Error::url) {
            write!(
                f,
                " ({} {})",
                url.host_str().unwrap_or_default(),
                url.path()
            )?;
        }
        write!(f, "; {} attempt(s)", self.attempts)?;
        if self.may_have_been_applied {
            f.write_str(APPLIED_HINT)?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Said of a failed call that may still have changed something.
const APPLIED_HINT: &str =
    "; the request may have been applied: check the resource's state before sending it again";

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Self::Transport(Box::new(e))
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

/// A problem with configuration: credentials, region, endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Environment variables that are missing or empty.
    #[error("missing environment variable(s): {}", .0.join(", "))]
    MissingEnv(Vec<String>),
    /// An environment variable that is set but not valid UTF-8.
    #[error("environment variable {0} is set but is not valid UTF-8")]
    InvalidEnv(String),
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
    /// A runtime setting out of bounds.
    #[error("invalid setting `{setting}`: {reason}")]
    InvalidSetting {
        /// The setting (`retry.max_attempts`).
        setting: &'static str,
        /// Why it is refused.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
}

/// An error answer from the vendor, with everything support needs.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The vendor's error code (`DBSS.0001`, `APIGW.0301`, OCP's numeric code as text).
    pub code: Option<String>,
    /// The vendor's message.
    pub message: Option<String>,
    /// The request ID (`X-Request-Id`, else a `request_id` in the body).
    pub request_id: Option<String>,
    /// OCP's `traceId`, what OCP support asks for (kept beside an `X-Request-Id`).
    pub trace_id: Option<String>,
    /// Further errors (DBSS `details`).
    pub details: Vec<ErrorDetail>,
    /// DBSS/IAM `encoded_authorization_message`, for decoding a policy denial.
    pub encoded_authorization_message: Option<String>,
    /// Per-object failures inside a 200 (OCP `beSuccessful: false`).
    pub failed_objects: Vec<Value>,
    /// The first [`BODY_PREFIX_BYTES`] of the raw body, lossily decoded as UTF-8.
    pub body: String,
    /// The whole body's length in bytes.
    pub body_len: usize,
    /// Attempts made, the first included.
    pub attempts: u32,
    /// Whether the request may have been applied (a gateway error or lost answer on an
    /// operation that is not safe to repeat).
    pub may_have_been_applied: bool,
}

/// How a vendor's success answers can still report failure, checked on the raw body of
/// every 2xx answer (so a failure is never taken for a success, even with `.send()` alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Huawei Cloud and Open Telekom Cloud: a 2xx whose body carries an `error_code`.
    Huawei,
    /// Huawei Cloud DBSS: as [`Dialect::Huawei`], and `result` other than `success` (in
    /// any case).
    HuaweiDbss,
    /// OceanBase OCP: `successful: false`; without `successful`, an error `status` in the
    /// envelope; and objects with `beSuccessful: false` (a partial failure).
    Ocp,
}

impl Dialect {
    /// The failure a 2xx `body` reports, if any.
    pub fn failure_in_success(
        self,
        status: u16,
        request_id: Option<String>,
        body: &[u8],
    ) -> Option<ApiError> {
        self.failure_in_success_with(status, || request_id, body)
    }

    /// [`Dialect::failure_in_success`], asking for the request ID only when there is a
    /// failure to report.
    pub(crate) fn failure_in_success_with(
        self,
        status: u16,
        request_id: impl FnOnce() -> Option<String>,
        body: &[u8],
    ) -> Option<ApiError> {
        let mut ocp_failed_objects = Vec::new();
        let mut dbss_result = None;
        let failed = match self {
            // Only two top-level fields matter: read them, skip the rest of the answer
            // without building it (progenitor parses the answer itself afterwards).
            Self::Huawei | Self::HuaweiDbss => {
                let probe = HuaweiProbe::read(body, self == Self::HuaweiDbss)?;
                fn text(field: &Option<Value>) -> Option<&str> {
                    field.as_ref().and_then(Value::as_str)
                }
                let error_code = text(&probe.error_code).is_some_and(|c| !c.is_empty());
                dbss_result = text(&probe.result).map(str::to_string);
                error_code
                    || (self == Self::HuaweiDbss
                        && text(&probe.result).is_some_and(|r| !r.eq_ignore_ascii_case("success")))
            }
            Self::Ocp => {
                let json: Value = serde_json::from_slice(body).ok()?;
                let object = json.as_object()?;
                let envelope_failed = match object.get("successful") {
                    Some(successful) => successful == &Value::Bool(false),
                    None => object
                        .get("status")
                        .and_then(Value::as_u64)
                        .is_some_and(|s| s >= 400),
                };
                ocp_failed_objects = failed_objects(&json);
                envelope_failed || !ocp_failed_objects.is_empty()
            }
        };
        if !failed {
            return None;
        }
        let mut error = ApiError::decode(status, request_id(), body);
        if self == Self::Ocp {
            error.failed_objects = ocp_failed_objects;
            if let Some(first) = error.failed_objects.first() {
                error.code = error.code.or_else(|| {
                    first
                        .get("errorCode")
                        .filter(|c| c.as_object().is_some_and(|o| !o.is_empty()))
                        .map(Value::to_string)
                });
                error.message = error.message.or_else(|| {
                    first
                        .get("hint")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                });
            }
        }
        if error.message.is_none() {
            error.message = Some(match self {
                Self::HuaweiDbss => format!(
                    "DBSS reported `result: {}`",
                    dbss_result.unwrap_or_default()
                ),
                Self::Ocp if !error.failed_objects.is_empty() => {
                    "some backup objects failed".into()
                }
                Self::Ocp => "OCP reported failure in a success answer".into(),
                Self::Huawei => "the answer reports an error".into(),
            });
        }
        Some(error)
    }
}

/// OCP's per-object results with `beSuccessful: false`.
fn failed_objects(json: &Value) -> Vec<Value> {
    json.pointer("/data/backupObjectOpsResultList")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|item| item.get("beSuccessful") == Some(&Value::Bool(false)))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
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
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let mut error = Self {
            status,
            code: None,
            message: None,
            request_id,
            trace_id: None,
            details: Vec::new(),
            encoded_authorization_message: None,
            failed_objects: Vec::new(),
            body: body_prefix(body),
            body_len: body.len(),
            attempts: 1,
            may_have_been_applied: false,
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
        let text = |key: &str| {
            json.get(key)
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty())
                .map(str::to_string)
        };
        error.trace_id = text("traceId");
        if error.request_id.is_none() {
            error.request_id = text("request_id");
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
        f.write_str(&printable(self.code.as_deref().unwrap_or("error")))?;
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request {}", printable(id))?;
        }
        if let Some(id) = &self.trace_id {
            write!(f, ", trace {}", printable(id))?;
        }
        if self.attempts > 1 {
            write!(f, ", {} attempts", self.attempts)?;
        }
        f.write_str(")")?;
        if let Some(message) = &self.message {
            write!(f, ": {}", printable(message))?;
        }
        if !self.failed_objects.is_empty() {
            write!(f, " ({} object(s) failed)", self.failed_objects.len())?;
        }
        if self.is_signature_rejected() {
            f.write_str(" (the gateway rejects signatures dated more than 15 minutes off: check the local clock, or set a clock offset)")?;
        }
        if self.may_have_been_applied {
            f.write_str(APPLIED_HINT)?;
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
            .field("trace_id", &self.trace_id)
            .field("details", &self.details)
            .field("failed_objects", &self.failed_objects)
            .field("body", &self.body)
            .field("body_len", &self.body_len)
            .field("attempts", &self.attempts)
            .field("may_have_been_applied", &self.may_have_been_applied)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for ApiError {}

/// The top-level fields of a Huawei/OTC answer that say a 2xx failed; any other field is
/// skipped unread, and a body that is no JSON object is no failure.
#[derive(serde::Deserialize)]
struct HuaweiProbe {
    #[serde(default)]
    error_code: Option<Value>,
    #[serde(default)]
    result: Option<Value>,
}

/// What [`HuaweiProbe`] looks for before reading a body: the key that reports a failure,
/// a `\u` escape (which could spell a key), and for DBSS `result`. Each finder is built once.
static PROBE_WORDS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 3]> =
    std::sync::LazyLock::new(|| {
        [b"error_code".as_slice(), b"\\u", b"result"].map(memchr::memmem::Finder::new)
    });

impl HuaweiProbe {
    /// Whether `body` may name a field the dialect reads: it holds `error_code` or a `\u`
    /// escape, or, for DBSS (`dbss`), `result`.
    fn may_name_a_field(body: &[u8], dbss: bool) -> bool {
        let words = if dbss {
            &PROBE_WORDS[..]
        } else {
            &PROBE_WORDS[..2]
        };
        words.iter().any(|word| word.find(body).is_some())
    }

    /// The two fields of `body`; `None` when it is no JSON object. What the quick read
    /// refuses (a key given twice) is read as a whole document is, the last value winning.
    fn read(body: &[u8], dbss: bool) -> Option<Self> {
        // A struct would also read an array (`["DBS.1", "x"]`) field by field.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return None;
        }
        // Most answers name neither field anywhere: a byte search, far cheaper than reading
        // the document, says so. A body with `\u` escapes (which could spell either key) is
        // read.
        if !Self::may_name_a_field(body, dbss) {
            return None;
        }
        if let Ok(probe) = serde_json::from_slice(body) {
            return Some(probe);
        }
        let json: Value = serde_json::from_slice(body).ok()?;
        let object = json.as_object()?;
        Some(Self {
            error_code: object.get("error_code").cloned(),
            result: object.get("result").cloned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The probe's search finds a dialect's word exactly when a plain search does, in
        /// short bodies and long ones, wherever the word is.
        #[test]
        fn the_probe_search_is_a_plain_search(
            before in "[a-z_\"{}:, \\\\]{0,40}",
            word in "(error_code|result|\\\\u|error_cod|resul|\\\\|)",
            after in "[a-z_\"{}:, \\\\]{0,40}",
            padding in 0usize..300,
            dbss in proptest::bool::ANY,
        ) {
            let body = format!("{before}{word}{after}{}", " ".repeat(padding));
            let words: &[&str] = if dbss {
                &["error_code", "\\u", "result"]
            } else {
                &["error_code", "\\u"]
            };
            let plain = words.iter().any(|w| body.contains(w));
            proptest::prop_assert_eq!(HuaweiProbe::may_name_a_field(body.as_bytes(), dbss), plain);
        }
    }

    #[test]
    fn the_quick_read_of_a_2xx_agrees_with_reading_the_whole_document() {
        // The reference: the whole document read as a value, its top-level fields looked at.
        fn reference(dialect: Dialect, body: &str) -> bool {
            let Ok(Value::Object(object)) = serde_json::from_str::<Value>(body) else {
                return false;
            };
            let text = |key: &str| object.get(key).and_then(Value::as_str);
            text("error_code").is_some_and(|c| !c.is_empty())
                || (dialect == Dialect::HuaweiDbss
                    && text("result").is_some_and(|r| !r.eq_ignore_ascii_case("success")))
        }
        let keys = [
            "error_code",
            "result",
            "job_id",
            r"error\u005fcode",
            r"res\u0075lt",
            r"\u0065rror_code",
        ];
        let values = [
            r#""DBS.1""#,
            r#""""#,
            r#""Success""#,
            r#""FAIL""#,
            "7",
            "null",
            r#"{"error_code": "DBS.2"}"#,
            r#"["result", "FAIL"]"#,
        ];
        let entries: Vec<String> = keys
            .iter()
            .flat_map(|k| values.iter().map(move |v| format!(r#""{k}": {v}"#)))
            .collect();
        let mut checked = 0;
        for a in &entries {
            for b in std::iter::once(None).chain(entries.iter().map(Some)) {
                let body = match b {
                    Some(b) => format!("{{{a}, {b}}}"),
                    None => format!("{{{a}}}"),
                };
                for dialect in [Dialect::Huawei, Dialect::HuaweiDbss] {
                    let quick = dialect
                        .failure_in_success(200, None, body.as_bytes())
                        .is_some();
                    assert_eq!(quick, reference(dialect, &body), "{dialect:?} {body}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 2 * 48 * 49);
    }

    #[test]
    fn a_2xx_reports_failure_by_its_top_level_fields_only() {
        let fails = |dialect: Dialect, body: &str| {
            dialect
                .failure_in_success(200, None, body.as_bytes())
                .is_some()
        };
        assert!(fails(
            Dialect::Huawei,
            r#"{"job_id": "j", "error_code": "DBS.1"}"#
        ));
        assert!(!fails(
            Dialect::Huawei,
            r#"{"job_id": "j", "error_code": ""}"#
        ));
        assert!(!fails(
            Dialect::Huawei,
            r#"{"nested": {"error_code": "DBS.1"}}"#
        ));
        assert!(!fails(Dialect::Huawei, r#"["DBS.1", "failed"]"#));
        assert!(!fails(Dialect::Huawei, r#"{"error_code": 7}"#));
        assert!(!fails(Dialect::Huawei, "not json"));
        // A key given twice: the last value counts, as for a whole-document read.
        assert!(fails(
            Dialect::Huawei,
            r#"{"error_code": "", "error_code": "DBS.1"}"#
        ));
        assert!(!fails(
            Dialect::Huawei,
            r#"{"error_code": "DBS.1", "error_code": ""}"#
        ));
        assert!(fails(
            Dialect::HuaweiDbss,
            r#"{"result": "FAIL", "error_code": 3}"#
        ));
        assert!(!fails(Dialect::HuaweiDbss, r#"{"result": "Success"}"#));
        assert!(!fails(Dialect::Huawei, r#"{"result": "FAIL"}"#));
    }

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
            (Some("0"), Some("slow down"), None)
        );
        assert_eq!(e.trace_id.as_deref(), Some("t-1"));
        assert_eq!(e.to_string(), "0 (HTTP 429, trace t-1): slow down");
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
    fn control_characters_in_vendor_text_are_escaped() {
        let e = ApiError::decode(
            400,
            Some("r\u{1b}[2J".into()),
            b"{\"error_code\":\"X.1\",\"error_msg\":\"line\\nfake: ok\\u001b[31m\"}",
        );
        let shown = e.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.contains("line\\nfake: ok\\u{1b}[31m"), "{shown}");
    }

    #[test]
    fn large_bodies_keep_a_bounded_prefix_and_their_length() {
        let body = vec![b'x'; 10 * 1024 * 1024];
        let e = ApiError::decode(500, None, &body);
        assert_eq!((e.body.len(), e.body_len), (BODY_PREFIX_BYTES, body.len()));
        assert!(e.to_string().len() < 1000);
    }

    #[test]
    fn failures_inside_success_answers() {
        let fails = |dialect: Dialect, body: &str| {
            dialect
                .failure_in_success(200, None, body.as_bytes())
                .map(|e| e.to_string())
        };
        assert_eq!(
            fails(Dialect::Ocp, r#"{"successful":false,"error":{"code":60018,"message":"Tenant not found"},"traceId":"t9"}"#).as_deref(),
            Some("60018 (HTTP 200, trace t9): Tenant not found")
        );
        assert!(fails(
            Dialect::Ocp,
            r#"{"status":500,"error":{"code":1,"message":"x"}}"#
        )
        .is_some());
        assert!(fails(Dialect::Ocp, r#"{"status":200,"data":{}}"#).is_none());
        assert!(fails(Dialect::Ocp, r#"{"successful":true,"data":{"backupObjectOpsResultList":[{"beSuccessful":false,"hint":"busy"}]}}"#).is_some_and(|m| m.contains("busy")));
        for result in ["failed", "FAILED", "fail", "Failure"] {
            let body = format!(r#"{{"result":"{result}"}}"#);
            assert!(fails(Dialect::HuaweiDbss, &body).is_some(), "{result}");
        }
        assert!(fails(Dialect::HuaweiDbss, r#"{"result":"SUCCESS"}"#).is_none());
        assert!(fails(
            Dialect::Huawei,
            r#"{"error_code":"DBS.1","error_msg":"no"}"#
        )
        .is_some());
        assert!(fails(Dialect::Huawei, r#"{"job_id":"x","error_code":""}"#).is_none());
        assert!(fails(Dialect::Huawei, "not json").is_none());
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
