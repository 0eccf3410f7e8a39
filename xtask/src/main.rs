//! The workspace's maintenance commands: `cargo xtask generate [--check]`, `cargo xtask lint`.

mod change;
mod check;
mod codegen;
mod generate;
mod import;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Write the `dbplane` man pages (dbplane.1, one per vendor and service) into a folder.
    Man {
        /// The folder (default: target/man).
        out: Option<PathBuf>,
    },
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
        Command::Generate { check } => generate::run(&root, check),
        Command::Lint => check::lint::run(&root),
        Command::Docs {
            command: DocsCommand::Check { docs },
        } => check::pages::run(&root, docs),
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
            Ok(services) => change::semver::run_semver_checks(&root, &services),
            Err(e) => {
                eprintln!("error: {e}");
                false
            }
        },
        Command::Diff { old, new } => change::run_diff(&old, &new),
        Command::Man { out } => man_pages(&root, &out.unwrap_or_else(|| root.join("target/man"))),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs the CLI's hidden `man` command, which renders its own command tree (clap_mangen).
fn man_pages(root: &Path, out: &Path) -> bool {
    std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "-p", "dbplane-cli", "--", "man"])
        .arg(out)
        .current_dir(root)
        .status()
        .is_ok_and(|s| s.success())
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
