//! What every operation command needs: credentials, endpoint, runtime settings, arguments.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use clap::ArgMatches;
use dbplane_core::{
    endpoint, Clock, ConfigError, Credentials, DryRun, Error, RetryPolicy, Runtime, ServiceClient,
};

/// Why a command failed; each kind has its own exit code.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments or configuration (exit 2).
    Usage(String),
    /// A failed call or missing credentials.
    Call(Error),
    /// An answer that cannot be printed.
    Json(serde_json::Error),
    /// stdout could not be written (a closed pipe).
    Output(std::io::Error),
    /// `--wait` ended without success.
    Wait(dbplane_core::WaitError),
}

impl CliError {
    /// 2 usage, 3 authentication, 4 vendor error, 5 transport (or an answer that cannot be
    /// trusted: undecodable, a list that does not end as it says).
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Call(Error::Config(
                ConfigError::MissingEnv(_)
                | ConfigError::InvalidEnv(_)
                | ConfigError::InvalidCredential(_)
                | ConfigError::MissingProjectId,
            )) => 3,
            Self::Call(Error::Config(_) | Error::InvalidInput { .. }) => 2,
            Self::Call(Error::Api(e)) if matches!(e.status, 401 | 403) => 3,
            Self::Call(Error::Api(_)) => 4,
            Self::Call(
                Error::Transport(_) | Error::InvalidResponse { .. } | Error::List { .. },
            )
            | Self::Json(_)
            | Self::Output(_) => 5,
            // A kind of failure added to the runtime later: not the user's doing.
            Self::Call(_) => 5,
            Self::Wait(dbplane_core::WaitError::Failed { .. }) => 4,
            Self::Wait(dbplane_core::WaitError::TimedOut { .. }) => 6,
            Self::Wait(dbplane_core::WaitError::Poll { source, .. }) => match source {
                Error::Api(e) if matches!(e.status, 401 | 403) => 3,
                Error::Api(_) => 4,
                Error::Transport(_) | Error::InvalidResponse { .. } | Error::List { .. } => 5,
                _ => 2,
            },
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Usage(message) => f.write_str(message),
            Self::Call(error) => write!(f, "{error}"),
            Self::Json(error) => write!(f, "cannot print the answer: {error}"),
            Self::Output(error) => write!(f, "cannot write the answer: {error}"),
            Self::Wait(error) => write!(f, "{error}"),
        }
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        Self::Call(error)
    }
}

impl From<ConfigError> for CliError {
    fn from(error: ConfigError) -> Self {
        Self::Call(error.into())
    }
}

impl From<serde_json::Error> for CliError {
    fn from(error: serde_json::Error) -> Self {
        Self::Json(error)
    }
}

/// Environment variables whose values are secrets: asked for, never taken as flags.
const SECRET_VARIABLES: [&str; 6] = [
    "HUAWEICLOUD_SDK_AUTH_TOKEN",
    "HUAWEICLOUD_SDK_SK",
    "OS_SECRET_KEY",
    "OS_AUTH_TOKEN",
    "OCP_ACCESS_KEY_SECRET",
    "OCP_PASSWORD",
];

fn is_secret(name: &str) -> bool {
    SECRET_VARIABLES.contains(&name)
}

