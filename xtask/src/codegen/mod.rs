//! Code generation from the specs: each service's client (progenitor, with the project's
//! additions), the CLI's command tree, the waiters and list walks, and the contract tests.

pub mod answers;
pub mod builder_defaults;
pub mod cli;
pub mod client;
pub mod contracts;
pub mod doc_links;
pub mod error_codes;
pub mod exprs;
pub mod imports;
pub mod lifecycle;
pub mod names;
pub mod output;
pub mod parsed_base;
pub mod path_segments;
pub mod patterns;
pub mod query_options;
pub mod send_scopes;
pub mod version_header;
