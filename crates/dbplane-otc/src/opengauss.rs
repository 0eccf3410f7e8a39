//! GaussDB (openGauss) API v3, from `specs/otc/opengauss.yaml` (imported from the reference pages).

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/opengauss.rs"]
mod generated;

pub use generated::*;

dbplane_core::wire_client!(
    Client,
    SERVERS,
    PARAMETER_RULES,
    OPERATIONS,
    dbplane_core::Dialect::Huawei
);
