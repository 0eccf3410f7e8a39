//! Huawei Cloud / Open Telekom Cloud `SDK-HMAC-SHA256`, as the official Python SDK signs.
//!
//! ```text
//! CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
//! StringToSign     = SDK-HMAC-SHA256 \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
//! Authorization    = SDK-HMAC-SHA256 Access=AK, SignedHeaders=…, Signature=hex(hmac_sha256(SK, StringToSign))
//! ```

use std::fmt;
use std::ops::Range;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{canonical_uri, write_canonical_query};

/// The algorithm's name, first word of the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// The header carrying the signing time, `YYYYMMDDTHHMMSSZ` in UTC.
pub const DATE_HEADER: &str = "X-Sdk-Date";

/// The header whose value, when present, replaces the body hash (`UNSIGNED-PAYLOAD`).
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";
/// The payload hash the official SDKs declare for bodies that are not JSON or BSON.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Whether the official SDKs sign a body of `content_type` as [`UNSIGNED_PAYLOAD`]: every
/// content type but `application/json…` and `application/bson…`.
pub fn signs_unsigned_payload(content_type: &str) -> bool {
    !content_type.starts_with("application/json") && !content_type.starts_with("application/bson")
}

/// A request as it will be sent, reduced to what the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method (signed upper case).
    pub method: &'a str,
    /// The URL exactly as sent (path and query percent-encoded as on the wire).
    pub url: &'a url::Url,
    /// The headers to sign, as `(name, value)`; names with `_` are skipped, and the list
    /// must contain `X-Sdk-Date` (and `host`, as the Python SDK signs it).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes as sent (empty for no body).
    pub body: &'a [u8],
}

/// SHA-256 of an empty body, hex: most of these control-plane calls have no body.
const EMPTY_BODY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The canonical request and the signed-header list (useful when a gateway rejects a
/// signature).
pub fn canonical_request(request: &SignableRequest<'_>) -> (String, String) {
    let mut out = String::new();
    let signed = write_canonical_request(request, &mut out);
    let signed_headers = out[signed].to_string();
    (out, signed_headers)
}

/// Writes the canonical request into `out`; where in it the signed-header list is.
fn write_canonical_request(request: &SignableRequest<'_>, out: &mut String) -> Range<usize> {
    let signed = |(name, _): &&(&str, &str)| !name.contains('_');
    // Headers already lower case and in order (as the runtime passes them) are used as they
    // are; others are lowered and sorted (stably: repeated names keep their order) first.
    let in_order = request
        .headers
        .iter()
        .filter(signed)
        .all(|(name, _)| !name.bytes().any(|b| b.is_ascii_uppercase()))
        && request
            .headers
            .iter()
            .filter(signed)
            .is_sorted_by(|a, b| a.0 <= b.0);
    if in_order {
        let headers = request
            .headers
            .iter()
            .filter(signed)
            .map(|(n, v)| (*n, v.trim()));
        write_canonical_request_with(request, headers, out)
    } else {
        // Every name lowered into one buffer (each is a range of it), then sorted stably:
        // repeated names keep their order.
        let mut names = String::with_capacity(request.headers.iter().map(|(n, _)| n.len()).sum());
        let mut sorted: Vec<(Range<usize>, &str)> = request
            .headers
            .iter()
            .filter(signed)
            .map(|(name, value)| {
                let start = names.len();
                names.push_str(name);
                names[start..].make_ascii_lowercase();
                (start..names.len(), value.trim())
            })
            .collect();
        sorted.sort_by(|a, b| names[a.0.clone()].cmp(&names[b.0.clone()]));
        let headers = sorted
            .iter()
            .map(|(name, value)| (&names[name.clone()], *value));
        write_canonical_request_with(request, headers, out)
    }
}

/// The canonical request of `request` with `headers` (lower case, sorted, trimmed).
fn write_canonical_request_with<'h>(
    request: &SignableRequest<'_>,
    headers: impl Iterator<Item = (&'h str, &'h str)> + Clone,
    out: &mut String,
) -> Range<usize> {
    // Room for the whole request once: the path and query as sent (re-encoding rarely
    // grows them), the headers twice (lines and list) and the body hash.
    let header_bytes: usize = headers
        .clone()
        .map(|(n, v)| 2 * n.len() + v.len() + 3)
        .sum();
    out.reserve(
        request.method.len()
            + request.url.path().len()
            + request.url.query().map_or(0, str::len)
            + header_bytes
            + 64
            + 8,
    );
    for c in request.method.chars() {
        out.push(c.to_ascii_uppercase());
    }
    out.push('\n');
    canonical_uri(request.url.path(), out);
    out.push('\n');
    write_canonical_query(request.url.query(), out);
    out.push('\n');
    for (name, value) in headers.clone() {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    let start = out.len();
    for (i, (name, _)) in headers.clone().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    let signed = start..out.len();
    out.push('\n');
    let declared_hash = headers
        .clone()
        .find(|(name, _)| name.eq_ignore_ascii_case(CONTENT_SHA256_HEADER))
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty());
    match (request.body.is_empty(), declared_hash) {
        (true, _) => out.push_str(EMPTY_BODY_HASH),
        (false, Some(declared)) => out.push_str(declared),
        (false, None) => {
            let mut hex = [0u8; 64];
            out.push_str(hex_of(&Sha256::digest(request.body), &mut hex));
        }
    }
    signed
}

