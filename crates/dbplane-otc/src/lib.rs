//! Typed client for Open Telekom Cloud database control-plane APIs, generated from the OpenAPI
//! specs in `specs/otc/`: `rds` (Relational Database Service v3), `geminidb` (GeminiDB,
//! Cassandra-compatible NoSQL) and `opengauss` (GaussDB, openGauss-based), one cargo feature
//! each. Every service is a default feature, so that adding the crate gives what its README
//! shows; a project that needs one service compiles only that one with
//! `default-features = false, features = ["rds"]`.
//!
//! OTC documents IAM token authentication (`X-Auth-Token`) for RDS; AK/SK signing
//! (`SDK-HMAC-SHA256`) is accepted by OTC's API gateway but not documented for RDS.
//!
//! ```no_run
//! # #[cfg(feature = "rds")] mod doc {
//! use dbplane_otc::{rds, CallExt, Credentials, ServiceClient};
//!
//! # async fn run() -> Result<(), dbplane_otc::Error> {
//! // OS_AUTH_TOKEN (or OS_ACCESS_KEY and OS_SECRET_KEY) and OS_PROJECT_ID
//! let credentials = Credentials::otc_from_env()?;
//! let client = rds::Client::for_region("eu-de", credentials)?;
//! let job = client
//!     .stop_instance_in_project() // project_id from the credentials
//!     .instance_id("5b409baece064984a1b3eef6addae50cin01")
//!     .send()
//!     .outcome()
//!     .await?;
//! println!("job {:?}", job.job_id);
//! # Ok(())
//! # }
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "geminidb")]
pub mod geminidb;
#[cfg(feature = "opengauss")]
pub mod opengauss;
#[cfg(feature = "rds")]
pub mod rds;

pub use dbplane_core::{
    ApiError, CallExt, ConfigError, Credentials, Error, RetryPolicy, Runtime, ServiceClient,
};

/// A mock of this crate's services for tests without a cloud account (feature `mock`):
/// every operation answers its documented sample; requests that break the spec get a 4xx
/// JSON explanation.
///
/// ```no_run
/// # #[cfg(feature = "rds")] mod doc {
/// use dbplane_otc::{rds, CallExt, Credentials, ServiceClient};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let server = dbplane_otc::mock::start().await?;
/// let client = rds::Client::with_endpoint(&server.uri(), Credentials::token("t"))?;
/// let job = client
///     .stop_instance()
///     .project_id("0549b4a43100d4f32f51c01c2fe4acdb")
///     .instance_id("5b409baece064984a1b3eef6addae50cin01")
///     .send()
///     .outcome()
///     .await?; // the documented sample answer
/// println!("job {:?}", job.job_id);
/// # Ok(())
/// # }
/// # }
/// ```
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock {
    pub use dbplane_mock::{MockServer, Scenario, SpecMock, Step};

    /// The mock of this crate's specs (with the scenarios they declare), to add scenarios
    /// to before starting it.
    pub fn mock() -> std::io::Result<SpecMock> {
        SpecMock::of_embedded(&[
            #[cfg(feature = "rds")]
            crate::rds::SPEC_JSON,
            #[cfg(feature = "geminidb")]
            crate::geminidb::SPEC_JSON,
            #[cfg(feature = "opengauss")]
            crate::opengauss::SPEC_JSON,
        ])
    }

    /// Starts the mock on a free port of 127.0.0.1.
    pub async fn start() -> std::io::Result<MockServer> {
        mock()?.start().await
    }
}
