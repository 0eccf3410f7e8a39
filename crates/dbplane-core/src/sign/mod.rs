//! Request signing: the algorithms, as pure functions of what goes on the wire.
//!
//! - [`sdk_hmac_sha256`]: Huawei Cloud and Open Telekom Cloud AK/SK (`SDK-HMAC-SHA256`).
//! - [`ocp`]: OceanBase OCP access keys (`OCP-ACCESS-KEY-HMACSHA1`).
//!
//! [`crate::Runtime`] calls them on every attempt with the final URL, headers and body.

pub mod ocp;
pub mod sdk_hmac_sha256;

use std::borrow::Cow;
use std::ops::Range;

use percent_encoding::percent_decode_str;

/// Percent-encodes already decoded text, keeping only RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`): every other byte of its UTF-8 becomes `%XX` (upper-case hex), as
/// the official SDKs encode. Runs of unreserved bytes are copied whole; what it writes is
/// ASCII.
fn write_reencoded_bytes(out: &mut Vec<u8>, decoded: &[u8]) {
    out.reserve(decoded.len());
    let mut run = 0;
    for (i, &byte) in decoded.iter().enumerate() {
        if !UNRESERVED[usize::from(byte)] {
            out.extend_from_slice(&decoded[run..i]);
            out.extend_from_slice(&ESCAPES[usize::from(byte)]);
            run = i + 1;
        }
    }
    out.extend_from_slice(&decoded[run..]);
}

/// Appends bytes known to be ASCII (an encoder's output).
fn push_ascii(out: &mut String, ascii: &[u8]) {
    out.push_str(std::str::from_utf8(ascii).unwrap_or_default());
}

/// RFC 3986's unreserved bytes, the ones [`write_reencoded_bytes`] keeps.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Each byte's escape, `%XX` in upper-case hex.
static ESCAPES: [[u8; 3]; 256] = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut table = [[0u8; 3]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [b'%', HEX[b >> 4], HEX[b & 0x0f]];
        b += 1;
    }
    table
};

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
    let query = query.unwrap_or_default();
    if query.is_empty() {
        return;
    }
    // The common case: every key and value is spelled as it will be signed. They are then
    // sorted by their decoded text, read as they are compared, and written as they are.
    if let Some(mut raw) = canonical_pairs(query) {
        raw.sort_unstable_by(|a, b| cmp_canonical(a.0, b.0).then_with(|| cmp_canonical(a.1, b.1)));
        out.reserve(query.len());
        for (i, (k, v)) in raw.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
        return;
    }
    // Every pair decoded into one buffer (each key and value is a range of it) rather than a
    // string of its own: [`decoded_query_pairs`], without an allocation per escaped pair.
    let mut decoded = Vec::with_capacity(query.len());
    let mut pairs: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = push_decoded(&mut decoded, k.as_bytes());
        let value = push_decoded(&mut decoded, v.as_bytes());
        pairs.push((key, value));
    }
    // Byte order of UTF-8 is code-point order, the official SDKs' order.
    let text = |(k, v): &(Range<usize>, Range<usize>)| (&decoded[k.clone()], &decoded[v.clone()]);
    pairs.sort_unstable_by(|a, b| text(a).cmp(&text(b)));
    let mut encoded = Vec::with_capacity(query.len() + query.len() / 2);
    for (i, pair) in pairs.iter().enumerate() {
        if i > 0 {
            encoded.push(b'&');
        }
        let (k, v) = text(pair);
        write_reencoded_bytes(&mut encoded, k);
        encoded.push(b'=');
        write_reencoded_bytes(&mut encoded, v);
    }
    push_ascii(out, &encoded);
}

/// The order of what two canonical spellings ([`is_canonical`]) decode to. Where they first
/// differ outside an escape, that byte decides; else they are decoded as they are compared.
fn cmp_canonical(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let same = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let in_escape = |s: &[u8]| (same.saturating_sub(2)..=same).any(|i| s.get(i) == Some(&b'%'));
    if in_escape(x) || in_escape(y) {
        percent_decode_str(a).cmp(percent_decode_str(b))
    } else {
        // They differ here, or one has ended (and is the lesser).
        x.get(same).cmp(&y.get(same))
    }
}

