//! What every operation command needs: credentials, endpoint, runtime settings, arguments.

use std::collections::HashMap;
use std::io::IsTerminal;
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
}

impl CliError {
    /// 2 usage, 3 authentication, 4 vendor error, 5 transport.
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
            Self::Call(Error::Transport(_) | Error::InvalidResponse { .. })
            | Self::Json(_)
            | Self::Output(_) => 5,
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

/// The global options, and the credentials they lead to.
pub struct Context {
    region: Option<String>,
    endpoint: Option<String>,
    project_id: Option<String>,
    timeout: Duration,
    deadline: Duration,
    retries: u32,
    now: Option<SystemTime>,
    /// Set with `--dry-run`: requests are described here instead of sent.
    pub dry_run: Option<DryRun>,
    credentials: OnceLock<Credentials>,
}

impl Context {
    /// Reads the global options.
    pub fn from_matches(matches: &ArgMatches) -> Self {
        Self {
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
            dry_run: matches.get_flag("dry-run").then(DryRun::new),
            credentials: OnceLock::new(),
        }
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
            });
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