/// Loads `vendor`'s credentials through `lookup`; the outer error is an unknown vendor.
fn load_credentials(
    vendor: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Result<Credentials, ConfigError>, CliError> {
    Ok(match vendor {
        "huaweicloud" => Credentials::huaweicloud_from_lookup(lookup),
        "otc" => Credentials::otc_from_lookup(lookup),
        "oceanbase" => Credentials::ocp_from_lookup(lookup),
        other => {
            return Err(CliError::Usage(format!(
                "no credentials are known for vendor `{other}`"
            )))
        }
    })
}

/// Secrets are asked for only on a terminal, and never in CI (where nobody answers).
fn may_prompt() -> bool {
    std::io::stdin().is_terminal() && std::env::var_os("CI").is_none_or(|v| v.is_empty())
}

/// Says on stderr which credentials are used when the environment holds several kinds.
fn announce_choice(vendor: &str, lookup: &dyn Fn(&str) -> Option<String>) {
    use std::io::Write;
    let sets = dbplane_core::credentials::credential_sets(vendor, lookup);
    if let [chosen, ignored @ ..] = sets.as_slice() {
        if !ignored.is_empty() {
            let _ = writeln!(
                std::io::stderr(),
                "note: using {chosen}; also set and ignored: {}",
                ignored.join(", ")
            );
        }
    }
}

/// `--max-pages` and `--max-items`, where the command has them.
fn list_limits(matches: &ArgMatches) -> dbplane_core::ListLimits {
    let given = |id: &str| matches.try_get_one::<u64>(id).ok().flatten().copied();
    let mut limits = dbplane_core::ListLimits::default();
    if let Some(pages) = given("max-pages") {
        limits = limits.max_pages(pages);
    }
    if let Some(items) = given("max-items") {
        limits = limits.max_items(items);
    }
    limits
}

/// The global options, and the credentials they lead to.
pub struct Context {
    region: Option<String>,
    endpoint: Option<String>,
    project_id: Option<String>,
    timeout: Duration,
    deadline: Duration,
    retries: u32,
    now: Option<SystemTime>,
    /// `--poll-ms` (hidden): a fixed delay between `--wait` polls.
    poll: Option<Duration>,
    /// Set with `--dry-run`: requests are described here instead of sent.
    pub dry_run: Option<DryRun>,
    /// `--max-pages` and `--max-items`, for `--all`.
    list_limits: dbplane_core::ListLimits,
    /// `--output` and `--query`.
    pub output: crate::output::Output,
    /// Set once `--all` has printed the answer itself, as it arrived.
    printed: std::sync::atomic::AtomicBool,
    credentials: OnceLock<Credentials>,
}

impl Context {
    /// Reads the global options.
    pub fn from_matches(matches: &ArgMatches) -> Result<Self, CliError> {
        Ok(Self {
            region: matches.get_one::<String>("region").cloned(),
            endpoint: matches.get_one::<String>("endpoint").cloned(),
            project_id: matches.get_one::<String>("project-id").cloned(),
            timeout: Duration::from_secs(matches.get_one::<u64>("timeout").copied().unwrap_or(30)),
            deadline: Duration::from_secs(
                matches.get_one::<u64>("deadline").copied().unwrap_or(90),
            ),
            retries: matches.get_one::<u32>("retries").copied().unwrap_or(2),
            now: matches
                .get_one::<u64>("now")
                .and_then(|s| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(*s))),
            poll: matches
                .get_one::<u64>("poll-ms")
                .map(|ms| Duration::from_millis(*ms)),
            dry_run: matches.get_flag("dry-run").then(DryRun::new),
            list_limits: list_limits(matches),
            output: crate::output::Output::from_matches(matches)?,
            printed: Default::default(),
            credentials: OnceLock::new(),
        })
    }

    /// The vendor's credentials, from the environment variables its users already set; a
    /// missing secret is asked for on the terminal (not echoed) when there is one.
    fn credentials(&self, vendor: &str) -> Result<Credentials, CliError> {
        if let Some(credentials) = self.credentials.get() {
            return Ok(credentials.clone());
        }
        dbplane_core::credentials::check_env_encoding(vendor)?;
        let from_env = |name: &str| std::env::var(name).ok();
        announce_choice(vendor, &from_env);
        let credentials = match load_credentials(vendor, &from_env)? {
            Err(ConfigError::MissingEnv(names))
                if may_prompt() && names.iter().all(|n| is_secret(n)) =>
            {
                let mut answers = HashMap::new();
                for name in names {
                    let answer = rpassword::prompt_password(format!("{name}: "))
                        .ok()
                        .filter(|a| !a.trim().is_empty())
                        // End of input or no answer: the secret is still missing (exit 3).
                        .ok_or_else(|| ConfigError::MissingEnv(vec![name.clone()]))?;
                    answers.insert(name, answer);
                }
                load_credentials(vendor, &|name| {
                    answers.get(name).cloned().or_else(|| from_env(name))
                })?
            }
            loaded => loaded,
        }?;
        Ok(self.credentials.get_or_init(|| credentials).clone())
    }

    /// A client for `vendor`'s service at `--endpoint`, else `--region` (OCP: `OCP_URL`).
    pub fn client<C: ServiceClient>(&self, vendor: &str) -> Result<C, CliError> {
        let mut builder = Runtime::builder(self.credentials(vendor)?)
            .timeout(self.timeout)
            .operation_timeout(self.deadline)
            .retry(RetryPolicy {
                max_attempts: self.retries + 1,
                ..RetryPolicy::default()
            })
            .list_limits(self.list_limits);
        if let Some(sink) = &self.dry_run {
            builder = builder.dry_run(sink.clone());
        }
        if let Some(now) = self.now {
            builder = builder.clock(Clock::fixed(now));
        }
        let runtime = builder.build()?;
        let ocp_url = || {
            (vendor == "oceanbase")
                .then(|| std::env::var("OCP_URL").ok())
                .flatten()
        };
        let base_url = match (&self.endpoint, &self.region) {
            (Some(url), _) => url.clone(),
            (None, Some(region)) => endpoint::region_url(C::SERVERS, region)?,
            (None, None) => ocp_url().ok_or_else(|| {
                CliError::Usage("pass --region or --endpoint (OCP: --endpoint or OCP_URL)".into())
            })?,
        };
        Ok(C::with_runtime(&base_url, runtime)?)
    }

    /// `--project-id`, else the project the credentials are scoped to.
    pub fn project_id(&self, vendor: &str) -> Result<String, CliError> {
        if let Some(project_id) = &self.project_id {
            return Ok(project_id.clone());
        }
        self.credentials(vendor)?
            .project_id()
            .map(str::to_string)
            .ok_or(CliError::Call(ConfigError::MissingProjectId.into()))
    }

    /// A required string argument.
    pub fn string<'m>(&self, matches: &'m ArgMatches, id: &str) -> Result<&'m str, CliError> {
        matches
            .get_one::<String>(id)
            .map(String::as_str)
            .ok_or_else(|| CliError::Usage(format!("missing argument `{id}`")))
    }

    /// A required integer argument.
    pub fn integer(&self, matches: &ArgMatches, id: &str) -> Result<i64, CliError> {
        matches
            .get_one::<i64>(id)
            .copied()
            .ok_or_else(|| CliError::Usage(format!("missing argument `{id}`")))
    }
}

