//! The runtime inside every generated client: it authenticates (signs) each attempt,
//! retries, and traces calls. Generated clients reach it through progenitor's `exec` hook.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tracing::Instrument;

use bytes::Bytes;

use crate::call::{self, CallFailure, FailureMarker};
use crate::credentials::Credentials;
use crate::error::{ConfigError, Dialect, TransportKind};
use crate::operation::Operation;
use crate::retry::{self, RetryPolicy};
use crate::sign::{self, ocp, sdk_hmac_sha256};

/// The header progenitor adds from `info.version`; no vendor documents it, so it is never sent.
const PROGENITOR_VERSION_HEADER: HeaderName = HeaderName::from_static("api-version");
const X_AUTH_TOKEN: &str = "x-auth-token";
const X_PROJECT_ID: &str = "x-project-id";
const X_SECURITY_TOKEN: &str = "x-security-token";
const X_SDK_DATE: &str = "x-sdk-date";
// The same names as headers: static, so that neither setting nor copying them allocates.
const X_AUTH_TOKEN_HEADER: HeaderName = HeaderName::from_static(X_AUTH_TOKEN);
const X_PROJECT_ID_HEADER: HeaderName = HeaderName::from_static(X_PROJECT_ID);
const X_SECURITY_TOKEN_HEADER: HeaderName = HeaderName::from_static(X_SECURITY_TOKEN);
const X_SDK_DATE_HEADER: HeaderName = HeaderName::from_static(X_SDK_DATE);
const DATE_HEADER: HeaderName = HeaderName::from_static("date");

/// Where the runtime reads the time: the system clock, or a fixed instant in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> SystemTime + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(Arc::new(SystemTime::now))
    }

    /// Always `instant` (for reproducible signatures).
    pub fn fixed(instant: SystemTime) -> Self {
        Self(Arc::new(move || instant))
    }

    /// Reads the time from `f` (e.g. a test clock that advances).
    pub fn from_fn(f: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    fn now(&self) -> SystemTime {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// Shared, cheap-to-clone runtime: credentials, retry policy, clock and timeouts.
#[derive(Clone, Debug)]
pub struct Runtime {
    settings: Arc<Settings>,
    /// AK/SK credentials' signer, its key schedule computed once.
    signer: Option<sdk_hmac_sha256::Signer>,
    /// The credentials' headers that are the same on every request, built once.
    fixed_headers: FixedHeaders,
    /// The base URL of the client it serves, parsed once.
    base: crate::endpoint::ParsedBase,
}

/// Headers whose values never change for a runtime (a token, a project, a Basic pair), as
/// header values made once: each request shares their bytes instead of copying them.
#[derive(Clone, Default)]
struct FixedHeaders(Vec<(HeaderName, HeaderValue)>);

impl FixedHeaders {
    /// The headers `credentials` send unchanged on every request, in the order they are
    /// set (before the date and the signature, for AK/SK).
    fn of(credentials: &Credentials) -> Self {
        let mut headers = Vec::new();
        let mut add = |name: HeaderName, value: &str, secret: bool| {
            if let Some(value) = header_value(&name, HeaderValue::from_str(value), secret) {
                headers.push((name, value));
            }
        };
        match credentials {
            Credentials::Token { token, .. } => add(X_AUTH_TOKEN_HEADER, token.expose(), true),
            Credentials::AkSk {
                project_id,
                security_token,
                ..
            } => {
                if let Some(project_id) = project_id {
                    add(X_PROJECT_ID_HEADER, project_id, false);
                }
                if let Some(token) = security_token {
                    add(X_SECURITY_TOKEN_HEADER, token.expose(), true);
                }
            }
            Credentials::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                let value = format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                );
                add(AUTHORIZATION, &value, true);
            }
            Credentials::Anonymous | Credentials::OcpAccessKey { .. } => {}
        }
        Self(headers)
    }

    fn insert_into(&self, request: &mut reqwest::Request) {
        for (name, value) in &self.0 {
            request.headers_mut().insert(name.clone(), value.clone());
        }
    }
}

impl fmt::Debug for FixedHeaders {
    /// The names only: the values are credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

#[derive(Debug)]
struct Settings {
    credentials: Credentials,
    retry: RetryPolicy,
    clock: Clock,
    clock_offset_secs: i64,
    connect_timeout: Duration,
    timeout: Duration,
    operation_timeout: Duration,
    max_body_bytes: usize,
    list_limits: crate::paginate::ListLimits,
    dry_run: Option<DryRun>,
}

/// Defaults a runtime enforces unless told otherwise.
pub mod limits {
    use std::time::Duration;

    /// Time allowed to connect.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Time allowed for one attempt, from connecting to the end of the body.
    pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
    /// Time allowed for the whole call: every attempt and every wait between them.
    pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(90);
    /// The largest answer read; control-plane answers are a few KiB, a full list page a
    /// few hundred.
    pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
    /// The furthest a clock offset may move signing dates (the gateways accept 15 minutes;
    /// a day covers any real skew, and keeps dates within what HTTP can express).
    pub const MAX_CLOCK_OFFSET_SECS: i64 = 24 * 60 * 60;
}

/// Collects requests instead of sending them: each is authenticated (signed) as it would be
/// sent, and described with secret values masked. Calls then fail as undocumented answers.
#[derive(Clone, Debug, Default)]
pub struct DryRun {
    requests: Arc<std::sync::Mutex<Vec<String>>>,
}

impl DryRun {
    /// A new, empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// The requests described so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn record(&self, request: &reqwest::Request) {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(describe(request));
        }
    }
}

