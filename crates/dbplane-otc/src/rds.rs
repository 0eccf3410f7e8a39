//! Relational Database Service (RDS) v3, from `specs/otc/rds.yaml`.

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/rds.rs"]
mod generated;

pub use generated::*;

dbplane_core::wire_client!(
    Client,
    SERVERS,
    PARAMETER_RULES,
    OPERATIONS,
    dbplane_core::Dialect::Huawei
);
