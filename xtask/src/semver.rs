//! The change report against git's `HEAD`, and the version-bump rule it enforces.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::diff::{self, Change, Class};
use crate::spec::{self, LoadedSpec, Service};

/// A file as committed at `HEAD`, if git has it.
fn at_head(root: &Path, path: &Path) -> Option<String> {
    let spec = format!("HEAD:{}", path.display().to_string().replace('\\', "/"));
    let output = Command::new("git")
        .args(["show", &spec])
        .current_dir(root)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `version = "…"` of a Cargo.toml's `[package]`.
fn package_version(manifest: &str) -> Option<String> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .find_map(|l| {
            l.trim()
                .strip_prefix("version = ")
                .map(|v| v.trim_matches('"').to_string())
        })
}

fn parse_version(version: &str) -> (u64, u64, u64) {
    let mut parts = version
        .split(['.', '-', '+'])
        .map(|p| p.parse().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// Whether going from `old` to `new` bumps at least `component`.
fn bumped(old: &str, new: &str, component: &str) -> bool {
    let (o, n) = (parse_version(old), parse_version(new));
    match component {
        "major" => n.0 > o.0,
        "minor" => n.0 > o.0 || (n.0 == o.0 && n.1 > o.1),
        _ => n > o,
    }
}

/// The next version with `component` bumped.
fn next(version: &str, component: &str) -> String {
    let (major, minor, patch) = parse_version(version);
    match component {
        "major" => format!("{}.0.0", major + 1),
        "minor" => format!("{major}.{}.0", minor + 1),
        _ => format!("{major}.{minor}.{}", patch + 1),
    }
}

/// Prints each spec's changes since `HEAD` and checks every vendor crate's version against
/// them. Returns false when a breaking change has no matching version bump.
pub fn report_since_head(root: &Path, specs: &[(Service, LoadedSpec)]) -> bool {
    let mut by_crate: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    for (service, spec) in specs {
        let Some(old_text) = at_head(root, &service.spec_path) else {
            println!("{}: not in HEAD (a new spec)", service.spec_path.display());
            continue;
        };
        let old = match spec::parse(&service.spec_path, old_text) {
            Ok(old) => old,
            Err(e) => {
                println!(
                    "{}: HEAD's version does not parse ({e}); no report",
                    service.spec_path.display()
                );
                continue;
            }
        };
        let changes = diff::compare(&old.json, &spec.json);
        if !changes.is_empty() {
            println!("API changes in {} since HEAD:", service.spec_path.display());
            print!("{}", diff::report(&changes));
        }
        by_crate
            .entry(format!("dbplane-{}", service.vendor))
            .or_default()
            .extend(changes);
    }
    let mut ok = true;
    for (krate, changes) in by_crate {
        let manifest = Path::new("crates").join(&krate).join("Cargo.toml");
        let current = std::fs::read_to_string(root.join(&manifest))
            .ok()
            .and_then(|m| package_version(&m));
        let committed = at_head(root, &manifest).and_then(|m| package_version(&m));
        let (Some(current), Some(committed)) = (current, committed) else {
            continue;
        };
        let Some(component) = diff::needed_bump(&changes, &committed) else {
            continue;
        };
        let breaking = changes.iter().any(|c| c.class == Class::Breaking);
        let enough = bumped(&committed, &current, component);
        let kind = if breaking { "breaking" } else { "compatible" };
        if enough {
            println!("{krate}: {kind} changes; version {committed} → {current} (needs a {component} bump): ok");
        } else {
            println!(
                "{krate}: {kind} changes need a {component} bump: {committed} → {next} in {} and in the \
                 workspace Cargo.toml's `{krate}` entry, and a CHANGELOG.md entry",
                manifest.display(),
                next = next(&committed, component),
            );
            ok &= !breaking;
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_bumps() {
        assert_eq!(
            package_version("[package]\nname = \"x\"\nversion = \"0.3.1\"\n"),
            Some("0.3.1".into())
        );
        assert!(bumped("0.1.0", "0.2.0", "minor"));
        assert!(!bumped("0.1.0", "0.1.1", "minor"));
        assert!(bumped("0.1.0", "1.0.0", "minor"));
        assert!(bumped("1.2.3", "2.0.0", "major"));
        assert!(!bumped("1.2.3", "1.3.0", "major"));
        assert_eq!(next("0.1.4", "minor"), "0.2.0");
        assert_eq!(next("1.1.4", "major"), "2.0.0");
    }
}