/// A request as text: method and URL, `host`, the headers (sorted, secrets masked), and the body.
pub fn describe(request: &reqwest::Request) -> String {
    let mut headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or("<binary>");
            (name.to_string(), mask_header(name.as_str(), value))
        })
        .collect();
    headers.push(("host".into(), sign::host_header(request.url())));
    headers.sort();
    let mut out = format!("{} {}\n", request.method(), request.url());
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\n"));
    }
    match body_bytes(request) {
        [] => out.push_str("\n(no body)\n"),
        body => out.push_str(&format!("\n{}\n", mask_body(body))),
    }
    out
}

/// A JSON body fit to print: the values of fields that hold a secret (`password`,
/// `*_password`, `secret*`, `pwd`) are masked; other bodies print as they are.
pub fn mask_body(body: &[u8]) -> String {
    fn secret(key: &str) -> bool {
        let key = key.to_ascii_lowercase();
        key.contains("password") || key.contains("secret") || key.contains("pwd")
    }
    fn mask(value: &mut serde_json::Value) -> bool {
        let mut masked = false;
        match value {
            serde_json::Value::Object(fields) => {
                for (key, field) in fields.iter_mut() {
                    if secret(key) && !field.is_null() {
                        *field = serde_json::Value::String("***".into());
                        masked = true;
                    } else {
                        masked |= mask(field);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    masked |= mask(item);
                }
            }
            _ => {}
        }
        masked
    }
    if let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(body) {
        if mask(&mut json) {
            return json.to_string();
        }
    }
    String::from_utf8_lossy(body).into_owned()
}

/// A header value fit to print: tokens, passwords and signatures (replayable for 15
/// minutes) are masked; the scheme, access key and signed-header list stay readable.
pub fn mask_header(name: &str, value: &str) -> String {
    let name = name.to_ascii_lowercase();
    if name == X_AUTH_TOKEN || name == X_SECURITY_TOKEN {
        return "***".into();
    }
    if name != "authorization" {
        return value.to_string();
    }
    if let Some((head, _)) = value.split_once("Signature=") {
        return format!("{head}Signature=***");
    }
    match value.split_once(' ') {
        Some((scheme, credential)) if scheme == ocp::ALGORITHM => {
            let access_key = credential.split_once(':').map_or("", |(id, _)| id);
            format!("{scheme} {access_key}:***")
        }
        Some((scheme, _)) => format!("{scheme} ***"),
        None => "***".into(),
    }
}

/// Builds a [`Runtime`].
#[derive(Debug)]
pub struct RuntimeBuilder {
    settings: Settings,
}

impl RuntimeBuilder {
    /// The retry policy (default: 3 attempts, exponential backoff with jitter).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// The clock signatures are dated with (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.settings.clock = clock;
        self
    }

    /// Seconds to add to the clock when dating signatures, for a host whose clock is off
    /// (the gateways reject dates more than 15 minutes away from theirs).
    pub fn clock_offset_secs(mut self, offset: i64) -> Self {
        self.settings.clock_offset_secs = offset;
        self
    }

    /// Time allowed for the whole call, every attempt and wait included (default 90 s):
    /// AWS's "operation timeout", beside the per-attempt [`RuntimeBuilder::timeout`].
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.settings.operation_timeout = timeout;
        self
    }

    /// The largest answer body read, in bytes (default 8 MiB); a larger one fails the call
    /// with [`crate::TransportKind::BodyTooLarge`] and is not read further.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.settings.max_body_bytes = limit;
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from connecting to the end of the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// The bounds of every list walk (`.stream()`, default [`crate::ListLimits::default`]);
    /// without a deadline of its own, a walk gets the call's
    /// ([`RuntimeBuilder::operation_timeout`]) for all its pages together.
    pub fn list_limits(mut self, limits: crate::paginate::ListLimits) -> Self {
        self.settings.list_limits = limits;
        self
    }

    /// Describe requests into `sink` instead of sending them (`--dry-run`).
    pub fn dry_run(mut self, sink: DryRun) -> Self {
        self.settings.dry_run = Some(sink);
        self
    }

    /// Checks the credentials can go into headers, and the settings are within bounds, and
    /// builds the runtime.
    pub fn build(self) -> Result<Runtime, ConfigError> {
        validate_credentials(&self.settings.credentials)?;
        validate_settings(&self.settings)?;
        let signer = match &self.settings.credentials {
            Credentials::AkSk {
                access_key,
                secret_key,
                ..
            } => Some(sdk_hmac_sha256::Signer::new(
                access_key,
                secret_key.expose(),
            )),
            _ => None,
        };
        Ok(Runtime {
            fixed_headers: FixedHeaders::of(&self.settings.credentials),
            settings: Arc::new(self.settings),
            signer,
            base: Default::default(),
        })
    }
}

fn validate_settings(settings: &Settings) -> Result<(), ConfigError> {
    let invalid = |setting: &'static str, reason: String| {
        Err(ConfigError::InvalidSetting { setting, reason })
    };
    let attempts = settings.retry.max_attempts;
    if !(1..=RetryPolicy::MAX_ATTEMPTS).contains(&attempts) {
        return invalid(
            "retry.max_attempts",
            format!(
                "{attempts} is not between 1 and {}",
                RetryPolicy::MAX_ATTEMPTS
            ),
        );
    }
    let offset = settings.clock_offset_secs;
    if offset.unsigned_abs() > limits::MAX_CLOCK_OFFSET_SECS.unsigned_abs() {
        return invalid(
            "clock_offset_secs",
            format!(
                "{offset} is more than a day ({} s) away",
                limits::MAX_CLOCK_OFFSET_SECS
            ),
        );
    }
    for (setting, value) in [
        ("connect_timeout", settings.connect_timeout),
        ("timeout", settings.timeout),
        ("operation_timeout", settings.operation_timeout),
    ] {
        if value.is_zero() {
            return invalid(setting, "must be more than zero".into());
        }
    }
    if settings.max_body_bytes == 0 {
        return invalid("max_body_bytes", "must be more than zero".into());
    }
    Ok(())
}

