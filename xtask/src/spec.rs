//! Finding and loading the specs: `specs/<vendor>/<service>.yaml`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The pattern every string path parameter carries: a value of `.` or `..`, or one with `/`
/// or `\`, would change which resource a request acts on (URL parsers resolve dot segments
/// and turn `\` into `/`; gateways decode `%2F` before splitting the path).
pub const PATH_PARAMETER_PATTERN: &str = r"^(?!\.\.?$)[^/\\]+$";

/// How an overlay file's name ends (`specs/<vendor>/<service>.overlay.yaml`).
pub const OVERLAY_SUFFIX: &str = ".overlay.yaml";

/// One service spec and the generated module it produces.
#[derive(Debug, Clone)]
pub struct Service {
    /// Vendor directory under `specs/` (`huaweicloud`).
    pub vendor: String,
    /// Service name, the spec's file stem (`dbss`).
    pub name: String,
    /// The spec, relative to the workspace root.
    pub spec_path: PathBuf,
    /// The generated module, relative to the workspace root.
    pub output_path: PathBuf,
}

impl Service {
    /// A service for a spec file outside `specs/` (`cargo xtask diff`): vendor and service
    /// named after the file's folder and stem.
    pub fn for_file(path: &Path) -> Self {
        let name = file_stem(path);
        let vendor = path
            .parent()
            .map(file_stem)
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "vendor".into());
        Self {
            vendor: vendor.clone(),
            name: name.clone(),
            spec_path: path.to_path_buf(),
            output_path: PathBuf::from("crates")
                .join(format!("dbplane-{vendor}"))
                .join("src/generated")
                .join(format!("{name}.rs")),
        }
    }
}

/// A spec that could not be read or is not valid OpenAPI.
#[derive(Debug)]
pub struct SpecError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// Every service spec under `root/specs`, sorted by path so output order is stable.
pub fn discover(root: &Path) -> Result<Vec<Service>, SpecError> {
    let specs = root.join("specs");
    let read_dir = |dir: &Path| {
        std::fs::read_dir(dir).map_err(|e| SpecError {
            file: dir.to_path_buf(),
            line: None,
            message: format!("cannot read directory: {e}"),
        })
    };
    let mut services = Vec::new();
    for vendor in read_dir(&specs)? {
        let vendor = vendor.map_err(|e| io_error(&specs, e))?.path();
        if !vendor.is_dir() {
            continue;
        }
        for file in read_dir(&vendor)? {
            let file = file.map_err(|e| io_error(&vendor, e))?.path();
            if file.extension().and_then(|e| e.to_str()) != Some("yaml")
                || file
                    .to_string_lossy()
                    .ends_with(crate::spec::OVERLAY_SUFFIX)
            {
                continue;
            }
            let vendor_name = file_stem(&vendor);
            let name = file_stem(&file);
            services.push(Service {
                vendor: vendor_name.clone(),
                name: name.clone(),
                spec_path: PathBuf::from("specs")
                    .join(&vendor_name)
                    .join(format!("{name}.yaml")),
                output_path: PathBuf::from("crates")
                    .join(format!("dbplane-{vendor_name}"))
                    .join("src/generated")
                    .join(format!("{name}.rs")),
            });
        }
    }
    services.sort_by(|a, b| a.spec_path.cmp(&b.spec_path));
    Ok(services)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn io_error(path: &Path, e: std::io::Error) -> SpecError {
    SpecError {
        file: path.to_path_buf(),
        line: None,
        message: e.to_string(),
    }
}

/// A parsed spec: its text, its JSON form (for rules and examples) and its typed form.
pub struct LoadedSpec {
    pub file: PathBuf,
    pub text: String,
    pub json: Value,
    pub openapi: openapiv3::OpenAPI,
}

impl LoadedSpec {
    /// The first line (1-based) at or after `from` that contains `needle`.
    pub fn line_of(&self, needle: &str, from: usize) -> Option<usize> {
        line_of(&self.text, needle, from)
    }

    /// An error located in this spec.
    pub fn error(&self, line: Option<usize>, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file.clone(),
            line,
            message: message.into(),
        }
    }
}

fn line_of(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
}

/// Reads `root/file` and parses it as an OpenAPI 3.0 document whose `$ref`s all resolve.
pub fn load(root: &Path, file: &Path) -> Result<LoadedSpec, SpecError> {
    let text = std::fs::read_to_string(root.join(file)).map_err(|e| io_error(file, e))?;
    parse(file, text)
}

/// Parses spec text; `file` is only used to name the spec in errors.
pub fn parse(file: &Path, text: String) -> Result<LoadedSpec, SpecError> {
    let fail = |line: Option<usize>, message: String| SpecError {
        file: file.to_path_buf(),
        line,
        message,
    };
    let json: Value = serde_norway::from_str(&text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        fail(line, format!("not valid YAML: {e}"))
    })?;
    match json.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => {
            return Err(fail(
                line_of(&text, "openapi:", 1),
                format!("unsupported OpenAPI version {v}: specs are OpenAPI 3.0"),
            ))
        }
        None => return Err(fail(None, "missing `openapi: 3.0.x`".into())),
    }
    check_refs(&json, &json, "#", &mut |pointer, target| {
        fail(
            line_of(&text, target, 1),
            format!("unknown $ref `{target}` at {pointer}"),
        )
    })?;
    let openapi: openapiv3::OpenAPI = serde_json::from_value(json.clone())
        .map_err(|e| fail(None, format!("not a valid OpenAPI 3.0 document: {e}")))?;
    Ok(LoadedSpec {
        file: file.to_path_buf(),
        text,
        json,
        openapi,
    })
}

/// Walks `value` and fails on the first local `$ref` that does not resolve in `doc`.
fn check_refs(
    doc: &Value,
    value: &Value,
    pointer: &str,
    fail: &mut dyn FnMut(&str, &str) -> SpecError,
) -> Result<(), SpecError> {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer =
                    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                if key == "$ref" {
                    let target = child.as_str().unwrap_or_default();
                    let resolves = target
                        .strip_prefix('#')
                        .is_some_and(|p| doc.pointer(p).is_some());
                    if !resolves {
                        return Err(fail(&child_pointer, target));
                    }
                } else {
                    check_refs(doc, child, &child_pointer, fail)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_refs(doc, item, &format!("{pointer}/{i}"), fail)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_yaml_names_file_and_line() {
        let err = parse(
            Path::new("specs/x/y.yaml"),
            "openapi: 3.0.3\ninfo: [unclosed\n".into(),
        )
        .err()
        .expect("bad YAML must fail");
        assert_eq!(err.file, Path::new("specs/x/y.yaml"));
        assert!(err.line.is_some(), "{err}");
        assert!(err.to_string().contains("not valid YAML"), "{err}");
    }

    #[test]
    fn unknown_ref_names_the_target_and_its_line() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n";
        let err = parse(Path::new("s.yaml"), text.into())
            .err()
            .expect("must fail");
        assert_eq!(err.line, Some(7), "{err}");
        assert!(
            err.message.contains("#/components/schemas/Missing"),
            "{err}"
        );
    }

    #[test]
    fn openapi_31_is_refused() {
        let err = parse(
            Path::new("s.yaml"),
            "openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n".into(),
        )
        .err()
        .expect("must fail");
        assert!(err.message.contains("3.1.0"), "{err}");
    }
}
