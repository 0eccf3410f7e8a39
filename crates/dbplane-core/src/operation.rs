//! What the runtime knows of each operation, generated from the spec (`OPERATIONS`): enough
//! to keep a request's path in shape and to decide whether it is safe to send again.

/// One operation of a spec.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operation {
    /// progenitor's operation id (`stop_instance`).
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/v3/{project_id}/instances/{instance_id}/action/shutdown`).
    pub path: &'static str,
    /// The spec marks it safe to repeat (`x-dbplane-idempotent: true`).
    pub idempotent: bool,
    /// The bounds of its query and header parameters, checked on the request as built.
    pub bounds: &'static [Bound],
}

/// Where a bounded parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The URL's query.
    Query,
    /// A request header.
    Header,
}

/// A query or header parameter's documented bounds (`limit` at most 100).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The parameter, as the spec names it.
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// The smallest number it may be.
    pub minimum: Option<f64>,
    /// The largest number it may be.
    pub maximum: Option<f64>,
    /// The fewest characters it may have.
    pub min_length: Option<usize>,
    /// The most characters it may have.
    pub max_length: Option<usize>,
}

impl Bound {
    /// Whether `value` (as sent) keeps the bounds; `Err` says the rule it breaks.
    pub fn check(&self, value: &str) -> Result<(), String> {
        let rule = || self.describe();
        if self.minimum.is_some() || self.maximum.is_some() {
            let number = parse_number(value)
                .ok_or_else(|| format!("must be a number ({}), got `{value}`", rule()))?;
            if self.minimum.is_some_and(|m| number < m) || self.maximum.is_some_and(|m| number > m)
            {
                return Err(format!("must be {}, got {value}", rule()));
            }
        }
        let chars = value.chars().count();
        if self.min_length.is_some_and(|m| chars < m) || self.max_length.is_some_and(|m| chars > m)
        {
            return Err(format!("must be {}, got {chars} characters", rule()));
        }
        Ok(())
    }

    /// The bounds, for a person (`1 to 100`, `at most 64 characters`).
    pub fn describe(&self) -> String {
        [
            describe_range(self.minimum, self.maximum, ""),
            describe_range(self.min_length, self.max_length, " characters"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// `value` read as a number, as `str::parse::<f64>` reads it; the digits of an integer
/// (most bounded values: `limit`, `offset`) are read without the float parser, which gives
/// the same number for up to 15 digits (a property test compares the two).
fn parse_number(value: &str) -> Option<f64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, value),
    };
    if !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let magnitude = digits
            .bytes()
            .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64;
        return Some(if negative { -magnitude } else { magnitude });
    }
    value.parse().ok()
}

/// A range for a person: `1 to 100`, `at least 1`, `at most 64 characters` (`unit` follows
/// the numbers); `None` when neither end is given.
pub fn describe_range<N: std::fmt::Display>(
    min: Option<N>,
    max: Option<N>,
    unit: &str,
) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min} to {max}{unit}")),
        (Some(min), None) => Some(format!("at least {min}{unit}")),
        (None, Some(max)) => Some(format!("at most {max}{unit}")),
        (None, None) => None,
    }
}

/// The rule every path parameter obeys on the wire.
pub const PATH_PARAMETER_RULE: &str = "must not be `.` or `..`, nor contain `/` or `\\`: such a value would change which resource the request acts on";

impl Operation {
    /// An operation the runtime knows nothing of: repeatable when its method is, and any path.
    pub const fn unknown(id: &'static str) -> Self {
        Self {
            id,
            method: "",
            path: "",
            idempotent: false,
            bounds: &[],
        }
    }

    /// Checks the request as built (its URL's query, its headers) against the bounds of
    /// the query and header parameters; the first parameter out of bounds, and its rule.
    pub fn check_bounds(&self, request: &reqwest::Request) -> Result<(), (&'static str, String)> {
        // The first bound broken, in the spec's order of bounds (and for one bound, its first
        // value broken), found in one pass over the query.
        let mut first: Option<(usize, String)> = None;
        let mut note = |index: usize, bound: &Bound, value: &str| {
            if first.as_ref().is_none_or(|(f, _)| index < *f) {
                if let Err(rule) = bound.check(value) {
                    first = Some((index, rule));
                }
            }
        };
        let bounded = |location: Location| {
            self.bounds
                .iter()
                .enumerate()
                .filter(move |(_, b)| b.location == location)
        };
        if bounded(Location::Query).next().is_some() {
            for (name, value) in query_pairs(request.url().query().unwrap_or_default()) {
                for (index, bound) in bounded(Location::Query).filter(|(_, b)| name == b.name) {
                    note(index, bound, &value);
                }
            }
        }
        for (index, bound) in bounded(Location::Header) {
            for value in request.headers().get_all(bound.name) {
                note(index, bound, &String::from_utf8_lossy(value.as_bytes()));
            }
        }
        match first {
            Some((index, rule)) => Err((self.bounds[index].name, rule)),
            None => Ok(()),
        }
    }

    /// Whether sending the request twice does no more than sending it once: GET, HEAD,
    /// PUT, DELETE and OPTIONS by HTTP's definition, or an operation the spec marks.
    pub fn is_repeatable(&self, method: &reqwest::Method) -> bool {
        use reqwest::Method;
        self.idempotent
            || [
                Method::GET,
                Method::HEAD,
                Method::PUT,
                Method::DELETE,
                Method::OPTIONS,
            ]
            .contains(method)
    }

    /// The path parameters' names, in order.
    pub fn path_parameters(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }

    /// Checks that `wire_path` (the URL path reqwest will send, dot segments already
    /// resolved) has the template's shape: the same literal segments at the end, and each
    /// parameter one non-empty segment that a gateway will not split or resolve.
    /// On failure, returns the path parameters' names.
    pub fn check_wire_path(&self, wire_path: &str) -> Result<(), Vec<&'static str>> {
        if self.path.is_empty() {
            return Ok(());
        }
        // Compared from the end: a base path (`/proxy/rds`) may come before the template.
        let mut actual = Segments::of(wire_path);
        let mut template = Segments::of(self.path);
        let mut fits = true;
        while let Some(t) = template.next_back() {
            fits = match actual.next_back() {
                Some(a) if t.first() == Some(&b'{') => is_one_segment(a),
                Some(a) => t == a,
                None => false,
            };
            if !fits {
                break;
            }
        }
        if fits {
            Ok(())
        } else {
            Err(self.path_parameters().collect())
        }
    }
}

/// A path's segments from the last to the first (`str::rsplit('/')` of the path without its
/// leading slashes), found with a byte search.
struct Segments<'a>(Option<&'a [u8]>);

impl<'a> Segments<'a> {
    fn of(path: &'a str) -> Self {
        Self(Some(path.trim_start_matches('/').as_bytes()))
    }

    fn next_back(&mut self) -> Option<&'a [u8]> {
        let rest = self.0?;
        match memchr::memrchr(b'/', rest) {
            Some(at) => {
                self.0 = Some(&rest[..at]);
                Some(&rest[at + 1..])
            }
            None => {
                self.0 = None;
                Some(rest)
            }
        }
    }
}

/// The decoded name and value of each pair of a URL's `query`, as `form_urlencoded::parse`
/// gives them; a pair with nothing to decode (no `%`, no `+`) is given as it is, uncopied.
fn query_pairs(
    query: &str,
) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    use std::borrow::Cow;
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            if pair.contains(['%', '+']) {
                let decoded = url::form_urlencoded::parse(pair.as_bytes()).next();
                return decoded.unwrap_or_default();
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (Cow::Borrowed(name), Cow::Borrowed(value))
        })
}

/// Whether `value` may be a path parameter's value: what the specs' pattern
/// `^(?!\.\.?$)[^/\\]+$` accepts (not empty, not `.` or `..`, no `/` or `\`). The
/// generated clients check it with this function rather than a regex.
pub fn is_safe_path_value(value: &str) -> bool {
    !value.is_empty()
        && value != "."
        && value != ".."
        && memchr::memchr2(b'/', b'\\', value.as_bytes()).is_none()
}

/// The characters a path parameter's value is sent percent-encoded in: the URL standard's
/// path percent-encode set (controls, space, `"`, `#`, `<`, `>`, `?`, `` ` ``, `{`, `}`), and
/// `/` and `%`, so that a value stays one segment and is read as it was given. It is the
/// set of progenitor's `encode_path`, which a test compares it with.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// The bytes [`PATH_SEGMENT`] leaves as they are: printable ASCII but for space and the
/// set's marks (a test checks it against the set byte by byte).
const UNENCODED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0x21;
    while byte < 0x7f {
        table[byte] = !matches!(
            byte as u8,
            b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}' | b'/' | b'%'
        );
        byte += 1;
    }
    table
};