fn validate_credentials(credentials: &Credentials) -> Result<(), ConfigError> {
    let printable =
        |value: &str| !value.is_empty() && value.bytes().all(|b| (0x20..0x7f).contains(&b));
    let check = |name: &'static str, value: &str| {
        if printable(value) {
            Ok(())
        } else {
            Err(ConfigError::InvalidCredential(name))
        }
    };
    // A secret key only keys the HMAC and never goes into a header: any non-empty text.
    let check_key = |name: &'static str, value: &str| {
        if value.is_empty() {
            Err(ConfigError::InvalidCredential(name))
        } else {
            Ok(())
        }
    };
    match credentials {
        Credentials::Anonymous => Ok(()),
        Credentials::Token { token, project_id } => {
            check("token", token.expose())?;
            project_id
                .as_deref()
                .map_or(Ok(()), |p| check("project_id", p))
        }
        Credentials::AkSk {
            access_key,
            secret_key,
            project_id,
            security_token,
        } => {
            check("access_key", access_key)?;
            check_key("secret_key", secret_key.expose())?;
            project_id
                .as_deref()
                .map_or(Ok(()), |p| check("project_id", p))?;
            security_token
                .as_ref()
                .map_or(Ok(()), |t| check("security_token", t.expose()))
        }
        Credentials::Basic { username, password } => {
            check("username", username)?;
            check("password", password.expose())
        }
        Credentials::OcpAccessKey {
            access_key_id,
            secret,
        } => {
            check("access_key_id", access_key_id)?;
            check_key("secret", secret.expose())
        }
    }
}

impl Runtime {
    /// A builder with default retries, timeouts and the system clock.
    pub fn builder(credentials: Credentials) -> RuntimeBuilder {
        RuntimeBuilder {
            settings: Settings {
                credentials,
                retry: RetryPolicy::default(),
                clock: Clock::system(),
                clock_offset_secs: 0,
                connect_timeout: limits::CONNECT_TIMEOUT,
                timeout: limits::ATTEMPT_TIMEOUT,
                operation_timeout: limits::OPERATION_TIMEOUT,
                max_body_bytes: limits::MAX_BODY_BYTES,
                list_limits: crate::paginate::ListLimits::default(),
                dry_run: None,
            },
        }
    }

    /// A runtime with defaults.
    pub fn new(credentials: Credentials) -> Result<Self, ConfigError> {
        Self::builder(credentials).build()
    }

    /// The credentials (secrets print as `***`).
    pub fn credentials(&self) -> &Credentials {
        &self.settings.credentials
    }

    /// The project the credentials are scoped to, if any.
    pub fn project_id(&self) -> Option<&str> {
        self.settings.credentials.project_id()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.settings.retry
    }

    /// The bounds of a list walk (`.stream()`): the page and item caps, and the call's
    /// deadline for the whole walk.
    pub fn list_limits(&self) -> crate::paginate::ListLimits {
        let limits = self.settings.list_limits;
        match limits.deadline {
            Some(_) => limits,
            None => limits.deadline(self.settings.operation_timeout),
        }
    }

    /// An HTTP client with this runtime's timeouts, `user_agent`, and no redirects followed
    /// (so credentials never travel to another host).
    pub fn http_client(&self, user_agent: &str) -> Result<reqwest::Client, ConfigError> {
        self.http_client_builder(user_agent)
            .build()
            .map_err(|e| ConfigError::HttpClient(e.to_string()))
    }

