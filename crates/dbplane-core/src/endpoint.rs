//! From a region (or an explicit URL) to a base URL, using the spec's `servers`.

use crate::error::ConfigError;

/// One entry of a spec's `servers`, as `cargo xtask generate` emits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerTemplate {
    /// URL template, e.g. `https://dbss.{region}.myhuaweicloud.com`.
    pub url: &'static str,
    /// The regions this template is limited to (the `region` variable's `enum`); empty: any.
    pub regions: &'static [&'static str],
}

/// The base URL for `region`: the first template listing it, else the first template open to
/// every region.
pub fn region_url(servers: &[ServerTemplate], region: &str) -> Result<String, ConfigError> {
    let valid = !region.is_empty()
        && region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(ConfigError::InvalidRegion(region.to_string()));
    }
    let regional = servers.iter().filter(|s| s.url.contains("{region}"));
    let template = regional
        .clone()
        .find(|s| s.regions.contains(&region))
        .or_else(|| regional.clone().find(|s| s.regions.is_empty()))
        .ok_or_else(|| ConfigError::UnknownRegion {
            region: region.to_string(),
            known: regional
                .flat_map(|s| s.regions.iter().map(|r| r.to_string()))
                .collect(),
        })?;
    Ok(template.url.replace("{region}", region))
}

/// Checks an explicit base URL (private endpoint, proxy, mock) and drops a trailing `/`.
pub fn base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidUrl {
        url: redact_userinfo(url),
        reason: reason.to_string(),
    };
    let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("credentials do not belong in the URL"));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// `url` with any `user:password@` replaced by `***@`, fit to print.
pub fn redact_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + i);
    match url[scheme_end..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..scheme_end], &url[scheme_end + at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_refused_without_echoing_the_password() {
        for url in [
            "http://admin:S3CRET@ocp-host:8080",
            "http://admin:S3CRET@ocp host:8080/",
            "https://S3CRET@host/x?y",
        ] {
            let error = base_url(url).unwrap_err().to_string();
            assert!(!error.contains("S3CRET"), "{error}");
        }
        assert_eq!(redact_userinfo("http://a:b@h/p@q"), "http://***@h/p@q");
    }

    const OTC: &[ServerTemplate] = &[
        ServerTemplate {
            url: "https://rds.{region}.otc.t-systems.com",
            regions: &["eu-de", "eu-nl"],
        },
        ServerTemplate {
            url: "https://rds.{region}.sc.otc.t-systems.com",
            regions: &["eu-ch2"],
        },
    ];
    const OPEN: &[ServerTemplate] = &[
        ServerTemplate {
            url: "https://dws.{region}.myhuaweicloud.com",
            regions: &[],
        },
        ServerTemplate {
            url: "https://dws.{region}.myhuaweicloud.eu",
            regions: &["eu-west-101"],
        },
    ];

    #[test]
    fn listed_regions_pick_their_template() {
        assert_eq!(
            region_url(OTC, "eu-de").unwrap(),
            "https://rds.eu-de.otc.t-systems.com"
        );
        assert_eq!(
            region_url(OTC, "eu-ch2").unwrap(),
            "https://rds.eu-ch2.sc.otc.t-systems.com"
        );
        assert_eq!(
            region_url(OPEN, "eu-west-101").unwrap(),
            "https://dws.eu-west-101.myhuaweicloud.eu"
        );
        assert_eq!(
            region_url(OPEN, "la-south-2").unwrap(),
            "https://dws.la-south-2.myhuaweicloud.com"
        );
    }

    #[test]
    fn unknown_and_malformed_regions_are_refused() {
        assert_eq!(
            region_url(OTC, "us-east-1").unwrap_err().to_string(),
            "unknown region `us-east-1`; known regions: eu-de, eu-nl, eu-ch2"
        );
        assert!(matches!(
            region_url(OPEN, "evil.com/x"),
            Err(ConfigError::InvalidRegion(_))
        ));
        assert!(matches!(
            region_url(OPEN, ""),
            Err(ConfigError::InvalidRegion(_))
        ));
    }

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            base_url("http://ocp-host:8080/").unwrap(),
            "http://ocp-host:8080"
        );
        for bad in [
            "ocp-host:8080",
            "ftp://x",
            "http://",
            "https://u:p@host",
            "http://h/?a=1",
        ] {
            assert!(base_url(bad).is_err(), "{bad}");
        }
    }
}