/// A path parameter's value as it is written into a request path: its `Display` text,
/// percent-encoded as it is written, with no text kept in between. The generated clients
/// write each path parameter through it ([`ToPathSegment::path_segment`]).
pub struct PathSegment<'a, T: ?Sized>(pub &'a T);

/// `value.path_segment()`: the value's [`PathSegment`]. Like `to_string()`, it finds the
/// `Display` of the value or of what the value dereferences to (a string newtype's
/// `String`).
pub trait ToPathSegment {
    /// The value as a path segment.
    fn path_segment(&self) -> PathSegment<'_, Self>;
}

impl<T: std::fmt::Display + ?Sized> ToPathSegment for T {
    fn path_segment(&self) -> PathSegment<'_, Self> {
        PathSegment(self)
    }
}

impl<T: std::fmt::Display + ?Sized> std::fmt::Display for PathSegment<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// Encodes what `Display` writes, piece by piece: the set encodes byte by byte, so
        /// the pieces' encodings joined are the whole text's encoding.
        struct Encoding<'a, 'b>(&'a mut std::fmt::Formatter<'b>);
        impl std::fmt::Write for Encoding<'_, '_> {
            fn write_str(&mut self, piece: &str) -> std::fmt::Result {
                // Most values (ids, names) have nothing to encode: written whole.
                if piece.bytes().all(|b| UNENCODED[usize::from(b)]) {
                    return self.0.write_str(piece);
                }
                for part in percent_encoding::utf8_percent_encode(piece, PATH_SEGMENT) {
                    self.0.write_str(part)?;
                }
                Ok(())
            }
        }
        std::fmt::write(&mut Encoding(f), format_args!("{}", self.0))
    }
}

