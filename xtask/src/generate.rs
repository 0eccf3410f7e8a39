//! `cargo xtask generate [--check]`: every spec → its client, then the CLI and the contract
//! tests from every spec that loaded; the API change report of each spec edited since the
//! last commit, and the version bump a breaking change needs.

use std::path::Path;
use std::time::Instant;

use crate::change::semver;
use crate::change::surface::Surfaces;
use crate::codegen::output::{sync_file, FileState};
use crate::codegen::{cli, client, contracts};
use crate::spec::{self, LoadedSpec, Service};

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