    /// The builder behind [`Runtime::http_client`], to add reqwest's own options (a proxy,
    /// custom root certificates) before handing the client to
    /// [`crate::ServiceClient::with_http_client`].
    ///
    /// Its TLS backend is the one the crate's features select ([`crate::tls`]).
    pub fn http_client_builder(&self, user_agent: &str) -> reqwest::ClientBuilder {
        crate::tls::with_backend(
            reqwest::Client::builder()
                .connect_timeout(self.settings.connect_timeout)
                .timeout(self.settings.timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(user_agent),
        )
    }

    /// The time signatures are dated with: the clock plus the configured offset (the clock
    /// alone should the sum leave what `SystemTime` can hold).
    pub fn now(&self) -> SystemTime {
        let now = self.settings.clock.now();
        let offset = Duration::from_secs(self.settings.clock_offset_secs.unsigned_abs());
        let moved = if self.settings.clock_offset_secs >= 0 {
            now.checked_add(offset)
        } else {
            now.checked_sub(offset)
        };
        moved.unwrap_or(now)
    }

    /// `url` parsed, by way of the base URL parsed once, when it is `base` (the client's
    /// base URL) followed by a plain path; `None`: parse it whole.
    pub(crate) fn parsed_url(&self, base: &str, url: &str) -> Option<url::Url> {
        self.base.url_of(base, url)
    }

    /// Adds the credentials' headers to `request`, signing it as it stands (URL, headers,
    /// body) when the scheme signs. Call it last, after every other change to the request.
    pub fn authenticate(&self, request: &mut reqwest::Request) {
        let now = self.now();
        request.headers_mut().remove(PROGENITOR_VERSION_HEADER);
        match &self.settings.credentials {
            Credentials::Anonymous => {}
            Credentials::Token { .. } | Credentials::Basic { .. } => {
                self.fixed_headers.insert_into(request);
            }
            Credentials::AkSk { .. } => {
                let date = SdkDate::of(now);
                set(request, X_SDK_DATE_HEADER, date.as_str(), false);
                self.fixed_headers.insert_into(request);
                declare_unsigned_payload(request);
                if let Some(signer) = &self.signer {
                    let authorization = sign_sdk_hmac_sha256(request, signer, date.as_str());
                    set_owned(request, AUTHORIZATION, authorization, true);
                }
            }
            Credentials::OcpAccessKey {
                access_key_id,
                secret,
            } => {
                let date = httpdate::fmt_http_date(now);
                set(request, DATE_HEADER, &date, false);
                let authorization = sign_ocp(request, access_key_id, secret.expose(), &date);
                set(request, AUTHORIZATION, &authorization, true);
            }
        }
    }

    /// Sends `request` for `operation`: authenticates each attempt afresh, retries what is
    /// safe to retry, reads the answer within the body limit and the call's deadline,
    /// checks a success answer for a failure it reports (`dialect`), and traces the call.
    /// Secrets are never logged.
    ///
    /// The work that needs no waiting (the query made unambiguous, the attempts planned,
    /// each attempt signed) is done before the future is built or polled, so the future holds
    /// only what lives across a wait: it is moved whole as callers await it.
    pub fn execute<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &Operation,
        dialect: Dialect,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        let span = tracing::info_span!(
            "dbplane.call",
            operation = operation.id,
            method = %request.method(),
            host = request.url().host_str().unwrap_or_default(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        Box::pin(
            self.attempts(http, request, operation, dialect)
                .instrument(span),
        )
    }

    fn attempts<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut template: reqwest::Request,
        operation: &Operation,
        dialect: Dialect,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + 'a {
        unambiguous_query(template.url_mut());
        // The spec's `#operation` key for operations that share a method and path is no part
        // of the request: nothing sends, signs, logs or prints it.
        if template.url().fragment().is_some() {
            template.url_mut().set_fragment(None);
        }
        let started = Instant::now();
        let deadline = self.settings.operation_timeout;
        let repeatable = operation.is_repeatable(template.method());
        // A streaming body cannot be replayed: such a request gets exactly one attempt. The
        // last attempt the policy allows sends the request itself; earlier ones send a copy.
        let max_attempts = self.settings.retry.max_attempts.max(1);
        // A body given as bytes is shared by every copy, never copied itself.
        let body = match max_attempts {
            1 => None,
            _ => shared_body(&mut template),
        };
        let mut template = Some(template);
        async move {
            let mut attempt: u32 = 1;
            loop {
                // In a block of its own, so that no request outlives it in the future: each
                // is moved into reqwest before the wait.
                let (sent, replayable) = {
                    let copy = match &template {
                        Some(template) if attempt < max_attempts => copy_for_retry(template, &body),
                        _ => None,
                    };
                    let (request, replayable) = match copy {
                        Some(copy) => (copy, true),
                        None => match template.take() {
                            Some(only) => (only, false),
                            None => {
                                return Ok(self.fail(attempt, false, TransportKind::Other, None));
                            }
                        },
                    };
                    let remaining = deadline.saturating_sub(started.elapsed());
                    let sent = self.send_once(http, request, attempt);
                    (tokio::time::timeout(remaining, sent), replayable)
                };
                let result = match sent.await {
                    Ok(result) => result,
                    Err(_) => {
                        tracing::debug!(attempt, "the call's deadline passed during an attempt");
                        let kind = TransportKind::Deadline {
                            elapsed: started.elapsed(),
                        };
                        return Ok(self.fail(attempt, !repeatable, kind, None));
                    }
                };
                let wait = if replayable && attempt < max_attempts {
                    self.retry_wait(&result, attempt, repeatable)
                } else {
                    None
                };
                match wait {
                    Some(wait) if started.elapsed() + wait < deadline => {
                        tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                        drop(result);
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                    }
                    Some(_) => {
                        tracing::debug!(attempt, "no retry: it would pass the call's deadline");
                        return self.finish(result, attempt, repeatable, dialect);
                    }
                    None => return self.finish(result, attempt, repeatable, dialect),
                }
            }
        }
    }

    /// The last attempt's result, as the call's: records attempts and whether a failure
    /// may have been applied, and marks a success answer that reports failure.
    fn finish(
        &self,
        result: Result<Answer, AttemptError>,
        attempts: u32,
        repeatable: bool,
        dialect: Dialect,
    ) -> reqwest::Result<reqwest::Response> {
        match result {
            Ok(Answer { mut response, body }) => {
                let status = response.status().as_u16();
                // A gateway that lost the service's answer: the request may have been applied.
                let ambiguous = !repeatable && matches!(status, 502 | 504);
                call::record(|r| {
                    r.attempts = attempts;
                    r.may_have_been_applied = ambiguous;
                });
                if response.status().is_success() {
                    let request_id = || call::request_id(response.headers());
                    if let Some(failure) =
                        dialect.failure_in_success_with(status, request_id, &body)
                    {
                        let marker = FailureMarker(failure.to_string());
                        call::record(|r| r.failure = Some(CallFailure::Api(Box::new(failure))));
                        response.extensions_mut().insert(marker);
                    }
                }
                Ok(response)
            }
            Err(AttemptError::Http(error)) => {
                call::record(|r| {
                    r.attempts = attempts;
                    r.may_have_been_applied = !repeatable && !error.is_connect();
                });
                Err(error)
            }
            Err(AttemptError::TooLarge { status }) => {
                let limit = self.settings.max_body_bytes;
                let applied = !repeatable && !(400..500).contains(&status);
                Ok(self.fail(
                    attempts,
                    applied,
                    TransportKind::BodyTooLarge { limit },
                    Some(status),
                ))
            }
        }
    }

    /// A stand-in response carrying a failure the runtime found; progenitor's `post` hook
    /// turns it into an error.
    fn fail(
        &self,
        attempts: u32,
        may_have_been_applied: bool,
        kind: TransportKind,
        status: Option<u16>,
    ) -> reqwest::Response {
        let failure = CallFailure::Transport { kind, status };
        let marker = FailureMarker(failure.to_string());
        call::record(|r| {
            r.attempts = attempts;
            r.may_have_been_applied = may_have_been_applied;
            r.failure = Some(failure);
        });
        let mut response = http::Response::new(Vec::<u8>::new());
        *response.status_mut() = http::StatusCode::BAD_GATEWAY;
        response.extensions_mut().insert(marker);
        reqwest::Response::from(response)
    }

    /// Authenticates and sends one attempt, and reads its answer within the body limit. The
    /// request is signed and handed to reqwest before the future is built.
    fn send_once<'a>(
        &'a self,
        http: &'a reqwest::Client,
        mut request: reqwest::Request,
        attempt: u32,
    ) -> impl Future<Output = Result<Answer, AttemptError>> + 'a {
        let span = tracing::Span::current();
        span.record("attempt", attempt);
        self.authenticate(&mut request);
        let pending = match &self.settings.dry_run {
            Some(sink) => {
                sink.record(&request);
                None
            }
            None => Some(http.execute(request)),
        };
        async move {
            let Some(pending) = pending else {
                return Ok(Answer {
                    response: not_sent(),
                    body: Bytes::new(),
                });
            };
            let response = self.observe(&span, pending.await.map_err(AttemptError::Http)?, attempt);
            let (response, body) = read_bounded(response, self.settings.max_body_bytes).await?;
            call::record(|r| r.body = body.clone());
            Ok(Answer { response, body })
        }
    }

    /// Records an answer's status and request id in the call's span, log and record.
    fn observe(
        &self,
        span: &tracing::Span,
        response: reqwest::Response,
        attempt: u32,
    ) -> reqwest::Response {
        let status = response.status().as_u16();
        let request_id = response.headers().get(call::REQUEST_ID);
        let request_id_text = request_id.and_then(|v| v.to_str().ok());
        span.record("status", status);
        if let Some(id) = request_id_text {
            span.record("request_id", id);
        }
        tracing::debug!(
            attempt,
            status,
            request_id = request_id_text.unwrap_or_default(),
            "answer received"
        );
        let seen = (status, request_id.cloned());
        call::record(|r| r.seen = Some(seen));
        response
    }

    /// How long to wait before another attempt, or `None` when this result is final.
    /// Throttling (429) and failures to connect are retried for every operation: the
    /// service did not act. Gateway errors, timeouts and broken answers are retried only
    /// for operations that are safe to repeat.
    fn retry_wait(
        &self,
        result: &Result<Answer, AttemptError>,
        attempt: u32,
        repeatable: bool,
    ) -> Option<Duration> {
        let policy = &self.settings.retry;
        match result {
            Ok(Answer { response, .. }) => {
                let status = response.status().as_u16();
                let retry =
                    status == 429 || (repeatable && RetryPolicy::is_retryable_status(status));
                if !retry {
                    return None;
                }
                let asked = retry::asked_delay(response.headers(), SystemTime::now());
                policy.delay(attempt + 1, asked)
            }
            Err(AttemptError::Http(error)) if error.is_connect() => policy.delay(attempt + 1, None),
            Err(AttemptError::Http(_)) if repeatable => policy.delay(attempt + 1, None),
            Err(_) => None,
        }
    }
}

