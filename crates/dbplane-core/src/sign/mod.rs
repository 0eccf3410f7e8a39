//! Request signing: the algorithms, as pure functions of what goes on the wire.
//!
//! - [`sdk_hmac_sha256`]: Huawei Cloud and Open Telekom Cloud AK/SK (`SDK-HMAC-SHA256`).
//! - [`ocp`]: OceanBase OCP access keys (`OCP-ACCESS-KEY-HMACSHA1`).
//!
//! [`crate::Runtime`] calls them on every attempt with the final URL, headers and body.

pub mod ocp;
pub mod sdk_hmac_sha256;

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

/// Percent-encodes already decoded text, keeping only RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`): every other byte of its UTF-8 becomes `%XX` (upper-case hex), as
/// the official SDKs encode. Byte by byte into `out`, whose room is reserved once.
fn write_reencoded(out: &mut String, decoded: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(decoded.len());
    for &byte in decoded.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
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

/// The query as the gateway decodes it: `&`-separated pairs split at the first `=`, each
/// side percent-decoded (a `+` stays a `+`); a pair without `=` has an empty value.
pub fn decoded_query_pairs(query: Option<&str>) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode_str(k).decode_utf8_lossy(),
                percent_decode_str(v).decode_utf8_lossy(),
            )
        })
        .collect()
}

/// The canonical query of both signers: the decoded pairs sorted by key, then value
/// (code-point order, as the official SDKs sort), each side re-encoded keeping only
/// unreserved characters, joined as `k=v&k=v`. A parameter without `=` signs as `k=`.
pub fn canonical_query(query: Option<&str>) -> String {
    let mut out = String::new();
    write_canonical_query(query, &mut out);
    out
}

/// [`canonical_query`], appended to `out`.
pub fn write_canonical_query(query: Option<&str>, out: &mut String) {
    let mut pairs = decoded_query_pairs(query);
    pairs.sort_unstable();
    out.reserve(query.map_or(0, str::len));
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        write_reencoded(out, k);
        out.push('=');
        write_reencoded(out, v);
    }
}

/// The canonical URI of `SDK-HMAC-SHA256`: the whole path percent-decoded, split on `/`
/// (so an encoded `%2F` separates too, and empty segments stay), each segment re-encoded,
/// and a trailing `/` added when missing.
pub fn canonical_uri(path: &str, out: &mut String) {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        write_reencoded(out, segment);
    }
    if !out.ends_with('/') {
        out.push('/');
    }
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
    fn canonical_query_sorts_decoded_pairs() {
        // Sorted decoded, then encoded: `a` < `名`, and `a.b` < `a/b`.
        assert_eq!(canonical_query(Some("%E5%90%8D=1&a=2")), "a=2&%E5%90%8D=1");
        assert_eq!(canonical_query(Some("k=a%2Fb&k=a.b")), "k=a.b&k=a%2Fb");
        // `+` on the wire is a plus sign, not a space.
        assert_eq!(canonical_query(Some("q=a+b&r=a%20b")), "q=a%2Bb&r=a%20b");
    }

    #[test]
    fn canonical_uri_decodes_the_whole_path_and_keeps_empty_segments() {
        let uri = |path: &str| {
            let mut out = String::new();
            canonical_uri(path, &mut out);
            out
        };
        assert_eq!(uri("/v3/p//instances"), "/v3/p//instances/");
        assert_eq!(uri("/instances/a%2Fb"), "/instances/a/b/");
        assert_eq!(uri("/a%7Eb/c%20d/%E4%B8%80/"), "/a~b/c%20d/%E4%B8%80/");
        assert_eq!(uri("/"), "/");
    }

    #[test]
    fn reencoding_keeps_only_unreserved_bytes_as_the_percent_encoding_crate_does() {
        use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
        const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        let unreserved = UNRESERVED;
        let every_char: String = (0u32..0x800).filter_map(char::from_u32).collect();
        for text in [
            every_char.as_str(),
            "a b+c/d?e=f&g%h~i_j.k-l",
            "日本語😀",
            "",
        ] {
            let mut ours = String::new();
            write_reencoded(&mut ours, text);
            assert_eq!(ours, utf8_percent_encode(text, unreserved).to_string());
        }
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
