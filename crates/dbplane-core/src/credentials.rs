//! Credentials for every vendor, built explicitly or read from the environment.

use crate::error::ConfigError;
use crate::secret::Secret;

/// How a client authenticates. Secrets print as `***` in `Debug`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// Send requests unauthenticated (for mocks and proxies that add credentials).
    Anonymous,
    /// Huawei Cloud / Open Telekom Cloud IAM token, sent as `X-Auth-Token`.
    Token {
        /// The IAM token (`X-Subject-Token` of IAM's token response).
        token: Secret,
        /// Project the token is scoped to; fills `project_id` when a call does not give one.
        project_id: Option<String>,
    },
    /// Huawei Cloud / Open Telekom Cloud access key, signed with `SDK-HMAC-SHA256`.
    AkSk {
        /// Access key ID (AK).
        access_key: String,
        /// Secret access key (SK).
        secret_key: Secret,
        /// Project-scoped credentials send `X-Project-Id` and fill `project_id`.
        project_id: Option<String>,
        /// Temporary credentials also send `X-Security-Token`.
        security_token: Option<Secret>,
    },
    /// OceanBase OCP user name and password, sent as HTTP Basic.
    Basic {
        /// OCP user name.
        username: String,
        /// OCP password.
        password: Secret,
    },
    /// OceanBase OCP access key, signed with `OCP-ACCESS-KEY-HMACSHA1`.
    OcpAccessKey {
        /// Access key ID.
        access_key_id: String,
        /// Access key secret.
        secret: Secret,
    },
}

/// The environment variable names one vendor's users already know.
struct AkSkEnv {
    access_key: &'static str,
    secret_key: &'static str,
    project_id: &'static str,
    security_token: Option<&'static str>,
    auth_token: Option<&'static str>,
}

const HUAWEICLOUD_ENV: AkSkEnv = AkSkEnv {
    access_key: "HUAWEICLOUD_SDK_AK",
    secret_key: "HUAWEICLOUD_SDK_SK",
    project_id: "HUAWEICLOUD_SDK_PROJECT_ID",
    security_token: Some("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
    // Not an official SDK variable (the SDKs take tokens in code): dbplane's name, in the
    // SDK's family.
    auth_token: Some("HUAWEICLOUD_SDK_AUTH_TOKEN"),
};

impl AkSkEnv {
    /// Every variable read, the chosen-first token included.
    fn variables(&self) -> Vec<&'static str> {
        self.auth_token
            .into_iter()
            .chain([self.access_key, self.secret_key, self.project_id])
            .chain(self.security_token)
            .collect()
    }

    /// The kinds of credentials, in the order they are chosen, each with the variable that
    /// selects it.
    fn choices(&self) -> Vec<(&'static str, &'static str)> {
        self.auth_token
            .map(|token| ("IAM token", token))
            .into_iter()
            .chain([("AK/SK", self.access_key)])
            .collect()
    }
}

/// OceanBase OCP's variable names.
struct OcpEnv {
    access_key_id: &'static str,
    secret: &'static str,
    username: &'static str,
    password: &'static str,
}

const OCP_ENV: OcpEnv = OcpEnv {
    access_key_id: "OCP_ACCESS_KEY_ID",
    secret: "OCP_ACCESS_KEY_SECRET",
    username: "OCP_USERNAME",
    password: "OCP_PASSWORD",
};

/// `vendor`'s variables (every one read), and its kinds of credentials in the order they are
/// chosen, each with the variable that selects it: derived from the tables the loaders use.
fn vendor_env(vendor: &str) -> (Vec<&'static str>, Vec<(&'static str, &'static str)>) {
    match vendor {
        "huaweicloud" => (HUAWEICLOUD_ENV.variables(), HUAWEICLOUD_ENV.choices()),
        "otc" => (OTC_ENV.variables(), OTC_ENV.choices()),
        "oceanbase" => (
            vec![
                OCP_ENV.access_key_id,
                OCP_ENV.secret,
                OCP_ENV.username,
                OCP_ENV.password,
            ],
            vec![
                ("access key", OCP_ENV.access_key_id),
                ("Basic", OCP_ENV.username),
            ],
        ),
        _ => (Vec::new(), Vec::new()),
    }
}