/// reqwest's `.query()` writes a space as `+`, which gateways may read as a plus sign; a
/// literal `+` it writes as `%2B`. So every `+` is a space: send it as `%20`, the one spelling
/// every server (and the signature) reads the same way.
fn unambiguous_query(url: &mut url::Url) {
    if let Some(query) = url.query().filter(|q| q.contains('+')) {
        let query = query.replace('+', "%20");
        url.set_query(Some(&query));
    }
}

/// Why one attempt brought no answer the call can use.
enum AttemptError {
    /// reqwest's error: connecting, sending, a timeout, a broken body.
    Http(reqwest::Error),
    /// The answer's body passed the limit.
    TooLarge { status: u16 },
}

/// An attempt's answer: the response, its body read (and carried as [`ReadBody`]), and
/// the body.
struct Answer {
    response: reqwest::Response,
    body: Bytes,
}

/// The body of `request` as bytes that copies can share, when it is bytes (a stream is not):
/// reqwest keeps such a body in one piece and hands it out whole, uncopied. The request keeps
/// the same bytes as its body.
fn shared_body(request: &mut reqwest::Request) -> Option<Bytes> {
    use http_body::Body as _;
    let mut body = request.body_mut().take()?;
    if body.as_bytes().is_none() {
        *request.body_mut() = Some(body);
        return None;
    }
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    let bytes = match std::pin::Pin::new(&mut body).poll_frame(&mut context) {
        std::task::Poll::Ready(Some(Ok(frame))) => frame.into_data().unwrap_or_default(),
        _ => Bytes::new(),
    };
    *request.body_mut() = Some(reqwest::Body::from(bytes.clone()));
    Some(bytes)
}

/// A copy of `template` to send while keeping it for another attempt, its body the shared
/// `body`; `None` when the template's body is a stream, which cannot be sent twice. Unlike
/// `Request::try_clone` it gives the copy no timeout of its own (the client's applies), so
/// it allocates no extensions.
fn copy_for_retry(template: &reqwest::Request, body: &Option<Bytes>) -> Option<reqwest::Request> {
    if template.timeout().is_some() {
        return template.try_clone();
    }
    if template.body().is_some() && body.is_none() {
        return None;
    }
    let mut copy = reqwest::Request::new(template.method().clone(), template.url().clone());
    // Room for the headers authentication adds (a token, or a date, a project, a signature),
    // so that adding them does not grow the map again.
    let mut headers = reqwest::header::HeaderMap::with_capacity(template.headers().len() + 4);
    for (name, value) in template.headers() {
        headers.append(name.clone(), value.clone());
    }
    *copy.headers_mut() = headers;
    *copy.version_mut() = template.version();
    *copy.body_mut() = body.clone().map(reqwest::Body::from);
    Some(copy)
}

