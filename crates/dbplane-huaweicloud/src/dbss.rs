//! Database Security Service (DBSS) v1, from `specs/huaweicloud/dbss.yaml`.

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/dbss.rs"]
mod generated;

pub use generated::*;

dbplane_core::wire_client!(
    Client,
    SERVERS,
    PARAMETER_RULES,
    OPERATIONS,
    dbplane_core::Dialect::HuaweiDbss
);
