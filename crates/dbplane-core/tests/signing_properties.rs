//! Invariants of the signers, over generated requests.

use dbplane_core::sign::{ocp, sdk_hmac_sha256};
use proptest::prelude::*;

const DATE: &str = "20240910T020758Z";

/// Percent-encodes every byte of `text` (upper or lower hex), or leaves unreserved
/// characters raw: two spellings of the same decoded text.
fn spell(text: &str, encode_all: bool, lower_hex: bool) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        let unreserved = ch.is_ascii_alphanumeric() || "-._~".contains(ch);
        if unreserved && !encode_all {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&if lower_hex {
                    format!("%{b:02x}")
                } else {
                    format!("%{b:02X}")
                });
            }
        }
    }
    out
}

fn sign(url: &str, method: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    let headers = [("host", "h.example.com"), ("X-Sdk-Date", DATE)];
    sdk_hmac_sha256::authorization(
        "AK",
        "SK",
        DATE,
        &sdk_hmac_sha256::SignableRequest {
            method,
            url: &url,
            headers: &headers,
            body: b"",
        },
    )
}

fn segment() -> impl Strategy<Value = String> {
    // Any text but a dot segment, which a URL parser resolves before anything is sent.
    "[a-zA-Z0-9 ._~!$&'()*+,;=:@%/?#名😀é-]{1,12}"
        .prop_filter("dot segment", |s| s != "." && s != "..")
}

fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("[a-z名 +&=/.]{1,6}", "[a-zA-Z0-9 +&=/.~*名]{0,8}"), 0..5)
}

proptest! {
    /// The signature depends only on the decoded request: how the path and query are
    /// spelled on the wire, and in which order the query pairs come, does not matter.
    #[test]
    fn sdk_signature_depends_only_on_the_decoded_request(
        segments in prop::collection::vec(segment(), 1..4),
        pairs in query(),
        lower_hex in any::<bool>(),
        reversed in any::<bool>(),
    ) {
        let build = |encode_all: bool, lower: bool, reverse: bool| {
            let path: Vec<String> = segments.iter().map(|s| spell(s, encode_all, lower)).collect();
            let mut query: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", spell(k, encode_all, lower), spell(v, encode_all, lower)))
                .collect();
            if reverse {
                query.reverse();
            }
            format!("https://h.example.com/v3/{}?{}", path.join("/"), query.join("&"))
        };
        let minimal = sign(&build(false, false, false), "GET");
        prop_assert_eq!(&minimal, &sign(&build(true, lower_hex, reversed), "GET"));
        prop_assert_eq!(&minimal, &sign(&build(false, lower_hex, !reversed), "get"));
    }

    /// Different decoded requests sign differently (an encoded `/` is a separator, so it is
    /// the same request as a raw one; anything else changes the signature).
    #[test]
    fn sdk_signature_changes_with_the_decoded_path(a in segment(), b in segment()) {
        let decoded = |s: &str| s.replace("%2F", "/").replace("%2f", "/");
        prop_assume!(a != b && decoded(&a) != decoded(&b));
        let url = |s: &str| format!("https://h.example.com/v3/{}", spell(s, true, false));
        prop_assert_ne!(sign(&url(&a), "GET"), sign(&url(&b), "GET"));
    }

    /// OCP's string to sign is likewise independent of query order and spelling.
    #[test]
    fn ocp_string_to_sign_depends_only_on_the_decoded_query(pairs in query(), lower_hex in any::<bool>()) {
        let url = |encode_all: bool, reverse: bool| {
            let mut query: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", spell(k, encode_all, lower_hex), spell(v, encode_all, lower_hex)))
                .collect();
            if reverse {
                query.reverse();
            }
            url::Url::parse(&format!("http://ocp:8080/api/v2/tasks?{}", query.join("&"))).unwrap()
        };
        let string = |u: &url::Url| ocp::string_to_sign(&ocp::SignableRequest {
            method: "GET",
            url: u,
            content_type: None,
            date: "Tue, 10 Sep 2024 02:07:58 GMT",
            headers: &[],
            body: b"",
        });
        prop_assert_eq!(string(&url(false, false)), string(&url(true, true)));
    }
}