/// Reads the whole body, stopping at `limit` bytes, so that what progenitor reads is
/// bounded; the answer carries the bytes as [`ReadBody`]. A body that arrives in one piece is
/// kept as it is.
#[allow(clippy::manual_async_fn)] // see the comment in its body
fn read_bounded(
    mut response: reqwest::Response,
    limit: usize,
) -> impl Future<Output = Result<(reqwest::Response, Bytes), AttemptError>> {
    // The response is the future's own (no second copy of it, as an `async fn`'s argument
    // and its binding would be).
    async move {
        let status = response.status();
        let too_large = || AttemptError::TooLarge {
            status: status.as_u16(),
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut read = Chunks::default();
        let mut length = 0usize;
        while let Some(chunk) = response.chunk().await.map_err(AttemptError::Http)? {
            length += chunk.len();
            if length > limit {
                return Err(too_large());
            }
            read.push(chunk);
        }
        let body = read.whole();
        response.extensions_mut().insert(ReadBody(body.clone()));
        Ok((response, body))
    }
}

/// The whole body of the answer whose extensions hold it, which the runtime has read: that
/// answer's own body is spent. [`crate::__private::read_answer`] reads this instead, and
/// [`unread`] gives an answer its body back for anything else that reads it.
#[derive(Clone)]
pub(crate) struct ReadBody(Bytes);

/// The body the runtime read of `response`, taken out of it; `None` when it read none (the
/// response's own body is then unread).
pub(crate) fn take_read_body(response: &mut reqwest::Response) -> Option<Bytes> {
    response
        .extensions_mut()
        .remove::<ReadBody>()
        .map(|ReadBody(body)| body)
}

/// `response` with the body the runtime read of it as its body again, for a reader other than
/// [`crate::__private::read_answer`] (a stream, or an answer no status of the spec names).
pub(crate) fn unread(mut response: reqwest::Response) -> reqwest::Response {
    match take_read_body(&mut response) {
        Some(body) => rebuild(response, body),
        None => response,
    }
}

/// A body's chunks as they arrive, kept as one piece: a body that arrives in one chunk is
/// kept as it is, uncopied; later chunks are joined in one buffer.
#[derive(Default)]
pub(crate) struct Chunks {
    first: Bytes,
    rest: Option<bytes::BytesMut>,
}

impl Chunks {
    /// Adds the next chunk.
    pub(crate) fn push(&mut self, chunk: Bytes) {
        match &mut self.rest {
            Some(rest) => rest.extend_from_slice(&chunk),
            None if self.first.is_empty() => self.first = chunk,
            None => {
                let mut joined = bytes::BytesMut::with_capacity(self.first.len() + chunk.len());
                joined.extend_from_slice(&self.first);
                joined.extend_from_slice(&chunk);
                self.rest = Some(joined);
            }
        }
    }

    /// The body read so far, whole.
    pub(crate) fn whole(self) -> Bytes {
        self.rest.map_or(self.first, bytes::BytesMut::freeze)
    }
}

/// `response` again, around `body` (read whole): the same status, version, headers,
/// extensions and URL. Without the URL, reqwest would parse a stand-in one per answer.
fn rebuild(mut response: reqwest::Response, body: Bytes) -> reqwest::Response {
    use reqwest::ResponseBuilderExt as _;
    let url = response.url().clone();
    let mut builder = http::Response::builder();
    // The answer's own extensions, and the URL among them.
    if let Some(extensions) = builder.extensions_mut() {
        *extensions = std::mem::take(response.extensions_mut());
    }
    // A builder given an extension only has nothing to refuse; were it ever to, the answer
    // is still whole, with reqwest's stand-in URL.
    let mut rebuilt = builder
        .url(url)
        .body(body.clone())
        .unwrap_or_else(|_| http::Response::new(body));
    *rebuilt.status_mut() = response.status();
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = std::mem::take(response.headers_mut());
    reqwest::Response::from(rebuilt)
}

/// The stand-in answer of a dry run: `204 No Content`, which no operation documents.
fn not_sent() -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = http::StatusCode::NO_CONTENT;
    reqwest::Response::from(response)
}

/// An `X-Sdk-Date` value, `YYYYMMDDTHHMMSSZ` in UTC, written without allocating.
struct SdkDate([u8; 16]);

