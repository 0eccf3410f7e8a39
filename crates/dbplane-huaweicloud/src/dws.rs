//! GaussDB(DWS) data warehouse service v2, from `specs/huaweicloud/dws.yaml`.

#[allow(clippy::all, missing_docs)]
#[rustfmt::skip]
#[path = "generated/dws.rs"]
mod generated;

pub use generated::*;

dbplane_core::wire_client!(
    Client,
    SERVERS,
    PARAMETER_RULES,
    OPERATIONS,
    dbplane_core::Dialect::Huawei
);
