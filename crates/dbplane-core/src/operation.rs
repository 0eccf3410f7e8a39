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
            let number: f64 = value
                .parse()
                .map_err(|_| format!("must be a number ({}), got `{value}`", rule()))?;
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
            for (name, value) in request.url().query_pairs() {
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
        let mut actual = wire_path.trim_start_matches('/').rsplit('/');
        let fits = self
            .path
            .trim_start_matches('/')
            .rsplit('/')
            .all(|t| match actual.next() {
                Some(a) if t.starts_with('{') => is_one_segment(a),
                Some(a) => t == a,
                None => false,
            });
        if fits {
            Ok(())
        } else {
            Err(self.path_parameters().collect())
        }
    }
}

/// Whether `value` may be a path parameter's value: what the specs' pattern
/// `^(?!\.\.?$)[^/\\]+$` accepts (not empty, not `.` or `..`, no `/` or `\`). The
/// generated clients check it with this function rather than a regex.
pub fn is_safe_path_value(value: &str) -> bool {
    !value.is_empty() && value != "." && value != ".." && !value.contains(['/', '\\'])
}

/// A parameter's segment as sent: non-empty, not a dot segment, and without an encoded `/`
/// or `\` (gateways decode the whole path before splitting it).
fn is_one_segment(segment: &str) -> bool {
    let has = |needle: &str| {
        segment
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    let dots = [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."]
        .iter()
        .any(|d| segment.eq_ignore_ascii_case(d));
    !segment.is_empty() && !dots && !has("%2f") && !has("%5c") && !segment.contains('\\')
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