/// The query's pairs (split at `&`, then at the first `=`), in one pass over its bytes, when
/// each key and value is the canonical spelling of what it decodes to (so that decoding and
/// encoding it again gives it back): unreserved bytes, and escapes in upper-case hex of
/// ASCII bytes that are not unreserved. `None` otherwise.
fn canonical_pairs(query: &str) -> Option<Vec<(&str, &str)>> {
    let hex = |b: Option<&u8>| match b {
        Some(&b @ b'0'..=b'9') => Some(b - b'0'),
        Some(&b @ b'A'..=b'F') => Some(b - b'A' + 10),
        _ => None,
    };
    let bytes = query.as_bytes();
    let mut pairs = Vec::new();
    let mut push = |start: usize, equals: Option<usize>, end: usize| {
        if end > start {
            pairs.push(match equals {
                Some(at) => (&query[start..at], &query[at + 1..end]),
                None => (&query[start..end], ""),
            });
        }
    };
    let (mut start, mut equals, mut i) = (0, None, 0);
    while i < bytes.len() {
        match bytes[i] {
            byte if UNRESERVED[usize::from(byte)] => i += 1,
            b'&' => {
                push(start, equals, i);
                (start, equals, i) = (i + 1, None, i + 1);
            }
            // A second `=` belongs to the value, which would then sign it escaped.
            b'=' if equals.is_none() => {
                equals = Some(i);
                i += 1;
            }
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low))
                    if high < 8 && !UNRESERVED[usize::from(high * 16 + low)] =>
                {
                    i += 3;
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    push(start, equals, bytes.len());
    Some(pairs)
}

/// Appends `encoded` percent-decoded to `decoded`, as `percent_decode` and
/// `decode_utf8_lossy` read it: `%` and two hex digits is a byte, any other `%` stays, and
/// bytes that are not UTF-8 become U+FFFD. Where it went.
fn push_decoded(decoded: &mut Vec<u8>, encoded: &[u8]) -> Range<usize> {
    let start = decoded.len();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'%', &encoded[at..]) {
        let percent = at + found;
        decoded.extend_from_slice(&encoded[at..percent]);
        let digit = |i: usize| encoded.get(i).and_then(|b| char::from(*b).to_digit(16));
        match (digit(percent + 1), digit(percent + 2)) {
            (Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                at = percent + 3;
            }
            _ => {
                decoded.push(b'%');
                at = percent + 1;
            }
        }
    }
    decoded.extend_from_slice(&encoded[at..]);
    if at > 0 && std::str::from_utf8(&decoded[start..]).is_err() {
        let lossy = String::from_utf8_lossy(&decoded[start..]).into_owned();
        decoded.truncate(start);
        decoded.extend_from_slice(lossy.as_bytes());
    }
    start..decoded.len()
}

/// The canonical URI of `SDK-HMAC-SHA256`: the whole path percent-decoded, split on `/`
/// (so an encoded `%2F` separates too, and empty segments stay), each segment re-encoded,
/// and a trailing `/` added when missing.
pub fn canonical_uri(path: &str, out: &mut String) {
    // A path of unreserved characters and slashes decodes and re-encodes to itself.
    if path
        .bytes()
        .all(|b| b == b'/' || UNRESERVED[usize::from(b)])
    {
        out.push_str(path);
        if !path.ends_with('/') {
            out.push('/');
        }
        return;
    }
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut encoded = Vec::with_capacity(decoded.len() + 8);
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            encoded.push(b'/');
        }
        write_reencoded_bytes(&mut encoded, segment.as_bytes());
    }
    if encoded.last() != Some(&b'/') {
        encoded.push(b'/');
    }
    push_ascii(out, &encoded);
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
            let mut ours = Vec::new();
            write_reencoded_bytes(&mut ours, text.as_bytes());
            let ours = String::from_utf8(ours).expect("ASCII");
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
