//! The workspace's maintenance commands: `cargo xtask generate [--check]`, `cargo xtask lint`.

mod cli;
mod contracts;
mod diff;
mod docs;
mod generate;
mod import;
mod lifecycle;
mod lint;
mod overlay;
mod report;
mod rst;
mod seeds;
mod semver;
mod spec;
mod surface;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use generate::FileState;

#[derive(Parser)]
#[command(about = "dbplane maintenance: regenerate clients from specs/, check and lint the specs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every vendor crate's generated modules from specs/.
    Generate {
        /// Write nothing; fail (with a diff) when committed code differs from the specs.
        #[arg(long)]
        check: bool,
    },
    /// Check every spec against the project's rules.
    Lint,
    /// Re-import every spec that has an overlay (`specs/<vendor>/<service>.overlay.yaml`)
    /// from the vendor's pages, with the overlay applied; or, given pages, print their
    /// operations as YAML. What a page leaves unclear is listed on stderr.
    Import {
        /// Pages to print (instead of re-importing the specs).
        pages: Vec<PathBuf>,
        /// The folder the sources are relative to (default: ../shared beside the workspace).
        #[arg(long)]
        docs: Option<PathBuf>,
        /// Write nothing; fail when a spec differs from its import.
        #[arg(long)]
        check: bool,
        /// List every note.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Compare each spec operation with the vendor page it names (`x-dbplane-source`).
    Docs {
        #[command(subcommand)]
        command: DocsCommand,
    },
    /// Run cargo-semver-checks on each vendor crate whose generated code changed since its
    /// version was last set (the compiler's view of what breaks callers).
    SemverChecks,
    /// Report the API changes from one spec file to another (e.g. before committing a doc update).
    Diff {
        /// The spec as it was.
        old: PathBuf,
        /// The spec as it is now.
        new: PathBuf,
    },
}

#[derive(Subcommand)]
enum DocsCommand {
    /// List every disagreement between the specs and their source pages; fails if any.
    Check {
        /// The folder the sources (`x-dbplane-source`) are relative to (default: ../shared
        /// beside the workspace: the seed pages and the reference docs).
        #[arg(long)]
        docs: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let ok = match cli.command {
        Command::Generate { check } => run_generate(&root, check),
        Command::Lint => run_lint(&root),
        Command::Docs {
            command: DocsCommand::Check { docs },
        } => run_docs_check(&root, docs),
        Command::Import {
            pages,
            docs,
            check,
            verbose,
        } => {
            if pages.is_empty() {
                let docs = docs.unwrap_or_else(|| root.join("../shared"));
                import::run_targets(&root, &docs, check, verbose)
            } else {
                let docs = docs.unwrap_or_else(|| root.join("../shared"));
                import::run_pages(&pages, &docs)
            }
        }
        Command::SemverChecks => match spec::discover(&root) {
            Ok(services) => semver::run_semver_checks(&root, &services),
            Err(e) => {
                eprintln!("error: {e}");
                false
            }
        },
        Command::Diff { old, new } => run_diff(&old, &new),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

fn run_generate(root: &Path, check: bool) -> bool {
    let started = Instant::now();
    let services = match spec::discover(root) {
        Ok(services) => services,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let mut ok = true;
    let mut report = |path: &Path, result: Result<FileState, String>| match result {
        Ok(FileState::Unchanged) => println!("unchanged  {}", path.display()),
        Ok(FileState::Written) => println!("written    {}", path.display()),
        Ok(FileState::Stale { diff }) => {
            ok = false;
            println!("stale      {} (regenerate from specs/)", path.display());
            print!("{diff}");
        }
        Err(e) => {
            ok = false;
            eprintln!("error: {e}");
        }
    };
    let mut loaded = Vec::new();
    let surfaces = surface::Surfaces::default();
    for service in &services {
        let result = spec::load(root, &service.spec_path).and_then(|spec| {
            let code = generate::render(&spec)?;
            surfaces.remember(&spec, &code);
            let state = generate::sync_file(root, &service.output_path, &code, check)?;
            loaded.push((service.clone(), spec));
            Ok(state)
        });
        report(&service.output_path, result.map_err(|e| e.to_string()));
    }
    // One broken spec does not stop the others: the CLI and the contract tests are rendered
    // from every spec that loaded (the run still fails, naming the broken one above).
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
    let edited = semver::report_since_head(root, &loaded, &surfaces);
    let versions_ok = semver::check_versions(root, &loaded, &edited, &surfaces) || !check;
    let output = Path::new(cli::OUTPUT);
    let result = cli::render(&loaded).and_then(|code| {
        generate::sync_file(root, output, &code, check).map_err(|e| e.to_string())
    });
    report(output, result);
    let output = Path::new(contracts::OUTPUT);
    let result = contracts::render(&loaded).and_then(|code| {
        generate::sync_file(root, output, &code, check).map_err(|e| e.to_string())
    });
    report(output, result);
    let verb = if check { "checked" } else { "generated" };
    println!(
        "{verb} {} specs in {:.1?}",
        services.len(),
        started.elapsed()
    );
    if check && !ok {
        eprintln!("generated code is stale or a spec is broken: run `cargo xtask generate` and commit the result");
    }
    if !versions_ok {
        eprintln!("a breaking API change has no version bump: bump the crate as reported above");
    }
    ok && versions_ok
}

fn run_diff(old: &Path, new: &Path) -> bool {
    let load = |path: &Path| {
        std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|text| spec::parse(path, text).map_err(|e| e.to_string()))
    };
    match (load(old), load(new)) {
        (Ok(old_spec), Ok(new_spec)) => {
            let service = spec::Service::for_file(new);
            let changes = surface::all_changes(
                &service,
                &old_spec,
                &new_spec,
                &surface::Surfaces::default(),
            );
            println!("API changes from {} to {}:", old.display(), new.display());
            print!("{}", diff::report(&changes));
            let breaking = changes
                .iter()
                .filter(|c| c.class == diff::Class::Breaking)
                .count();
            println!("{} change(s), {breaking} breaking", changes.len());
            true
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            false
        }
    }
}

fn run_docs_check(root: &Path, docs: Option<PathBuf>) -> bool {
    let docs = docs.unwrap_or_else(|| root.join("../shared"));
    let services = match spec::discover(root) {
        Ok(services) => services,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let (mut checked, mut problems) = (0, 0);
    for service in &services {
        let spec = match spec::load(root, &service.spec_path) {
            Ok(spec) => spec,
            Err(e) => {
                eprintln!("error: {e}");
                return false;
            }
        };
        checked += dbplane_spec::operations(&spec.json)
            .filter(|o| o.op.get("x-dbplane-source").is_some())
            .count();
        for problem in docs::check(&spec, &docs) {
            eprintln!("error: {problem}");
            problems += 1;
        }
    }
    println!(
        "checked {checked} operations against {}: {problems} disagreement(s)",
        docs.display()
    );
    problems == 0
}

fn run_lint(root: &Path) -> bool {
    let services = match spec::discover(root) {
        Ok(services) => services,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let mut count = 0;
    for service in &services {
        let problems = match spec::load(root, &service.spec_path) {
            Ok(spec) => lint::lint(&spec),
            Err(e) => vec![e],
        };
        for problem in &problems {
            eprintln!("error: {problem}");
        }
        count += problems.len();
    }
    println!("linted {} specs: {count} problem(s)", services.len());
    count == 0
}