/// `--body`: the request body as JSON, `@FILE`, or `-` for standard input.
/// `--body`: required where the operation requires a body (nothing is sent that the user
/// did not give), unless `--example-body` only prints the documented one.
pub fn body_arg(required: bool) -> clap::Arg {
    let arg = clap::Arg::new("body")
        .long("body")
        .value_name("JSON|@FILE|-")
        .help("The request body as JSON text, @FILE, or - (standard input); `--example-body` prints the documented one to start from");
    if required {
        arg.required_unless_present("example-body")
    } else {
        arg
    }
}

/// `--example-body`: prints the documented example body and exits; nothing is sent.
pub fn example_body_arg() -> clap::Arg {
    clap::Arg::new("example-body")
        .long("example-body")
        .action(clap::ArgAction::SetTrue)
        .conflicts_with("body")
        .help("Print the documented example body (a start for --body) and exit; sends nothing")
}

/// The largest `--body`, from any source (inline, `@FILE`, `-`): control-plane request
/// bodies are a few KiB.
pub const MAX_BODY_BYTES: u64 = 1 << 20;

/// The text of `--body`: inline JSON, `@FILE`, or `-` (standard input), each read up to
/// [`MAX_BODY_BYTES`] and no further.
fn read_body(given: &str) -> Result<String, CliError> {
    let (source, bytes) = match given {
        "-" => {
            let source = "standard input".to_string();
            let bytes = read_at_most(std::io::stdin().lock(), &source)?;
            (source, bytes)
        }
        file if file.starts_with('@') => {
            let path = &file[1..];
            let source = format!("file {path}");
            let opened = std::fs::File::open(path)
                .map_err(|e| CliError::Usage(format!("cannot read the body from {source}: {e}")))?;
            let bytes = read_at_most(opened, &source)?;
            (source, bytes)
        }
        json => ("--body".to_string(), json.as_bytes().to_vec()),
    };
    if bytes.len() as u64 > MAX_BODY_BYTES {
        return Err(body_too_large(&source));
    }
    String::from_utf8(bytes)
        .map_err(|_| CliError::Usage(format!("the body from {source} is not UTF-8 text")))
}

