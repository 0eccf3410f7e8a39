//! Typed clients for Huawei Cloud database control-plane APIs, generated from the OpenAPI
//! specs in `specs/huaweicloud/`: [`dbss`] (Database Security Service) and [`dws`]
//! (GaussDB(DWS) data warehouse).
//!
//! Each client signs requests with AK/SK (`SDK-HMAC-SHA256`) or sends an IAM token, retries
//! throttling and gateway failures, and reports errors as [`Error`].
//!
//! ```no_run
//! use dbplane_huaweicloud::{dbss, CallExt, Credentials, ServiceClient};
//!
//! # async fn run() -> Result<(), dbplane_huaweicloud::Error> {
//! // HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID
//! let credentials = Credentials::huaweicloud_from_env()?;
//! let client = dbss::Client::for_region("ap-southeast-1", credentials)?;
//! let answer = client
//!     .stop_db_om_instance_in_project() // project_id from the credentials
//!     .instance_id("fedcba9876543210fedcba9876543210")
//!     .send()
//!     .outcome()
//!     .await?;
//! println!("{:?}", answer.result);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod dbss;
pub mod dws;

pub use dbplane_core::{
    ApiError, CallExt, ConfigError, Credentials, Error, RetryPolicy, Runtime, ServiceClient,
};

/// A mock of this crate's services for tests without a cloud account (feature `mock`):
/// every operation answers its documented sample; requests that break the spec get a 4xx
/// JSON explanation.
///
/// ```no_run
/// use dbplane_huaweicloud::{dbss, CallExt, Credentials, ServiceClient};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let server = dbplane_huaweicloud::mock::start().await?;
/// let client = dbss::Client::with_endpoint(&server.uri(), Credentials::token("t"))?;
/// let answer = client
///     .stop_db_om_instance()
///     .project_id("0549b4a43100d4f32f51c01c2fe4acdb")
///     .instance_id("fedcba9876543210fedcba9876543210")
///     .send()
///     .outcome()
///     .await?; // the documented sample answer
/// println!("{:?}", answer.result);
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
        SpecMock::of_embedded(&[crate::dbss::SPEC_JSON, crate::dws::SPEC_JSON])
    }

    /// Starts the mock on a free port of 127.0.0.1.
    pub async fn start() -> std::io::Result<MockServer> {
        mock()?.start().await
    }
}