/// Lower-case hex of a 32-byte digest, written into `buffer`.
fn hex_of<'b>(digest: &[u8], buffer: &'b mut [u8; 64]) -> &'b str {
    // A 32-byte digest fills the 64-byte buffer exactly, with ASCII only.
    let _ = hex::encode_to_slice(digest, buffer);
    std::str::from_utf8(buffer).unwrap_or_default()
}

/// A signer for one access key: the HMAC key schedule is computed once, not per request.
#[derive(Clone)]
pub struct Signer {
    access_key: String,
    mac: Hmac<Sha256>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for the access key `access_key` and secret key `secret_key`.
    pub fn new(access_key: &str, secret_key: &str) -> Self {
        Self {
            access_key: access_key.to_string(),
            mac: Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
                .expect("HMAC takes keys of any length"),
        }
    }

    /// The `Authorization` header value for `request`, dated `sdk_date` (the `X-Sdk-Date`
    /// value, which must also be among the signed headers).
    pub fn authorization(&self, sdk_date: &str, request: &SignableRequest<'_>) -> String {
        let mut canonical = String::new();
        let signed = write_canonical_request(request, &mut canonical);
        let signed_headers = &canonical[signed];
        let mut hex = [0u8; 64];
        let canonical_hash = hex_of(&Sha256::digest(canonical.as_bytes()), &mut hex);
        let mut mac = self.mac.clone();
        for part in [ALGORITHM, "\n", sdk_date, "\n", canonical_hash] {
            mac.update(part.as_bytes());
        }
        let mut hex = [0u8; 64];
        let signature = hex_of(&mac.finalize().into_bytes(), &mut hex);
        let parts = [
            ALGORITHM,
            " Access=",
            &self.access_key,
            ", SignedHeaders=",
            signed_headers,
            ", Signature=",
            signature,
        ];
        parts.concat()
    }
}

/// [`Signer::authorization`] for a one-off signature.
pub fn authorization(
    access_key: &str,
    secret_key: &str,
    sdk_date: &str,
    request: &SignableRequest<'_>,
) -> String {
    Signer::new(access_key, secret_key).authorization(sdk_date, request)
}