/// The credential sets of `vendor` that `lookup` finds, in the order they are chosen
/// (`IAM token (OS_AUTH_TOKEN)`): the first is used, the others ignored (say so when there
/// are several).
pub fn credential_sets(vendor: &str, lookup: impl Fn(&str) -> Option<String>) -> Vec<String> {
    vendor_env(vendor)
        .1
        .into_iter()
        .filter(|(_, variable)| optional(&lookup, variable).is_some())
        .map(|(kind, variable)| format!("{kind} ({variable})"))
        .collect()
}

/// Refuses, naming it, a variable of `vendor`'s that is set but not valid UTF-8 (which would
/// otherwise read as missing).
pub fn check_env_encoding(vendor: &str) -> Result<(), ConfigError> {
    let invalid = vendor_env(vendor)
        .0
        .into_iter()
        .find(|name| matches!(std::env::var(name), Err(std::env::VarError::NotUnicode(_))));
    match invalid {
        Some(name) => Err(ConfigError::InvalidEnv(name.to_string())),
        None => Ok(()),
    }
}

const OTC_ENV: AkSkEnv = AkSkEnv {
    access_key: "OS_ACCESS_KEY",
    secret_key: "OS_SECRET_KEY",
    project_id: "OS_PROJECT_ID",
    security_token: None,
    auth_token: Some("OS_AUTH_TOKEN"),
};

impl Credentials {
    /// An IAM token.
    pub fn token(token: impl Into<Secret>) -> Self {
        Self::Token {
            token: token.into(),
            project_id: None,
        }
    }

    /// A permanent access key (AK/SK), not scoped to a project.
    pub fn aksk(access_key: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        Self::AkSk {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            project_id: None,
            security_token: None,
        }
    }

    /// OCP HTTP Basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// An OCP access key.
    pub fn ocp_access_key(access_key_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self::OcpAccessKey {
            access_key_id: access_key_id.into(),
            secret: secret.into(),
        }
    }

    /// Scopes token or AK/SK credentials to a project (ignored by OCP credentials).
    pub fn with_project_id(mut self, project: impl Into<String>) -> Self {
        match &mut self {
            Self::Token { project_id, .. } | Self::AkSk { project_id, .. } => {
                *project_id = Some(project.into())
            }
            _ => {}
        }
        self
    }

