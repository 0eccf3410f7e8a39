//! The change report against git's `HEAD`, and the version-bump rule it enforces.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::change::diff::{self, Change, Class};
use crate::change::surface::Surfaces;
use crate::spec::{self, LoadedSpec, Service};

/// A file as committed at `rev`, if git has it.
fn at(root: &Path, rev: &str, path: &Path) -> Option<String> {
    let spec = format!("{rev}:{}", path.display().to_string().replace('\\', "/"));
    git(root, &["show", &spec])
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The commit that last set the `version` line of `manifest` (falls back to `HEAD`, e.g. in a
/// shallow clone).
fn version_commit(root: &Path, manifest: &Path) -> String {
    let path = manifest.display().to_string().replace('\\', "/");
    git(
        root,
        &["log", "-1", "--format=%H", "-G", "^version = ", "--", &path],
    )
    .map(|out| out.trim().to_string())
    .filter(|commit| !commit.is_empty())
    .unwrap_or_else(|| "HEAD".to_string())
}

/// The changes from `spec` as committed at `rev` to its working-tree form.
fn changes_since(
    root: &Path,
    rev: &str,
    service: &Service,
    spec: &LoadedSpec,
    surfaces: &Surfaces,
) -> Result<Vec<Change>, String> {
    let old_text =
        at(root, rev, &service.spec_path).ok_or_else(|| format!("not in {rev} (a new spec)"))?;
    let old = spec::parse(&service.spec_path, old_text)
        .map_err(|e| format!("{rev}'s version does not parse ({e})"))?;
    Ok(crate::change::surface::all_changes(
        service, &old, spec, surfaces,
    ))
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

/// Prints each spec's API changes since `HEAD`, per operation; returns the vendor crates
/// whose specs changed.
pub fn report_since_head(
    root: &Path,
    specs: &[(Service, LoadedSpec)],
    surfaces: &Surfaces,
) -> BTreeSet<String> {
    let mut changed = BTreeSet::new();
    for (service, spec) in specs {
        match changes_since(root, "HEAD", service, spec, surfaces) {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                println!("API changes in {} since HEAD:", service.spec_path.display());
                print!("{}", diff::report(&changes));
                changed.insert(format!("dbplane-{}", service.vendor));
            }
            Err(why) => println!("{}: {why}; no report", service.spec_path.display()),
        }
    }
    changed
}

/// Checks each vendor crate's version against its specs' changes since the commit that last
/// set that version (committed or not). Returns false when a breaking change has no bump;
/// a compatible change's bump is suggested for the crates in `edited` (changed since `HEAD`).
pub fn check_versions(
    root: &Path,
    specs: &[(Service, LoadedSpec)],
    edited: &BTreeSet<String>,
    surfaces: &Surfaces,
) -> bool {
    let mut by_crate: BTreeMap<String, Vec<&(Service, LoadedSpec)>> = BTreeMap::new();
    for entry in specs {
        by_crate
            .entry(format!("dbplane-{}", entry.0.vendor))
            .or_default()
            .push(entry);
    }
    let mut ok = true;
    for (krate, services) in by_crate {
        let manifest = Path::new("crates").join(&krate).join("Cargo.toml");
        // The release before the version last set (the version commit's parent): the bump
        // made there covers every change since that release, made before or after it.
        let baseline = format!("{}^", version_commit(root, &manifest));
        let current = std::fs::read_to_string(root.join(&manifest))
            .ok()
            .and_then(|m| package_version(&m));
        let released = at(root, &baseline, &manifest).and_then(|m| package_version(&m));
        let (Some(current), Some(released)) = (current, released) else {
            continue;
        };
        let changes: Vec<Change> = services
            .iter()
            .filter_map(|(service, spec)| {
                changes_since(root, &baseline, service, spec, surfaces).ok()
            })
            .flatten()
            .collect();
        let Some(component) = diff::needed_bump(&changes, &released) else {
            continue;
        };
        let breaking = changes.iter().any(|c| c.class == Class::Breaking);
        let kind = if breaking { "breaking" } else { "compatible" };
        let since = format!("since {released} ({})", short(&baseline));
        if !breaking && !edited.contains(&krate) {
            continue;
        }
        if bumped(&released, &current, component) {
            println!(
                "{krate}: {kind} changes {since}; now {current} (needs a {component} bump): ok"
            );
        } else {
            println!(
                "{krate}: {kind} changes {since} need a {component} bump: {released} → {next} in {} and in \
                 the workspace Cargo.toml's `{krate}` entry, and a CHANGELOG.md entry",
                manifest.display(),
                next = next(&released, component),
            );
            ok &= !breaking;
        }
    }
    ok
}
/// The tool, and the version CI installs.
const SEMVER_CHECKS: (&str, &str) = ("cargo-semver-checks", "0.51.0");

/// `cargo xtask semver-checks`: the compiler's view of compatibility. For each vendor crate
/// whose generated code changed since the commit that last set its version, runs
/// `cargo semver-checks` against that commit (rustdoc of both, then the lints); crates whose
/// generated code did not change are skipped, which keeps CI short. Installs the tool in CI
/// (`CI` set) when it is missing.
pub fn run_semver_checks(root: &Path, services: &[Service]) -> bool {
    let crates: BTreeSet<String> = services
        .iter()
        .map(|s| format!("dbplane-{}", s.vendor))
        .collect();
    let mut due = Vec::new();
    for krate in crates {
        let manifest = Path::new("crates").join(&krate).join("Cargo.toml");
        let baseline = version_commit(root, &manifest);
        let generated = format!("crates/{krate}/src/generated");
        let changed = git(root, &["diff", "--quiet", &baseline, "--", &generated]).is_none();
        if changed {
            // The version set covers the changes since the release before it: the baseline
            // is that release (the version commit's parent), so changes made after the bump
            // and before the next release are checked against the version they will ship in.
            let previous = format!("{baseline}^");
            println!(
                "{krate}: generated code changed since {} (version set): checking against {}",
                short(&baseline),
                previous
            );
            due.push((krate, previous));
        } else {
            println!(
                "{krate}: generated code unchanged since {} (version set): skipped",
                short(&baseline)
            );
        }
    }
    if due.is_empty() {
        return true;
    }
    if !tool_present() && !install_tool() {
        return false;
    }
    let mut ok = true;
    for (krate, baseline) in due {
        let status = Command::new("cargo")
            .args([
                "semver-checks",
                "check-release",
                "-p",
                &krate,
                "--all-features",
                "--baseline-rev",
                &baseline,
            ])
            .current_dir(root)
            .status();
        let passed = status.as_ref().is_ok_and(|s| s.success());
        if !passed {
            eprintln!("{krate}: cargo semver-checks found changes that break callers since {}: bump the version as it says", short(&baseline));
        }
        ok &= passed;
    }
    ok
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

fn tool_present() -> bool {
    Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn install_tool() -> bool {
    let (name, version) = SEMVER_CHECKS;
    if std::env::var_os("CI").is_none_or(|v| v.is_empty()) {
        eprintln!("{name} is not installed: `cargo install {name} --locked --version {version}`");
        return false;
    }
    println!("installing {name} {version} (CI)");
    Command::new("cargo")
        .args(["install", name, "--locked", "--version", version])
        .status()
        .is_ok_and(|s| s.success())
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
