//! `cargo xtask generate [--check]`: every spec → its client (progenitor), the CLI's command
//! tree, the waiters and list walks, and the contract tests; each written as a formatted,
//! `@generated` file, or with `--check` compared with the committed one.

use std::path::Path;
use std::time::Instant;

use crate::change::semver;
use crate::change::surface::Surfaces;
use crate::spec::{self, LoadedSpec, Service, SpecError};

pub mod cli;
pub mod client;
pub mod contracts;
pub mod lifecycle;
pub mod names;

/// Regenerates (or with `check`, compares) every generated file; false when one is stale, a
/// spec is broken, or a breaking change has no version bump.
pub fn run(root: &Path, check: bool) -> bool {
    let started = Instant::now();
    let services = match spec::discover(root) {
        Ok(services) => services,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let mut run = Run { ok: true };
    let surfaces = Surfaces::default();
    let loaded = render_clients(root, &services, check, &surfaces, &mut run);
    note_broken_specs(&services, &loaded);
    let edited = semver::report_since_head(root, &loaded, &surfaces);
    let versions_ok = semver::check_versions(root, &loaded, &edited, &surfaces) || !check;
    let output = Path::new(cli::OUTPUT);
    run.report(
        output,
        cli::render(&loaded).and_then(|code| write(root, output, &code, check)),
    );
    let output = Path::new(contracts::OUTPUT);
    run.report(
        output,
        contracts::render(&loaded).and_then(|code| write(root, output, &code, check)),
    );
    let verb = if check { "checked" } else { "generated" };
    println!(
        "{verb} {} specs in {:.1?}",
        services.len(),
        started.elapsed()
    );
    if check && !run.ok {
        eprintln!("generated code is stale or a spec is broken: run `cargo xtask generate` and commit the result");
    }
    if !versions_ok {
        eprintln!("a breaking API change has no version bump: bump the crate as reported above");
    }
    run.ok && versions_ok
}

/// What a run has printed so far, and whether all of it was good.
struct Run {
    ok: bool,
}

impl Run {
    /// Prints one file's state (or error), remembering a failure.
    fn report(&mut self, path: &Path, result: Result<FileState, String>) {
        match result {
            Ok(FileState::Unchanged) => println!("unchanged  {}", path.display()),
            Ok(FileState::Written) => println!("written    {}", path.display()),
            Ok(FileState::Stale { diff }) => {
                self.ok = false;
                println!("stale      {} (regenerate from specs/)", path.display());
                print!("{diff}");
            }
            Err(e) => {
                self.ok = false;
                eprintln!("error: {e}");
            }
        }
    }
}

/// Renders and writes each service's client; the specs that loaded and rendered, in order.
fn render_clients(
    root: &Path,
    services: &[Service],
    check: bool,
    surfaces: &Surfaces,
    run: &mut Run,
) -> Vec<(Service, LoadedSpec)> {
    let mut loaded = Vec::new();
    for service in services {
        let result = spec::load(root, &service.spec_path).and_then(|spec| {
            let code = client::render(&spec)?;
            surfaces.remember(&spec, &code);
            let state = sync_file(root, &service.output_path, &code, check)?;
            loaded.push((service.clone(), spec));
            Ok(state)
        });
        run.report(&service.output_path, result.map_err(|e| e.to_string()));
    }
    loaded
}

/// One broken spec does not stop the others: the CLI and the contract tests are rendered
/// from every spec that loaded (the run still fails, naming the broken one).
fn note_broken_specs(services: &[Service], loaded: &[(Service, LoadedSpec)]) {
    let broken: Vec<String> = services
        .iter()
        .filter(|s| !loaded.iter().any(|(l, _)| l.spec_path == s.spec_path))
        .map(|s| s.spec_path.display().to_string())
        .collect();
    if !broken.is_empty() {
        eprintln!(
            "note: the CLI and the contract tests are rendered without {} (see the error above)",
            broken.join(", ")
        );
    }
}

/// [`sync_file`] for a file rendered from every spec.
fn write(root: &Path, path: &Path, code: &str, check: bool) -> Result<FileState, String> {
    sync_file(root, path, code, check).map_err(|e| e.to_string())
}

/// The state of one generated file after a run.
#[derive(Debug, PartialEq, Eq)]
pub enum FileState {
    Unchanged,
    Written,
    Stale { diff: String },
}

/// Writes `fresh` to `root/path` when it differs; with `check`, only reports the difference.
pub fn sync_file(
    root: &Path,
    path: &Path,
    fresh: &str,
    check: bool,
) -> Result<FileState, SpecError> {
    let target = root.join(path);
    let current = std::fs::read_to_string(&target).unwrap_or_default();
    if current == fresh {
        return Ok(FileState::Unchanged);
    }
    if check {
        return Ok(FileState::Stale {
            diff: short_diff(&current, fresh, path),
        });
    }
    let write_error = |e: std::io::Error| SpecError {
        file: path.to_path_buf(),
        line: None,
        message: format!("cannot write: {e}"),
    };
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    std::fs::write(&target, fresh).map_err(write_error)?;
    Ok(FileState::Written)
}

/// Parses generated tokens and prints them with the `@generated` header.
pub fn format_generated(tokens: proc_macro2::TokenStream, source: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(format!(
        "// @generated by `cargo xtask generate` from {source}.\n// Do not edit by hand: edit the spec and regenerate.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

/// A unified diff of committed → regenerated, cut to a readable length.
fn short_diff(old: &str, new: &str, path: &Path) -> String {
    const MAX_LINES: usize = 60;
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (from spec)"),
        )
        .to_string();
    let total = diff.lines().count();
    let mut shown: String = diff
        .lines()
        .take(MAX_LINES)
        .map(|l| format!("{l}\n"))
        .collect();
    if total > MAX_LINES {
        shown.push_str(&format!("... ({} more diff lines)\n", total - MAX_LINES));
    }
    shown
}