    /// Adds a security token (temporary AK/SK credentials; ignored otherwise).
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        if let Self::AkSk { security_token, .. } = &mut self {
            *security_token = Some(token.into());
        }
        self
    }

    /// The project these credentials are scoped to, if any.
    pub fn project_id(&self) -> Option<&str> {
        match self {
            Self::Token { project_id, .. } | Self::AkSk { project_id, .. } => project_id.as_deref(),
            _ => None,
        }
    }

    /// Huawei Cloud credentials: an IAM token from `HUAWEICLOUD_SDK_AUTH_TOKEN` if set, else
    /// AK/SK from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` (and the optional
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN`); `HUAWEICLOUD_SDK_PROJECT_ID` scopes either.
    pub fn huaweicloud_from_env() -> Result<Self, ConfigError> {
        check_env_encoding("huaweicloud")?;
        Self::huaweicloud_from_lookup(env_lookup)
    }

    /// Like [`Credentials::huaweicloud_from_env`], reading variables through `lookup`.
    pub fn huaweicloud_from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        aksk_from(&HUAWEICLOUD_ENV, &lookup)
    }

    /// Open Telekom Cloud credentials: `OS_AUTH_TOKEN` if set, else `OS_ACCESS_KEY` and
    /// `OS_SECRET_KEY`; `OS_PROJECT_ID` scopes either.
    pub fn otc_from_env() -> Result<Self, ConfigError> {
        check_env_encoding("otc")?;
        Self::otc_from_lookup(env_lookup)
    }

    /// Like [`Credentials::otc_from_env`], reading variables through `lookup`.
    pub fn otc_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        aksk_from(&OTC_ENV, &lookup)
    }

    /// OCP credentials: `OCP_ACCESS_KEY_ID` and `OCP_ACCESS_KEY_SECRET` if set, else
    /// `OCP_USERNAME` and `OCP_PASSWORD`.
    pub fn ocp_from_env() -> Result<Self, ConfigError> {
        check_env_encoding("oceanbase")?;
        Self::ocp_from_lookup(env_lookup)
    }

    /// Like [`Credentials::ocp_from_env`], reading variables through `lookup`.
    pub fn ocp_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = &OCP_ENV;
        if optional(&lookup, env.access_key_id).is_some() {
            return Ok(Self::ocp_access_key(
                required(&lookup, env.access_key_id)?,
                required(&lookup, env.secret)?,
            ));
        }
        match (
            optional(&lookup, env.username),
            optional(&lookup, env.password),
        ) {
            (Some(user), Some(password)) => Ok(Self::basic(user, password)),
            (Some(_), None) => Err(ConfigError::MissingEnv(vec![env.password.into()])),
            _ => Err(ConfigError::MissingEnv(vec![format!(
                "{} and {}, or {} and {}",
                env.access_key_id, env.secret, env.username, env.password
            )])),
        }
    }
}

fn aksk_from(
    names: &AkSkEnv,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, ConfigError> {
    let project_id = optional(lookup, names.project_id);
    if let Some(token) = names.auth_token.and_then(|n| optional(lookup, n)) {
        return Ok(Credentials::Token {
            token: token.into(),
            project_id,
        });
    }
    let (access_key, secret_key) = match (
        optional(lookup, names.access_key),
        optional(lookup, names.secret_key),
    ) {
        (Some(access_key), Some(secret_key)) => (access_key, secret_key),
        (None, None) => {
            let either = match names.auth_token {
                Some(token) => format!("{token}, or {} and {}", names.access_key, names.secret_key),
                None => format!("{} and {}", names.access_key, names.secret_key),
            };
            return Err(ConfigError::MissingEnv(vec![either]));
        }
        (access_key, secret_key) => {
            let missing = [
                (names.access_key, access_key),
                (names.secret_key, secret_key),
            ]
            .into_iter()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_string())
            .collect();
            return Err(ConfigError::MissingEnv(missing));
        }
    };
    Ok(Credentials::AkSk {
        access_key,
        secret_key: secret_key.into(),
        project_id,
        security_token: names
            .security_token
            .and_then(|n| optional(lookup, n))
            .map(Secret::from),
    })
}

fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A variable that is set and not blank.
fn optional(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn required(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Result<String, ConfigError> {
    optional(lookup, name).ok_or_else(|| ConfigError::MissingEnv(vec![name.to_string()]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn huaweicloud_env_reads_all_four_names() {
        let creds = Credentials::huaweicloud_from_lookup(lookup(&[
            ("HUAWEICLOUD_SDK_AK", "AK1"),
            ("HUAWEICLOUD_SDK_SK", "SK1"),
            ("HUAWEICLOUD_SDK_PROJECT_ID", "p1"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "st"),
        ]))
        .unwrap();
        assert_eq!(
            creds,
            Credentials::aksk("AK1", "SK1")
                .with_project_id("p1")
                .with_security_token("st")
        );
    }

    #[test]
    fn missing_and_empty_variables_are_named() {
        let err = Credentials::huaweicloud_from_lookup(lookup(&[("HUAWEICLOUD_SDK_AK", "  ")]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "missing environment variable(s): HUAWEICLOUD_SDK_AUTH_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"
        );
        let err = Credentials::huaweicloud_from_lookup(lookup(&[("HUAWEICLOUD_SDK_AK", "AK")]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "missing environment variable(s): HUAWEICLOUD_SDK_SK"
        );
        let err = Credentials::otc_from_lookup(lookup(&[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "missing environment variable(s): OS_AUTH_TOKEN, or OS_ACCESS_KEY and OS_SECRET_KEY"
        );
    }

    #[test]
    fn huaweicloud_takes_an_iam_token_and_names_every_set_found() {
        let vars = [
            ("HUAWEICLOUD_SDK_AUTH_TOKEN", "tok"),
            ("HUAWEICLOUD_SDK_AK", "AK1"),
            ("HUAWEICLOUD_SDK_SK", "SK1"),
            ("HUAWEICLOUD_SDK_PROJECT_ID", "p1"),
        ];
        let creds = Credentials::huaweicloud_from_lookup(lookup(&vars)).unwrap();
        assert_eq!(creds, Credentials::token("tok").with_project_id("p1"));
        assert_eq!(
            credential_sets("huaweicloud", lookup(&vars)),
            [
                "IAM token (HUAWEICLOUD_SDK_AUTH_TOKEN)",
                "AK/SK (HUAWEICLOUD_SDK_AK)"
            ]
        );
        assert_eq!(
            credential_sets("oceanbase", lookup(&[("OCP_USERNAME", "u")])),
            ["Basic (OCP_USERNAME)"]
        );
    }

    #[test]
    fn otc_prefers_a_token() {
        let creds = Credentials::otc_from_lookup(lookup(&[
            ("OS_AUTH_TOKEN", "tok"),
            ("OS_PROJECT_ID", "p"),
        ]))
        .unwrap();
        assert_eq!(creds, Credentials::token("tok").with_project_id("p"));
        let creds =
            Credentials::otc_from_lookup(lookup(&[("OS_ACCESS_KEY", "a"), ("OS_SECRET_KEY", "s")]))
                .unwrap();
        assert_eq!(creds, Credentials::aksk("a", "s"));
    }

    #[test]
    fn ocp_access_key_or_basic() {
        let creds = Credentials::ocp_from_lookup(lookup(&[
            ("OCP_ACCESS_KEY_ID", "id"),
            ("OCP_ACCESS_KEY_SECRET", "s"),
        ]))
        .unwrap();
        assert_eq!(creds, Credentials::ocp_access_key("id", "s"));
        let err = Credentials::ocp_from_lookup(lookup(&[("OCP_ACCESS_KEY_ID", "id")])).unwrap_err();
        assert!(err.to_string().contains("OCP_ACCESS_KEY_SECRET"), "{err}");
        let creds = Credentials::ocp_from_lookup(lookup(&[
            ("OCP_USERNAME", "admin"),
            ("OCP_PASSWORD", "pw"),
        ]))
        .unwrap();
        assert_eq!(creds, Credentials::basic("admin", "pw"));
        let err = Credentials::ocp_from_lookup(lookup(&[])).unwrap_err();
        assert!(err.to_string().contains("OCP_USERNAME"), "{err}");
    }

    #[test]
    fn debug_hides_every_secret() {
        let all = [
            Credentials::token("TOKENVALUE"),
            Credentials::aksk("AK", "SKVALUE").with_security_token("STVALUE"),
            Credentials::basic("u", "PASSWORDVALUE"),
            Credentials::ocp_access_key("id", "OCPSECRETVALUE"),
        ];
        for creds in all {
            let shown = format!("{creds:?}");
            for secret in [
                "TOKENVALUE",
                "SKVALUE",
                "STVALUE",
                "PASSWORDVALUE",
                "OCPSECRETVALUE",
            ] {
                assert!(!shown.contains(secret), "{shown}");
            }
        }
    }
}