/// A parameter's segment as sent: non-empty, not a dot segment, and without an encoded `/`
/// or `\` (gateways decode the whole path before splitting it).
fn is_one_segment(segment: &[u8]) -> bool {
    // Without `%` or `\` only a literal dot segment can be wrong.
    if memchr::memchr2(b'%', b'\\', segment).is_none() {
        return !segment.is_empty() && segment != b"." && segment != b"..";
    }
    let has = |needle: &[u8]| {
        segment
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    let dots: [&[u8]; 6] = [b".", b"..", b"%2e", b"%2e%2e", b".%2e", b"%2e."];
    let dots = dots.iter().any(|d| segment.eq_ignore_ascii_case(d));
    !segment.is_empty() && !dots && !has(b"%2f") && !has(b"%5c") && !segment.contains(&b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHUTDOWN: Operation = Operation {
        id: "stop_instance",
        method: "POST",
        path: "/v3/{project_id}/instances/{instance_id}/action/shutdown",
        idempotent: false,
        bounds: &[],
    };

    const LIST: Operation = Operation {
        id: "list_instances",
        method: "GET",
        path: "/v3/{project_id}/instances",
        idempotent: false,
        bounds: &[
            Bound {
                name: "limit",
                location: Location::Query,
                minimum: Some(1.0),
                maximum: Some(100.0),
                min_length: None,
                max_length: None,
            },
            Bound {
                name: "X-Language",
                location: Location::Header,
                minimum: None,
                maximum: None,
                min_length: Some(2),
                max_length: Some(5),
            },
        ],
    };

    fn request(query: &str, language: Option<&str>) -> reqwest::Request {
        let url = format!("https://rds.example/v3/p/instances?{query}");
        let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
        if let Some(language) = language {
            request
                .headers_mut()
                .insert("x-language", language.parse().unwrap());
        }
        request
    }

    #[test]
    fn query_and_header_values_out_of_bounds_are_named_with_their_rule() {
        assert_eq!(
            LIST.check_bounds(&request("limit=100&offset=7", Some("en-us"))),
            Ok(())
        );
        assert_eq!(LIST.check_bounds(&request("offset=7", None)), Ok(()));
        assert_eq!(
            LIST.check_bounds(&request("offset=0&limit=500", None)),
            Err(("limit", "must be 1 to 100, got 500".to_string()))
        );
        assert_eq!(
            LIST.check_bounds(&request("limit=0", None)),
            Err(("limit", "must be 1 to 100, got 0".to_string()))
        );
        assert_eq!(
            LIST.check_bounds(&request("limit=ten", None)),
            Err((
                "limit",
                "must be a number (1 to 100), got `ten`".to_string()
            ))
        );
        assert_eq!(
            LIST.check_bounds(&request("", Some("english"))),
            Err((
                "X-Language",
                "must be 2 to 5 characters, got 7 characters".to_string()
            ))
        );
    }

    #[test]
    fn of_two_bounds_broken_the_first_in_the_specs_order_is_named() {
        // `X-Language` breaks too, and `limit` comes first in the spec; within `limit`,
        // the first value sent.
        assert_eq!(
            LIST.check_bounds(&request("offset=1&limit=0&limit=500", Some("english"))),
            Err(("limit", "must be 1 to 100, got 0".to_string()))
        );
        static REVERSED: [Bound; 2] = [LIST.bounds[1], LIST.bounds[0]];
        let reversed = Operation {
            bounds: &REVERSED,
            ..LIST
        };
        assert_eq!(
            reversed.check_bounds(&request("limit=0", Some("english"))),
            Err((
                "X-Language",
                "must be 2 to 5 characters, got 7 characters".to_string()
            ))
        );
    }

    #[test]
    fn the_documented_shape_passes_with_or_without_a_base_path() {
        let ok = "/v3/054ea741f700d4a32f1bc00f5c80dd4c/instances/5b40%20x/action/shutdown";
        assert_eq!(SHUTDOWN.check_wire_path(ok), Ok(()));
        assert_eq!(SHUTDOWN.check_wire_path(&format!("/proxy/rds{ok}")), Ok(()));
    }

    #[test]
    fn reshaped_paths_are_refused() {
        for path in [
            "/v3/p/action/shutdown",                       // instance_id `..`
            "/v3/p/instances/action/shutdown",             // instance_id `.`
            "/v3/ffff/instances/victim/action/shutdown/x", // extra segment
            "/v3/p/instances/a%2Fb/action/shutdown",       // split by the gateway
            "/v3/p/instances/a%5cb/action/shutdown",
            "/v3/p/instances//action/shutdown",
        ] {
            assert_eq!(
                SHUTDOWN.check_wire_path(path),
                Err(vec!["project_id", "instance_id"]),
                "{path}"
            );
        }
    }

    #[test]
    fn the_unencoded_bytes_are_those_the_set_leaves() {
        for byte in 0..=255u8 {
            let encoded = percent_encoding::percent_encode(&[byte], PATH_SEGMENT).to_string();
            assert_eq!(
                UNENCODED[usize::from(byte)],
                encoded.as_bytes() == [byte],
                "{byte:#04x}"
            );
        }
    }

    proptest::proptest! {
        /// The path check is its definition: the template's segments and the path's, matched
        /// from the end with `str::rsplit`.
        #[test]
        fn the_wire_path_check_is_its_definition(
            path in proptest::prop_oneof![
                "(/|/v3|/p|/instances|/action|/shutdown|/x%2F|/\\.|/\\.\\.|/%2e|/a\\\\b|//)*",
                "(/proxy)?/v3/([a-z0-9.%/\\\\]|%2[eEfF]|%5[cC])*/instances/([a-z0-9.%/\\\\]|%2[eEfF])*/action/shutdown(/x)?",
            ]
        ) {
            let mut actual = path.trim_start_matches('/').rsplit('/');
            let fits = SHUTDOWN
                .path
                .trim_start_matches('/')
                .rsplit('/')
                .all(|t| match actual.next() {
                    Some(a) if t.starts_with('{') => is_one_segment(a.as_bytes()),
                    Some(a) => t == a,
                    None => false,
                });
            proptest::prop_assert_eq!(SHUTDOWN.check_wire_path(&path).is_ok(), fits, "{}", path);
        }

        /// A bounded value is the number `str::parse::<f64>` reads, bit for bit (so `-0` is
        /// negative zero), or none where it reads none.
        #[test]
        fn a_number_is_what_the_float_parser_reads(
            value in "[-+]?[0-9]{0,17}|[-+]?[0-9]{1,4}(\\.[0-9]{0,3})?(e[-+]?[0-9]{1,3})?|-?(inf|NaN|x|0x1f| 1)",
        ) {
            let ours = parse_number(&value).map(f64::to_bits);
            let floats = value.parse::<f64>().ok().map(f64::to_bits);
            proptest::prop_assert_eq!(ours, floats, "{}", value);
        }

        /// The query is read as `form_urlencoded` (the `url` crate's `query_pairs`) reads it.
        #[test]
        fn query_pairs_are_the_url_crates(query in "([a-z=&+%]|%2[0bB]|%[0-9a-fA-F]{2}|%C3%A9|é)*") {
            let url = url::Url::parse(&format!("https://x.example/p?{query}")).unwrap();
            let expected: Vec<_> = url.query_pairs().collect();
            let read: Vec<_> = query_pairs(url.query().unwrap_or_default()).collect();
            proptest::prop_assert_eq!(read, expected);
        }

        /// A value is written as progenitor's `encode_path` writes it, for any text and for
        /// values that are not text.
        #[test]
        fn a_path_segment_is_encode_path_of_the_value(
            text in "\\PC*|[\\x00-\\x7f]*",
            number: i64,
        ) {
            /// Text whose `Display` writes one character at a time.
            struct Pieces<'a>(&'a str);
            impl std::fmt::Display for Pieces<'_> {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    self.0.chars().try_for_each(|c| std::fmt::Write::write_char(f, c))
                }
            }
            proptest::prop_assert_eq!(
                PathSegment(&Pieces(&text)).to_string(),
                progenitor_client::encode_path(&text)
            );
            proptest::prop_assert_eq!(
                PathSegment(&text).to_string(),
                progenitor_client::encode_path(&text)
            );
            proptest::prop_assert_eq!(
                PathSegment(text.as_str()).to_string(),
                progenitor_client::encode_path(&text)
            );
            /// A string newtype without `Display` of its own, as progenitor writes some.
            struct Newtype(String);
            impl std::ops::Deref for Newtype {
                type Target = String;
                fn deref(&self) -> &String {
                    &self.0
                }
            }
            proptest::prop_assert_eq!(
                Newtype(text.clone()).path_segment().to_string(),
                progenitor_client::encode_path(&text)
            );
            proptest::prop_assert_eq!(
                number.path_segment().to_string(),
                progenitor_client::encode_path(&number.to_string())
            );
        }

        /// The segment check is its definition: what a gateway that percent-decodes the
        /// segment once reads is one segment (not empty, not `.` or `..`, no `/` or `\`).
        /// (A raw `/` never reaches it: the path is split there.)
        #[test]
        fn a_segment_is_one_when_its_decoded_form_is(
            segment in "([a-z0-9.%\\\\]|%2[eEfF]|%5[cC]|%25|%2)*"
        ) {
            let decoded = percent_encoding::percent_decode_str(&segment).collect::<Vec<u8>>();
            let definition = !decoded.is_empty()
                && decoded != b"."
                && decoded != b".."
                && !decoded.iter().any(|b| *b == b'/' || *b == b'\\');
            proptest::prop_assert_eq!(
                is_one_segment(segment.as_bytes()),
                definition,
                "{}",
                segment
            );
        }
    }

    #[test]
    fn repeatable_by_method_or_by_the_spec() {
        assert!(!SHUTDOWN.is_repeatable(&reqwest::Method::POST));
        assert!(SHUTDOWN.is_repeatable(&reqwest::Method::GET));
        let marked = Operation {
            idempotent: true,
            ..SHUTDOWN
        };
        assert!(marked.is_repeatable(&reqwest::Method::POST));
    }
}
