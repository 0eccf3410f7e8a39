//! GeminiDB (Cassandra-compatible NoSQL) API v3, v3.1 and v4, from `specs/otc/geminidb.yaml` (imported from the reference pages).

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/geminidb.rs"]
mod generated;

pub use generated::*;

dbplane_core::wire_client!(
    Client,
    SERVERS,
    PARAMETER_RULES,
    OPERATIONS,
    dbplane_core::Dialect::Huawei
);
