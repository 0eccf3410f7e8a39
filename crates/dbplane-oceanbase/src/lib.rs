//! Typed client for the OceanBase Cloud Platform (OCP) API v2, generated from the OpenAPI
//! specs in `specs/oceanbase/`: [`ocp`].
//!
//! OCP is self-hosted: build the client with the server's base URL. It authenticates with
//! HTTP Basic or an OCP access key (`OCP-ACCESS-KEY-HMACSHA1`).
//!
//! ```no_run
//! use dbplane_oceanbase::{ocp, CallExt, Credentials, ServiceClient};
//!
//! # async fn run() -> Result<(), dbplane_oceanbase::Error> {
//! // OCP_ACCESS_KEY_ID and OCP_ACCESS_KEY_SECRET (or OCP_USERNAME and OCP_PASSWORD)
//! let client = ocp::Client::with_endpoint("http://ocp-host:8080", Credentials::ocp_from_env()?)?;
//! let answer = client
//!     .stop_backup_schedule()
//!     .id(1000002)
//!     .tenant_id(1000012)
//!     .send()
//!     .outcome()
//!     .await?;
//! println!("trace {:?}", answer.trace_id);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod ocp;

pub use dbplane_core::{
    ApiError, CallExt, ConfigError, Credentials, Error, RetryPolicy, Runtime, ServiceClient,
};

/// A mock of this crate's services for tests without a cloud account (feature `mock`):
/// every operation answers its documented sample; requests that break the spec get a 4xx
/// JSON explanation.
///
/// ```no_run
/// use dbplane_oceanbase::{ocp, CallExt, Credentials, ServiceClient};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let server = dbplane_oceanbase::mock::start().await?;
/// let client = ocp::Client::with_endpoint(&server.uri(), Credentials::basic("admin", "pw"))?;
/// let answer = client
///     .stop_backup_schedule()
///     .id(1000002)
///     .tenant_id(1000012)
///     .send()
///     .outcome()
///     .await?; // the documented sample answer
/// println!("trace {:?}", answer.trace_id);
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock {
    pub use dbplane_mock::{MockServer, Scenario, SpecMock, Step};

    /// The mock of this crate's specs (with the scenarios they declare), to add scenarios
    /// to before starting it.
    pub fn mock() -> std::io::Result<SpecMock> {
        SpecMock::of_embedded(&[crate::ocp::SPEC_JSON])
    }

    /// Starts the mock on a free port of 127.0.0.1.
    pub async fn start() -> std::io::Result<MockServer> {
        mock()?.start().await
    }
}