proptest! {
    /// Headers given lower case and sorted (the signer's quick path) sign as the same headers
    /// given in any case and order (the path that lowers and sorts them): names repeated keep
    /// their order, and names with `_` are left out either way.
    #[test]
    fn header_order_and_case_do_not_change_the_signature(
        headers in prop::collection::vec(
            (prop::sample::select(vec!["host", "x-sdk-date", "x-a", "x-b", "x_c", "content-type"]),
             "[a-z0-9 ]{0,6}",
             any::<bool>()),
            0..7,
        ),
        seed in any::<u64>(),
    ) {
        let url = url::Url::parse("https://h.example.com/v1/p?b=2&a=1").unwrap();
        let sign = |headers: &[(&str, &str)]| {
            sdk_hmac_sha256::authorization("AK", "SK", DATE, &sdk_hmac_sha256::SignableRequest {
                method: "GET",
                url: &url,
                headers,
                body: b"{}",
            })
        };
        let upper: Vec<String> = headers.iter().map(|(n, _, up)| {
            if *up { n.to_ascii_uppercase() } else { n.to_string() }
        }).collect();
        // Any order, any case...
        let mut given: Vec<(&str, &str)> = headers
            .iter()
            .zip(&upper)
            .map(|((_, v, _), n)| (n.as_str(), v.as_str()))
            .collect();
        let mut state = seed;
        for i in (1..given.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            given.swap(i, (state >> 33) as usize % (i + 1));
        }
        // ... against the same headers lower case, stably sorted by name.
        let mut canonical: Vec<(String, &str)> =
            given.iter().map(|(n, v)| (n.to_ascii_lowercase(), *v)).collect();
        canonical.sort_by(|a, b| a.0.cmp(&b.0));
        let canonical: Vec<(&str, &str)> = canonical.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        prop_assert_eq!(sign(&given), sign(&canonical));
    }
}

/// What the signatures' definitions leave unencoded: the unreserved characters.
const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The canonical query by its definition: the decoded pairs (`decoded_query_pairs`), sorted,
/// each side encoded keeping only unreserved characters (by the `percent-encoding` crate).
fn canonical_query_by_definition(query: &str) -> String {
    use percent_encoding::utf8_percent_encode;
    let mut pairs = dbplane_core::sign::decoded_query_pairs(Some(query));
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, KEEP),
                utf8_percent_encode(v, KEEP)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]
    /// The signer's canonical query (decoded into one buffer) is the definition's, for any
    /// query: escapes valid or not (`%FF`, `%E4%B8`, `%G1`, a lone `%`), repeated keys,
    /// empty pairs, `=` in values.
    #[test]
    fn the_canonical_query_is_its_definition(
        query in "([a-z=&+%名é]|%[0-9A-Fa-f]{2}|%[G-Z]|%E4%B8|%FF){0,24}"
    ) {
        prop_assert_eq!(
            dbplane_core::sign::canonical_query(Some(&query)),
            canonical_query_by_definition(&query),
            "{:?}", query
        );
    }
}

/// The canonical URI by its definition: the whole path percent-decoded, split on `/`, each
/// segment re-encoded (unreserved characters kept), and a trailing `/` added when missing.
fn canonical_uri_by_definition(path: &str) -> String {
    use percent_encoding::{percent_decode_str, utf8_percent_encode};
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded
        .split('/')
        .map(|segment| utf8_percent_encode(segment, KEEP).to_string())
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]
    /// The signer's canonical URI (a path with nothing to decode or encode is written as it
    /// is) is the definition's, for plain paths and for paths with escapes and reserved or
    /// non-ASCII characters.
    #[test]
    fn the_canonical_uri_is_its_definition(
        path in "(/|[a-zA-Z0-9._~-]){0,40}|([/a-z.%~ 名+]|%[0-9A-Fa-f]{2}|%2F|%E4%B8|%FF){0,24}"
    ) {
        let mut uri = String::new();
        dbplane_core::sign::canonical_uri(&path, &mut uri);
        prop_assert_eq!(uri, canonical_uri_by_definition(&path), "{:?}", path);
    }
}