/// Reads `reader` to its end, or to one byte past [`MAX_BODY_BYTES`] (then refused).
fn read_at_most(reader: impl Read, source: &str) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Usage(format!("cannot read the body from {source}: {e}")))?;
    if bytes.len() as u64 > MAX_BODY_BYTES {
        return Err(body_too_large(source));
    }
    Ok(bytes)
}

fn body_too_large(source: &str) -> CliError {
    CliError::Usage(format!(
        "the body from {source} is larger than {} KiB, the limit for --body",
        MAX_BODY_BYTES / 1024
    ))
}

/// `--all`: every page of a paginated list.
pub fn all_arg() -> clap::Arg {
    clap::Arg::new("all")
        .long("all")
        .action(clap::ArgAction::SetTrue)
        .help("Every item of every page (a JSON array, printed as the pages arrive), instead of one page; the walk has the --deadline for all its pages")
}

/// `--max-pages`: the page cap of `--all`.
pub fn max_pages_arg() -> clap::Arg {
    clap::Arg::new("max-pages")
        .long("max-pages")
        .value_name("N")
        .value_parser(clap::value_parser!(u64).range(1..))
        .requires("all")
        .help(format!(
            "With --all: the most pages requested (default {}); reaching it with more to read is an error",
            dbplane_core::ListLimits::DEFAULT_MAX_PAGES
        ))
}

/// `--max-items`: the item cap of `--all`.
pub fn max_items_arg() -> clap::Arg {
    clap::Arg::new("max-items")
        .long("max-items")
        .value_name("N")
        .value_parser(clap::value_parser!(u64).range(1..))
        .requires("all")
        .help(format!(
            "With --all: the most items printed (default {}); reaching it with more to read is an error",
            dbplane_core::ListLimits::DEFAULT_MAX_ITEMS
        ))
}

/// `--wait`: wait for the work the operation starts, with the spec's waiter.
pub fn wait_arg(waiter: &'static str) -> clap::Arg {
    clap::Arg::new("wait")
        .long("wait")
        .action(clap::ArgAction::SetTrue)
        .help(format!(
            "Wait until it is done (waiter `{waiter}`); progress on stderr"
        ))
}

/// `--wait-timeout`: the longest wait.
pub fn wait_timeout_arg() -> clap::Arg {
    clap::Arg::new("wait-timeout")
        .long("wait-timeout")
        .value_name("SECONDS")
        .value_parser(clap::value_parser!(u64).range(1..=86_400))
        .requires("wait")
        .help("The longest wait (default: the waiter's, from the spec)")
}

