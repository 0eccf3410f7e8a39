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

/// A client's base URL, parsed once, so that a request's URL (the base URL and the
/// operation's path, as the generated code writes it) is the parsed base URL given the path,
/// not the whole text parsed again: the base URL's host is most of a URL parse (a domain
/// name is read through IDNA). Only a base URL that is already in the form the parser
/// writes, and a plain path (printable ASCII but for `?`, `#` and `\`), take this way; any
/// other URL is parsed whole. Either way the URL is what `Url::parse` makes of the text (a
/// property test compares them).
#[derive(Clone, Default)]
pub(crate) struct ParsedBase(std::sync::OnceLock<Option<Base>>);

#[derive(Clone)]
struct Base {
    /// The base URL as the client holds it.
    text: String,
    url: url::Url,
    /// Where, in `text`, its path begins (its length when it has none).
    path_at: usize,
}

impl ParsedBase {
    /// `url` parsed, when it is `base` followed by a plain path and `base` is the base URL
    /// this memo holds (the first one it was asked for); `None`: parse `url` whole.
    pub(crate) fn url_of(&self, base: &str, url: &str) -> Option<url::Url> {
        let memo = self.0.get_or_init(|| Base::of(base)).as_ref()?;
        let path = url.strip_prefix(base)?;
        if memo.text != base || !is_plain_path(path) {
            return None;
        }
        let mut parsed = memo.url.clone();
        parsed.set_path(&url[memo.path_at..]);
        Some(parsed)
    }
}

impl std::fmt::Debug for ParsedBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the URL: a base URL given to a generated client directly may hold userinfo.
        f.write_str("ParsedBase")
    }
}

impl Base {
    /// `text` parsed, when the parser writes it as it is (or with only the `/` of an empty
    /// path added) and it is an http(s) URL with a host and no query or fragment: then the
    /// text after its path begins is the parsed URL's path, and a path appended to the text
    /// is parsed as if set on the parsed URL.
    fn of(text: &str) -> Option<Self> {
        let url = url::Url::parse(text).ok()?;
        let plain = matches!(url.scheme(), "http" | "https")
            && url.has_host()
            && !url.cannot_be_a_base()
            && url.query().is_none()
            && url.fragment().is_none();
        if !plain {
            return None;
        }
        let path_at = if url.as_str() == text {
            text.len() - url.path().len()
        } else if url.path() == "/" && url.as_str().strip_suffix('/') == Some(text) {
            text.len()
        } else {
            return None;
        };
        Some(Self {
            text: text.to_string(),
            url,
            path_at,
        })
    }
}

/// A path the URL parser reads the same whether it ends a whole URL or is set on one: it
/// begins with `/` and holds printable ASCII only, with no `?` or `#` (which would end it in
/// a whole URL) and no `\` (read as `/`); no space or control, which a whole URL's parse
/// would trim from its end.
fn is_plain_path(path: &str) -> bool {
    path.starts_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'\\'))
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

    /// Every component of a URL as reqwest and the signer read them.
    fn parts(url: &url::Url) -> String {
        format!(
            "{} {:?} {:?} {:?} {:?} {:?} {:?}",
            url.as_str(),
            url.host(),
            url.port_or_known_default(),
            url.path(),
            url.query(),
            url.fragment(),
            url.username(),
        )
    }

    /// What a request's URL is: the text parsed whole.
    fn parsed_whole(url: &str) -> Option<String> {
        url::Url::parse(url).ok().map(|u| parts(&u))
    }

    #[test]
    fn the_usual_base_urls_and_paths_take_the_parsed_base() {
        for base in [
            "https://rds.eu-de.otc.t-systems.com",
            "http://127.0.0.1:43211",
            "https://ocp.example:8080/proxy/rds",
            "http://[::1]:8080",
        ] {
            let memo = ParsedBase::default();
            for path in [
                "/v3/054e/instances",
                "/v3/054e/instances/5b40in01/action/shutdown",
                "/",
                "/v3/a%2Fb/x",
            ] {
                let url = format!("{base}{path}");
                let parsed = memo.url_of(base, &url).unwrap_or_else(|| panic!("{url}"));
                assert_eq!(Some(parts(&parsed)), parsed_whole(&url), "{url}");
            }
        }
    }

    #[test]
    fn other_urls_are_parsed_whole() {
        let memo = ParsedBase::default();
        let base = "http://127.0.0.1:1";
        for path in [
            "/v3/x?limit=1",
            "/v3/x#restore",
            "/v3/a\\b",
            "/v3/a b",
            "/v3/\u{e9}",
            "/v3/x\t",
            "v3",
            "",
        ] {
            assert!(
                memo.url_of(base, &format!("{base}{path}")).is_none(),
                "{path:?}"
            );
        }
        // Another base URL than the one the memo holds.
        assert!(memo
            .url_of("http://127.0.0.1:2", "http://127.0.0.1:2/v3")
            .is_none());
        // Base URLs the parser writes otherwise, or that may not take a path this way.
        for base in [
            "http://EXAMPLE.com",
            "http://example.com:80",
            "http://example.com/a/../b",
            "http://example.com/a b",
            "http://example.com/?q",
            "ftp://example.com",
            "not a url",
        ] {
            let memo = ParsedBase::default();
            assert!(memo.url_of(base, &format!("{base}/v3")).is_none(), "{base}");
        }
    }

    proptest::proptest! {
        /// A URL is what `Url::parse` makes of the base URL and path written together,
        /// whichever way it was made, for base URLs in and out of the parser's form and paths
        /// with dot segments, escapes, reserved marks, spaces and non-ASCII text.
        #[test]
        fn a_url_is_the_whole_texts_parse(
            base in "https?://(h|H|127\\.0\\.0\\.1|\\[::1\\]|\\[0:0::1\\]|xn--bcher-kva\\.ch|b\u{fc}cher\\.ch)(:(80|443|8080))?(/|/p|/p/|/\\.\\./q|/a%2fb|/%7e|/~)?",
            path in "(/|/v3|/[a-z0-9]{1,8}|/\\.|/\\.\\.|/%2e|/%2E%2e|/%2[fF]|/%|/~|/\u{e9}|/ |/\\?x|/#f|/\\\\|//|/[!$&'()*+,;=:@]){0,6}",
        ) {
            let url = format!("{base}{path}");
            let memo = ParsedBase::default();
            let parsed = memo.url_of(&base, &url);
            let fast = Base::of(&base).is_some() && is_plain_path(&path);
            proptest::prop_assert_eq!(parsed.is_some(), fast, "{}", url);
            if let Some(parsed) = parsed {
                proptest::prop_assert_eq!(Some(parts(&parsed)), parsed_whole(&url), "{}", url);
            }
        }
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