impl SdkDate {
    fn of(at: SystemTime) -> Self {
        let t = time::OffsetDateTime::from(at);
        let mut out = *b"00000000T000000Z";
        let mut put = |at: usize, width: usize, mut n: u32| {
            for i in (at..at + width).rev() {
                out[i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        // Years past 9999 keep their last four digits, as `[year]` would not: never reached
        // by a clock within a day of the system's.
        put(0, 4, t.year().rem_euclid(10_000) as u32);
        put(4, 2, u32::from(u8::from(t.month())));
        put(6, 2, u32::from(t.day()));
        put(9, 2, u32::from(t.hour()));
        put(11, 2, u32::from(t.minute()));
        put(13, 2, u32::from(t.second()));
        Self(out)
    }

    fn as_str(&self) -> &str {
        // ASCII digits, `T` and `Z` only.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// `X-Sdk-Date` format: `YYYYMMDDTHHMMSSZ` in UTC.
pub fn sdk_date(at: SystemTime) -> String {
    SdkDate::of(at).as_str().to_string()
}

/// Inserts a header; a value that is not a valid header (ruled out for credentials by
/// [`RuntimeBuilder::build`]) is skipped rather than sent malformed.
fn set(request: &mut reqwest::Request, name: HeaderName, value: &str, secret: bool) {
    if let Some(value) = header_value(&name, HeaderValue::from_str(value), secret) {
        request.headers_mut().insert(name, value);
    }
}

/// [`set`] for a value made for the header: its bytes become the header's, uncopied.
fn set_owned(request: &mut reqwest::Request, name: HeaderName, value: String, secret: bool) {
    let value = HeaderValue::from_maybe_shared(Bytes::from(value));
    if let Some(value) = header_value(&name, value, secret) {
        request.headers_mut().insert(name, value);
    }
}

/// A header value, marked sensitive when `secret`; a value that is not valid is warned of
/// (by name only) and skipped.
fn header_value<E>(
    name: &HeaderName,
    value: Result<HeaderValue, E>,
    secret: bool,
) -> Option<HeaderValue> {
    match value {
        Ok(mut value) => {
            value.set_sensitive(secret);
            Some(value)
        }
        Err(_) => {
            tracing::warn!(
                header = name.as_str(),
                "skipped a header whose value is not valid"
            );
            None
        }
    }
}

/// As the official SDKs do, a body that is not JSON or BSON is signed as `UNSIGNED-PAYLOAD`,
/// declared in `X-Sdk-Content-Sha256` (unless the caller declared a hash already).
fn declare_unsigned_payload(request: &mut reqwest::Request) {
    let declared = request
        .headers()
        .contains_key(sdk_hmac_sha256::CONTENT_SHA256_HEADER);
    let unsigned = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
        .is_some_and(sdk_hmac_sha256::signs_unsigned_payload);
    if unsigned && !declared {
        set(
            request,
            HeaderName::from_static("x-sdk-content-sha256"),
            sdk_hmac_sha256::UNSIGNED_PAYLOAD,
            false,
        );
    }
}

/// Signs `host`, `content-type` and every `x-*` header (values as their UTF-8 bytes on the
/// wire), over the final URL and body.
fn sign_sdk_hmac_sha256(
    request: &reqwest::Request,
    signer: &sdk_hmac_sha256::Signer,
    date: &str,
) -> String {
    let url = request.url();
    // `host:port` on the stack when it fits (any DNS name does); `sign::host_header` else.
    let mut buffer = [0u8; 272];
    let long;
    let host = match url.port() {
        None => url.host_str().unwrap_or_default(),
        Some(port) => match host_with_port(url.host_str().unwrap_or_default(), port, &mut buffer) {
            Some(host) => host,
            None => {
                long = sign::host_header(url);
                &long
            }
        },
    };
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(request.headers().len() + 1);
    headers.push(("host", host));
    headers.extend(
        request
            .headers()
            .iter()
            .filter(|(name, _)| *name == CONTENT_TYPE || name.as_str().starts_with("x-"))
            .filter_map(|(name, value)| {
                Some((name.as_str(), std::str::from_utf8(value.as_bytes()).ok()?))
            }),
    );
    // In the canonical order already (reqwest's names are lower case): the signer then
    // needs no sorted copy of its own.
    headers.sort_by(|a, b| a.0.cmp(b.0));
    let body = body_bytes(request);
    let signable = sdk_hmac_sha256::SignableRequest {
        method: request.method().as_str(),
        url: request.url(),
        headers: &headers,
        body,
    };
    signer.authorization(date, &signable)
}

/// `host:port` written into `buffer`; `None` when it does not fit.
fn host_with_port<'b>(host: &str, port: u16, buffer: &'b mut [u8; 272]) -> Option<&'b str> {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(&mut buffer[..]);
    write!(cursor, "{host}:{port}").ok()?;
    let length = usize::try_from(cursor.position()).ok()?;
    std::str::from_utf8(&buffer[..length]).ok()
}

fn sign_ocp(request: &reqwest::Request, access_key_id: &str, secret: &str, date: &str) -> String {
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let signable = ocp::SignableRequest {
        method: request.method().as_str(),
        url: request.url(),
        content_type: request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        date,
        headers: &headers,
        body: body_bytes(request),
    };
    ocp::authorization(access_key_id, secret, &signable)
}

fn body_bytes(request: &reqwest::Request) -> &[u8] {
    request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> SystemTime {
        httpdate::parse_http_date(date).unwrap()
    }

    #[test]
    fn the_header_date_is_the_formatted_date() {
        // Every second of a leap day, a year's turn and the ends of the range `time` reads.
        let starts = [
            951_782_400u64,
            1_703_980_800,
            0,
            253_402_300_000 - 86_400 * 2,
        ];
        for start in starts {
            for second in (0..86_400 * 2).step_by(7) {
                let at = SystemTime::UNIX_EPOCH + Duration::from_secs(start + second);
                let format =
                    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
                let formatted = time::OffsetDateTime::from(at).format(&format).unwrap();
                assert_eq!(SdkDate::of(at).as_str(), formatted, "{at:?}");
            }
        }
    }

    #[tokio::test]
    async fn a_rebuilt_answer_keeps_all_but_its_body_stream() {
        use reqwest::ResponseBuilderExt as _;
        #[derive(Clone, Debug, PartialEq)]
        struct Mark(u32);
        let url: url::Url = "https://rds.example/v3/p/instances?limit=10"
            .parse()
            .unwrap();
        let answer = http::Response::builder()
            .status(409)
            .version(http::Version::HTTP_2)
            .header("x-request-id", "r-1")
            .header("x-other", "a")
            .header("x-other", "b")
            .extension(Mark(7))
            .url(url.clone())
            .body("unread")
            .unwrap();
        let rebuilt = rebuild(reqwest::Response::from(answer), Bytes::from_static(b"{}"));
        assert_eq!(rebuilt.status(), 409);
        assert_eq!(rebuilt.version(), http::Version::HTTP_2);
        assert_eq!(rebuilt.url(), &url);
        assert_eq!(rebuilt.headers()["x-request-id"], "r-1");
        let others: Vec<_> = rebuilt.headers().get_all("x-other").iter().collect();
        assert_eq!(others, ["a", "b"]);
        assert_eq!(rebuilt.extensions().get::<Mark>(), Some(&Mark(7)));
        assert_eq!(rebuilt.bytes().await.unwrap(), "{}");
    }

    #[tokio::test]
    async fn an_answer_read_by_the_runtime_is_decoded_from_its_read_body_or_handed_on_with_it() {
        let answer = |body: &'static str| {
            reqwest::Response::from(
                http::Response::builder()
                    .status(200)
                    .header("x-request-id", "r-1")
                    .body(body)
                    .unwrap(),
            )
        };
        let body = r#"{"job_id": "j-1"}"#;
        // Read as the runtime reads an attempt's answer: its own body is then spent.
        let (read, bytes) = read_bounded(answer(body), 1024).await.ok().unwrap();
        assert_eq!(bytes, body);
        let value = crate::__private::read_answer::<serde_json::Value, ()>(read)
            .await
            .unwrap();
        assert_eq!(value.headers()["x-request-id"], "r-1");
        assert_eq!(value.into_inner(), serde_json::json!({"job_id": "j-1"}));
        // Handed on whole (an undocumented status), it gets the same body back, once.
        let (read, _) = read_bounded(answer(body), 1024).await.ok().unwrap();
        let mut handed_on = unread(read);
        assert!(take_read_body(&mut handed_on).is_none());
        assert_eq!(handed_on.headers()["x-request-id"], "r-1");
        assert_eq!(handed_on.bytes().await.unwrap(), body);
        // An answer the runtime did not read keeps its own body.
        assert_eq!(unread(answer("{}")).bytes().await.unwrap(), "{}");
    }

    #[test]
    fn each_retry_copy_sends_the_templates_body_and_a_stream_gets_none() {
        let url: url::Url = "https://rds.example/v3/p/instances".parse().unwrap();
        let mut template = reqwest::Request::new(reqwest::Method::POST, url.clone());
        *template.body_mut() = Some(reqwest::Body::from(r#"{"name": "x"}"#));
        let body = shared_body(&mut template);
        assert_eq!(body.as_deref(), Some(&br#"{"name": "x"}"#[..]));
        for _ in 0..3 {
            let copy = copy_for_retry(&template, &body).expect("bytes can be sent again");
            assert_eq!(
                copy.body().and_then(reqwest::Body::as_bytes),
                body.as_deref()
            );
        }
        assert_eq!(
            template.body().and_then(reqwest::Body::as_bytes),
            body.as_deref()
        );

        let mut streaming = reqwest::Request::new(reqwest::Method::POST, url);
        *streaming.body_mut() = Some(reqwest::Body::wrap(String::from("a stream")));
        let body = shared_body(&mut streaming);
        assert_eq!(body, None);
        assert!(copy_for_retry(&streaming, &body).is_none());
        assert!(
            streaming.body().is_some(),
            "the stream stays the request's body"
        );
    }

    #[test]
    fn host_with_port_is_the_host_header_or_nothing() {
        let mut buffer = [0u8; 272];
        for (host, port) in [("ocp-host", 8080), ("127.0.0.1", 1), ("[::1]", 65535)] {
            let url = url::Url::parse(&format!("http://{host}:{port}/")).unwrap();
            assert_eq!(
                host_with_port(host, port, &mut buffer),
                Some(sign::host_header(&url).as_str())
            );
        }
        assert_eq!(host_with_port(&"a".repeat(270), 8080, &mut buffer), None);
    }

    #[test]
    fn sdk_date_format() {
        assert_eq!(
            sdk_date(at("Tue, 10 Sep 2024 02:07:58 GMT")),
            "20240910T020758Z"
        );
    }

    #[test]
    fn clock_offset_moves_the_signing_date() {
        let runtime = Runtime::builder(Credentials::Anonymous)
            .clock(Clock::fixed(at("Tue, 10 Sep 2024 02:07:58 GMT")))
            .clock_offset_secs(-60)
            .build()
            .unwrap();
        assert_eq!(sdk_date(runtime.now()), "20240910T020658Z");
    }

    #[test]
    fn credentials_that_cannot_be_headers_are_refused() {
        let err = Runtime::new(Credentials::token("line\nbreak")).unwrap_err();
        assert_eq!(err, ConfigError::InvalidCredential("token"));
    }

    #[test]
    fn secret_body_fields_are_masked_and_other_bodies_print_as_sent() {
        let body = br#"{"name":"db","password":"Secret-1","ha":{"replication_mode":"async"},"users":[{"name":"u","pwd":"p"}],"db_user_password":null}"#;
        let shown = mask_body(body);
        assert!(
            !shown.contains("Secret-1") && !shown.contains("\"p\""),
            "{shown}"
        );
        assert!(shown.contains(r#""password":"***""#), "{shown}");
        assert!(shown.contains(r#""pwd":"***""#), "{shown}");
        assert!(shown.contains(r#""db_user_password":null"#), "{shown}");
        let plain = br#"{"b":1,"a":2}"#;
        assert_eq!(mask_body(plain), r#"{"b":1,"a":2}"#, "byte for byte");
        assert_eq!(mask_body(b"not json password=x"), "not json password=x");
    }

    #[test]
    fn masks_keep_what_an_operator_checks() {
        assert_eq!(mask_header("X-Auth-Token", "MIItoken"), "***");
        assert_eq!(
            mask_header("authorization", "Basic YWRtaW46cHc="),
            "Basic ***"
        );
        assert_eq!(
            mask_header(
                "Authorization",
                "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc123"
            ),
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=***"
        );
        assert_eq!(
            mask_header("authorization", "OCP-ACCESS-KEY-HMACSHA1 id:c2ln"),
            "OCP-ACCESS-KEY-HMACSHA1 id:***"
        );
        assert_eq!(
            mask_header("x-sdk-date", "20240910T020758Z"),
            "20240910T020758Z"
        );
    }

    #[test]
    fn debug_of_runtime_hides_secrets() {
        let runtime =
            Runtime::new(Credentials::aksk("AK", "VERYSECRET").with_security_token("TEMPTOKEN"))
                .unwrap();
        let shown = format!("{runtime:?}");
        assert!(
            !shown.contains("VERYSECRET") && !shown.contains("TEMPTOKEN"),
            "{shown}"
        );
    }
}
