//! OCP API v2 backup operations, from `specs/oceanbase/ocp.yaml`.

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/ocp.rs"]
mod generated;

pub use generated::*;

dbplane_core::wire_client!(
    Client,
    SERVERS,
    PARAMETER_RULES,
    OPERATIONS,
    dbplane_core::Dialect::Ocp
);