/// `SDK-HMAC-SHA256 \n date \n hex(sha256(canonical request))`.
pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    //! Reference vectors from the official SDKs (see `shared/research/apis.md`).
    use super::*;

    const AK: &str = "AKEXAMPLE0000000000";
    const SK: &str = "SKEXAMPLE0000000000000000000000000000000";
    const DATE: &str = "20240910T020758Z";
    const DBSS: &str = "https://dbss.ap-southeast-1.myhuaweicloud.com/v1/0123456789abcdef0123456789abcdef/db-om/fedcba9876543210fedcba9876543210/stop";

    /// Signs like the Python SDK: the given headers plus `host` and `X-Sdk-Date`.
    fn python_sdk(method: &str, url: &str, given: &[(&str, &str)], body: &[u8]) -> String {
        let url = url::Url::parse(url).unwrap();
        let host = super::super::host_header(&url);
        let mut headers = given.to_vec();
        headers.push(("Host", &host));
        headers.push(("X-Sdk-Date", DATE));
        authorization(
            AK,
            SK,
            DATE,
            &SignableRequest {
                method,
                url: &url,
                headers: &headers,
                body,
            },
        )
    }

    #[test]
    fn dbss_stop_with_content_type() {
        assert_eq!(
            python_sdk("POST", DBSS, &[("Content-Type", "application/json")], b""),
            "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=content-type;host;x-sdk-date, Signature=7d5d556eddacd4454fde4969b4654c7583a50a47cdb0553ea73b974a2ed3c490"
        );
    }

    #[test]
    fn dws_pause_with_project_id() {
        assert_eq!(
            python_sdk(
                "POST",
                "https://dws.cn-north-4.myhuaweicloud.com/v2/89cd04f168b84af6be287f71730fdb4b/disaster-recovery/e59d6b86-9072-46eb-a996-13f8b44994c1/pause",
                &[("X-Project-Id", "89cd04f168b84af6be287f71730fdb4b")],
                b"",
            ),
            "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=host;x-project-id;x-sdk-date, Signature=f9756752c6abdc7e470b4561c1f29b239b7cfc2f52c65e117323af471eee6d0a"
        );
    }

    #[test]
    fn rds_shutdown_with_json_body() {
        assert_eq!(
            python_sdk(
                "POST",
                "https://rds.eu-de.otc.t-systems.com/v3/054ea741f700d4a32f1bc00f5c80dd4c/instances/5b409baece064984a1b3eef6addae50cin01/action/shutdown",
                &[("Content-Type", "application/json")],
                b"{}",
            ),
            "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=content-type;host;x-sdk-date, Signature=afb55fcd91f29bb4576f38a14a8895c83bb6f1f05384a51734a3588c64982fbb"
        );
    }

    #[test]
    fn dbss_stop_without_headers() {
        assert_eq!(
            python_sdk("POST", DBSS, &[], b""),
            "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=host;x-sdk-date, Signature=6cc35d05e1a8fdba169b5f4626ee031965f02c059cdf6d72db1b48c7a97e20e4"
        );
    }

    #[test]
    fn dbss_stop_with_project_id() {
        assert_eq!(
            python_sdk("POST", DBSS, &[("X-Project-Id", "0123456789abcdef0123456789abcdef")], b""),
            "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=host;x-project-id;x-sdk-date, Signature=4c77db69d5599cd46aa1ecaf7913c13183481bcdb7f94b7d6d048b119acf8e26"
        );
    }

    #[test]
    fn get_with_unsorted_query_signs_the_canonical_order() {
        let expected = "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, SignedHeaders=host;x-sdk-date, Signature=41b4666b4967df9cdfeabf689c1abb0c00093ab31626370f340b92b60d5f767f";
        let base = "https://dbss.ap-southeast-1.myhuaweicloud.com/v1/0123456789abcdef0123456789abcdef/dbss/audit/instances";
        // As given, and as the SDK sends it (canonical order): both sign the same.
        assert_eq!(
            python_sdk("GET", &format!("{base}?b=2&a=1&c=x%20y&d=%2F"), &[], b""),
            expected
        );
        assert_eq!(
            python_sdk("GET", &format!("{base}?a=1&b=2&c=x%20y&d=%2F"), &[], b""),
            expected
        );
    }

    #[test]
    fn canonical_request_and_string_to_sign_of_dbss_stop() {
        let url = url::Url::parse(DBSS).unwrap();
        let headers = [
            ("host", "dbss.ap-southeast-1.myhuaweicloud.com"),
            ("X-Sdk-Date", DATE),
        ];
        let (canonical, signed) = canonical_request(&SignableRequest {
            method: "POST",
            url: &url,
            headers: &headers,
            body: b"",
        });
        assert_eq!(
            canonical,
            "POST\n/v1/0123456789abcdef0123456789abcdef/db-om/fedcba9876543210fedcba9876543210/stop/\n\nhost:dbss.ap-southeast-1.myhuaweicloud.com\nx-sdk-date:20240910T020758Z\n\nhost;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(signed, "host;x-sdk-date");
        // The research file's "string to sign hashes to" value is the canonical request's
        // hash, the last line of the string to sign.
        assert_eq!(
            string_to_sign(DATE, &canonical),
            "SDK-HMAC-SHA256\n20240910T020758Z\ne365c91e579a5820fdbe0725a9811c812eb77432c43ee576b41ec0c9a62cfd27"
        );
    }

    #[test]
    fn python_sdk_own_test() {
        let url =
            url::Url::parse("https://service.endpoint.myhuaweicloud.com/resources?size=1").unwrap();
        let headers = [
            ("Host", "service.endpoint.myhuaweicloud.com"),
            ("X-Sdk-Date", "20200608T023900Z"),
        ];
        let request = SignableRequest {
            method: "GET",
            url: &url,
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            authorization("AccessKey", "SecretKey", "20200608T023900Z", &request),
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"
        );
    }

    #[test]
    fn go_sdk_own_test_skips_underscore_headers() {
        let url = url::Url::parse("https://example.huaweicloud.com/path?limit=1").unwrap();
        let headers = [
            ("X-Sdk-Date", "20060102T150405Z"),
            ("TEST_UNDERSCORE", "TEST_VALUE"),
        ];
        let request = SignableRequest {
            method: "GET",
            url: &url,
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            authorization("AccessKey", "SecretKey", "20060102T150405Z", &request),
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
        );
    }

    #[test]
    fn encoded_path_segments_are_normalised() {
        // `%7E` and `~` are the same character; the gateway decodes the whole path before
        // splitting it, so an encoded `/` separates segments too.
        let sign = |url: &str| {
            let url = url::Url::parse(url).unwrap();
            canonical_request(&SignableRequest {
                method: "get",
                url: &url,
                headers: &[("X-Sdk-Date", DATE)],
                body: b"",
            })
            .0
        };
        assert_eq!(
            sign("https://h/a%7Eb/c%20d/%E4%B8%80"),
            sign("https://h/a~b/c%20d/一")
        );
        assert!(sign("https://h/a%2Fb/c").starts_with("GET\n/a/b/c/\n"));
    }

    #[test]
    fn a_declared_payload_hash_replaces_the_body_hash() {
        let url = url::Url::parse(DBSS).unwrap();
        let (canonical, _) = canonical_request(&SignableRequest {
            method: "PUT",
            url: &url,
            headers: &[
                ("X-Sdk-Date", DATE),
                ("X-Sdk-Content-Sha256", UNSIGNED_PAYLOAD),
            ],
            body: b"file bytes",
        });
        assert!(canonical.ends_with("\nUNSIGNED-PAYLOAD"), "{canonical}");
    }

    #[test]
    fn empty_body_and_empty_object_sign_differently() {
        let url = url::Url::parse(DBSS).unwrap();
        let headers = [("X-Sdk-Date", DATE)];
        let empty = authorization(
            AK,
            SK,
            DATE,
            &SignableRequest {
                method: "POST",
                url: &url,
                headers: &headers,
                body: b"",
            },
        );
        let object = authorization(
            AK,
            SK,
            DATE,
            &SignableRequest {
                method: "POST",
                url: &url,
                headers: &headers,
                body: b"{}",
            },
        );
        assert_ne!(empty, object);
    }
}
