//! The runtime inside every generated client: it authenticates (signs) each attempt,
//! retries, and traces calls. Generated clients reach it through progenitor's `exec` hook.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tracing::Instrument;

use crate::call::{self, ResponseMeta};
use crate::credentials::Credentials;
use crate::error::ConfigError;
use crate::retry::{self, RetryPolicy};
use crate::sign::{self, ocp, sdk_hmac_sha256};

/// The header progenitor adds from `info.version`; no vendor documents it, so it is never sent.
const PROGENITOR_VERSION_HEADER: &str = "api-version";
const X_AUTH_TOKEN: &str = "x-auth-token";
const X_PROJECT_ID: &str = "x-project-id";
const X_SECURITY_TOKEN: &str = "x-security-token";
const X_SDK_DATE: &str = "x-sdk-date";

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
}

#[derive(Debug)]
struct Settings {
    credentials: Credentials,
    retry: RetryPolicy,
    clock: Clock,
    clock_offset_secs: i64,
    connect_timeout: Duration,
    timeout: Duration,
    dry_run: Option<DryRun>,
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
        body => out.push_str(&format!("\n{}\n", String::from_utf8_lossy(body))),
    }
    out
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

    /// Describe requests into `sink` instead of sending them (`--dry-run`).
    pub fn dry_run(mut self, sink: DryRun) -> Self {
        self.settings.dry_run = Some(sink);
        self
    }

    /// Checks the credentials can go into headers and builds the runtime.
    pub fn build(self) -> Result<Runtime, ConfigError> {
        validate_credentials(&self.settings.credentials)?;
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
            settings: Arc::new(self.settings),
            signer,
        })
    }
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
                connect_timeout: Duration::from_secs(10),
                timeout: Duration::from_secs(30),
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
    pub fn http_client_builder(&self, user_agent: &str) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .connect_timeout(self.settings.connect_timeout)
            .timeout(self.settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent)
    }

    /// The time signatures are dated with: the clock plus the configured offset.
    pub fn now(&self) -> SystemTime {
        let now = self.settings.clock.now();
        let offset = Duration::from_secs(self.settings.clock_offset_secs.unsigned_abs());
        if self.settings.clock_offset_secs >= 0 {
            now + offset
        } else {
            now - offset
        }
    }

    /// Adds the credentials' headers to `request`, signing it as it stands (URL, headers,
    /// body) when the scheme signs. Call it last, after every other change to the request.
    pub fn authenticate(&self, request: &mut reqwest::Request) {
        let now = self.now();
        request.headers_mut().remove(PROGENITOR_VERSION_HEADER);
        match &self.settings.credentials {
            Credentials::Anonymous => {}
            Credentials::Token { token, .. } => set(request, X_AUTH_TOKEN, token.expose(), true),
            Credentials::AkSk {
                project_id,
                security_token,
                ..
            } => {
                let date = sdk_date(now);
                set(request, X_SDK_DATE, &date, false);
                if let Some(project_id) = project_id {
                    set(request, X_PROJECT_ID, project_id, false);
                }
                if let Some(token) = security_token {
                    set(request, X_SECURITY_TOKEN, token.expose(), true);
                }
                declare_unsigned_payload(request);
                if let Some(signer) = &self.signer {
                    let authorization = sign_sdk_hmac_sha256(request, signer, &date);
                    set(request, AUTHORIZATION.as_str(), &authorization, true);
                }
            }
            Credentials::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                let value = format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                );
                set(request, AUTHORIZATION.as_str(), &value, true);
            }
            Credentials::OcpAccessKey {
                access_key_id,
                secret,
            } => {
                let date = httpdate::fmt_http_date(now);
                set(request, "date", &date, false);
                let authorization = sign_ocp(request, access_key_id, secret.expose(), &date);
                set(request, AUTHORIZATION.as_str(), &authorization, true);
            }
        }
    }

    /// Sends `request` for `operation_id`: authenticates each attempt afresh, retries as the
    /// policy allows, and traces the call. Secrets are never logged.
    pub async fn execute(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &str,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "dbplane.call",
            operation = operation_id,
            method = %request.method(),
            host = request.url().host_str().unwrap_or_default(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.attempts(http, request).instrument(span).await
    }

    async fn attempts(
        &self,
        http: &reqwest::Client,
        template: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let mut attempt: u32 = 1;
        loop {
            // A streaming body cannot be replayed: such a request gets exactly one attempt.
            let Some(request) = template.try_clone() else {
                return self.send_once(http, template, attempt).await;
            };
            let result = self.send_once(http, request, attempt).await;
            let wait = if attempt < self.settings.retry.max_attempts {
                self.retry_wait(&result, attempt)
            } else {
                None
            };
            let Some(wait) = wait else {
                return result;
            };
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Authenticates and sends one attempt, recording what came back.
    async fn send_once(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        attempt: u32,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::Span::current();
        span.record("attempt", attempt);
        self.authenticate(&mut request);
        if let Some(sink) = &self.settings.dry_run {
            sink.record(&request);
            return Ok(not_sent());
        }
        let result = http.execute(request).await;
        if let Ok(response) = &result {
            let meta = ResponseMeta::of(response, attempt);
            span.record("status", meta.status);
            if let Some(id) = &meta.request_id {
                span.record("request_id", id.as_str());
            }
            call::remember(meta);
        }
        result
    }

    /// How long to wait before another attempt, or `None` when this result is final.
    fn retry_wait(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        attempt: u32,
    ) -> Option<Duration> {
        let policy = &self.settings.retry;
        match result {
            Ok(response) if RetryPolicy::is_retryable_status(response.status().as_u16()) => policy
                .delay(
                    attempt + 1,
                    retry::asked_delay(response.headers(), SystemTime::now()),
                ),
            Ok(_) => None,
            Err(error) if error.is_connect() => policy.delay(attempt + 1, None),
            Err(_) => None,
        }
    }
}

/// The stand-in answer of a dry run: `204 No Content`, which no operation documents.
fn not_sent() -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = http::StatusCode::NO_CONTENT;
    reqwest::Response::from(response)
}

/// `X-Sdk-Date` format: `YYYYMMDDTHHMMSSZ` in UTC.
pub fn sdk_date(at: SystemTime) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::from(at)
        .format(&format)
        .unwrap_or_default()
}

/// Inserts a header; a value that is not a valid header (ruled out for credentials by
/// [`RuntimeBuilder::build`]) is skipped rather than sent malformed.
fn set(request: &mut reqwest::Request, name: &str, value: &str, secret: bool) {
    let (Ok(name), Ok(mut value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) else {
        tracing::warn!(header = name, "skipped a header whose value is not valid");
        return;
    };
    value.set_sensitive(secret);
    request.headers_mut().insert(name, value);
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
            sdk_hmac_sha256::CONTENT_SHA256_HEADER,
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
    let host = sign::host_header(request.url());
    let mut headers: Vec<(&str, &str)> = vec![("host", &host)];
    headers.extend(
        request
            .headers()
            .iter()
            .filter(|(name, _)| *name == CONTENT_TYPE || name.as_str().starts_with("x-"))
            .filter_map(|(name, value)| {
                Some((name.as_str(), std::str::from_utf8(value.as_bytes()).ok()?))
            }),
    );
    let body = body_bytes(request);
    let signable = sdk_hmac_sha256::SignableRequest {
        method: request.method().as_str(),
        url: request.url(),
        headers: &headers,
        body,
    };
    signer.authorization(date, &signable)
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
