//! Request signing: the algorithms, as pure functions of what goes on the wire.
//!
//! - [`sdk_hmac_sha256`]: Huawei Cloud and Open Telekom Cloud AK/SK (`SDK-HMAC-SHA256`).
//! - [`ocp`]: OceanBase OCP access keys (`OCP-ACCESS-KEY-HMACSHA1`).
//!
//! [`crate::Runtime`] calls them on every attempt with the final URL, headers and body.

pub mod ocp;
pub mod sdk_hmac_sha256;

use std::borrow::Cow;
use std::fmt::Write;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`) is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-decodes `raw` (as it stands in a URL) and encodes it again, keeping only
/// unreserved characters, appending to `out`.
fn write_encoded(out: &mut String, raw: &str) {
    let decoded: Cow<'_, str> = percent_decode_str(raw).decode_utf8_lossy();
    for piece in utf8_percent_encode(&decoded, UNRESERVED) {
        out.push_str(piece);
    }
}

/// The `Host` header value as sent: host name, plus `:port` when the URL names a non-default port.
pub fn host_header(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Query parameters sorted by key then value, each encoded, joined as `k=v&k=v`.
/// A parameter without `=` signs as `k=`.
pub fn canonical_query(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (mut key, mut value) = (String::new(), String::new());
            write_encoded(&mut key, k);
            write_encoded(&mut value, v);
            (key, value)
        })
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        let _ = write!(out, "{k}={v}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_query_sorts_and_encodes_like_the_go_sdk() {
        // The Go SDK's own case: limit, enable, test (unicode and reserved characters),
        // path (slashes) and a repeated key.
        let query = "limit=1&enable=true&test=%E4%B8%80%20(%26%3D%3F!%23%25.*)&path=/tmp/123&multi=3&multi=1&multi=2";
        assert_eq!(
            canonical_query(Some(query)),
            "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
        );
    }

    #[test]
    fn canonical_query_of_nothing_is_empty() {
        assert_eq!(canonical_query(None), "");
        assert_eq!(canonical_query(Some("")), "");
        assert_eq!(canonical_query(Some("flag")), "flag=");
    }

    #[test]
    fn host_keeps_only_explicit_ports() {
        let url = url::Url::parse("https://dbss.ap-southeast-1.myhuaweicloud.com:443/x").unwrap();
        assert_eq!(host_header(&url), "dbss.ap-southeast-1.myhuaweicloud.com");
        let url = url::Url::parse("http://ocp-host:8080/api").unwrap();
        assert_eq!(host_header(&url), "ocp-host:8080");
    }
}
