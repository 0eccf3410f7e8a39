//! What the runtime knows of each operation, generated from the spec (`OPERATIONS`): enough
//! to keep a request's path in shape and to decide whether it is safe to send again.

/// One operation of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// progenitor's operation id (`stop_instance`).
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/v3/{project_id}/instances/{instance_id}/action/shutdown`).
    pub path: &'static str,
    /// The spec marks it safe to repeat (`x-dbplane-idempotent: true`).
    pub idempotent: bool,
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
        let template: Vec<&str> = self.path.trim_start_matches('/').split('/').collect();
        let actual: Vec<&str> = wire_path.trim_start_matches('/').split('/').collect();
        let fits = actual.len() >= template.len()
            && template
                .iter()
                .zip(&actual[actual.len() - template.len()..])
                .all(|(t, a)| match t.strip_prefix('{') {
                    Some(_) => is_one_segment(a),
                    None => t == a,
                });
        if fits {
            Ok(())
        } else {
            Err(self.path_parameters().collect())
        }
    }
}

/// A parameter's segment as sent: non-empty, not a dot segment, and without an encoded `/`
/// or `\` (gateways decode the whole path before splitting it).
fn is_one_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    !segment.is_empty()
        && !matches!(
            lower.as_str(),
            "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
        )
        && !lower.contains("%2f")
        && !lower.contains("%5c")
        && !segment.contains('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHUTDOWN: Operation = Operation {
        id: "stop_instance",
        method: "POST",
        path: "/v3/{project_id}/instances/{instance_id}/action/shutdown",
        idempotent: false,
    };

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
