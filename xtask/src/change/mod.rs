//! The API change report: what changed between two specs (`diff`), in the generated Rust
//! items (`surface`), and whether callers' code still compiles (`semver`, cargo-semver-checks).

pub mod diff;
pub mod semver;
pub mod surface;

use std::path::Path;

use crate::spec;

/// `cargo xtask diff OLD NEW`: prints the API changes from one spec file to another.
pub fn run_diff(old: &Path, new: &Path) -> bool {
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