impl Context {
    /// `--body`, else the spec's documented example (`documented`, JSON; `null` for none),
    /// parsed as the operation's body type.
    pub fn body<T: serde::de::DeserializeOwned>(
        &self,
        matches: &ArgMatches,
    ) -> Result<Option<T>, CliError> {
        let Some(given) = matches.get_one::<String>("body") else {
            return Ok(None);
        };
        let text = read_body(given)?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| CliError::Usage(format!("--body does not fit the operation's body: {e}")))
    }

    /// The documented example body, when `--example-body` asks for it (nothing is sent).
    pub fn example_body(
        &self,
        matches: &ArgMatches,
        documented: &str,
    ) -> Result<Option<serde_json::Value>, CliError> {
        if !matches.get_flag("example-body") {
            return Ok(None);
        }
        serde_json::from_str(documented)
            .map(Some)
            .map_err(|e| CliError::Usage(format!("the documented example is not JSON: {e}")))
    }

    /// An optional integer flag whose spec says it is positive (`minimum: 1`), as the
    /// unsigned type the generated setter takes.
    pub fn positive<T: TryFrom<i64>>(
        &self,
        matches: &ArgMatches,
        id: &str,
    ) -> Result<Option<T>, CliError> {
        matches
            .get_one::<i64>(id)
            .map(|v| {
                T::try_from(*v).map_err(|_| {
                    CliError::Usage(format!(
                        "`{id}` must be a positive number that fits, got {v}"
                    ))
                })
            })
            .transpose()
    }

    /// Whether `--all` was given.
    pub fn wants_all(&self, matches: &ArgMatches) -> bool {
        matches.get_one::<bool>("all").copied().unwrap_or(false)
    }

    /// `--all`: prints every item of `stream` as it arrives (the JSON array, or `[i].field:
    /// value` lines with `--output text`); the first error closes the array and ends the
    /// command with that error. Under `--dry-run` nothing is printed (the requests are).
    pub async fn collect<T, S>(&self, stream: S) -> Result<serde_json::Value, CliError>
    where
        T: serde::Serialize,
        S: futures_util::Stream<Item = Result<T, Error>>,
    {
        use futures_util::StreamExt;
        let mut stream = std::pin::pin!(stream);
        if self.dry_run.is_some() {
            while let Some(item) = stream.next().await {
                item?;
            }
            return Ok(serde_json::Value::Null);
        }
        self.printed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let mut printer = crate::output::ArrayPrinter::stdout(&self.output);
        while let Some(item) = stream.next().await {
            match item {
                Ok(item) => printer.item(&serde_json::to_value(item)?)?,
                Err(error) => {
                    printer.close()?;
                    return Err(error.into());
                }
            }
        }
        printer.close()?;
        Ok(serde_json::Value::Null)
    }

    /// Whether the command printed its answer itself (`--all`).
    pub fn printed(&self) -> bool {
        self.printed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `--wait` and `--wait-timeout`: `Some(max wait)` when asked to wait (`None` inside:
    /// the waiter's own default).
    pub fn wait(&self, matches: &ArgMatches) -> Option<Option<Duration>> {
        matches
            .get_one::<bool>("wait")
            .copied()
            .unwrap_or(false)
            .then(|| {
                matches
                    .get_one::<u64>("wait-timeout")
                    .map(|s| Duration::from_secs(*s))
            })
    }

    /// The text at `pointer` in a call's answer (the job a `--wait` waits on); an answer
    /// without it cannot be waited on.
    pub fn answer_text(
        &self,
        answer: &serde_json::Value,
        pointer: &str,
    ) -> Result<String, CliError> {
        answer
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .filter(|text| !text.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                let body = answer.to_string();
                CliError::Call(Error::InvalidResponse {
                    status: 200,
                    request_id: None,
                    reason: format!(
                        "the answer has no `{}` to wait on",
                        pointer.trim_start_matches('/')
                    ),
                    body_len: body.len(),
                    body: dbplane_core::error::body_prefix(body.as_bytes()),
                })
            })
    }

    /// Runs `waiter`, showing progress on stderr (a spinner on a terminal, lines
    /// otherwise); the answer printed is the resource's last state.
    pub async fn wait_for<'w, T: serde::Serialize + Send + 'w>(
        &self,
        waiter: dbplane_core::Waiter<'w, T>,
        max_wait: Option<Duration>,
        started: serde_json::Value,
    ) -> Result<serde_json::Value, CliError> {
        let waiter = match max_wait {
            Some(max_wait) => waiter.max_wait(max_wait),
            None => waiter,
        };
        let waiter = match self.poll {
            Some(delay) => waiter.delays(delay, delay),
            None => waiter,
        };
        let progress = crate::progress::Progress::start(&started);
        let shown = progress.clone();
        let result = waiter.on_progress(move |p| shown.update(p)).await;
        progress.finish(
            result
                .as_ref()
                .ok()
                .map(|w| (w.state.as_str(), w.polls, w.elapsed)),
        );
        let waited = result.map_err(CliError::Wait)?;
        Ok(serde_json::to_value(waited.answer.into_inner())?)
    }
}
