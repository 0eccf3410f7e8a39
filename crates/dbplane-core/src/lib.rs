//! The shared runtime of the dbplane clients.
//!
//! Every generated client (`dbplane-huaweicloud`, `dbplane-otc`, `dbplane-oceanbase`) carries a
//! [`Runtime`] as progenitor's inner type; its `exec` hook sends each request through
//! [`Runtime::execute`], which signs every attempt ([`sign`]), retries ([`RetryPolicy`]) and
//! traces the call. [`CallExt::outcome`] turns what an operation returns into [`Error`].
//!
//! ```
//! use dbplane_core::{Credentials, RetryPolicy, Runtime};
//!
//! let runtime = Runtime::builder(Credentials::aksk("AK", "SK").with_project_id("0123456789abcdef0123456789abcdef"))
//!     .retry(RetryPolicy { max_attempts: 5, ..RetryPolicy::default() })
//!     .build()?;
//! assert_eq!(runtime.project_id(), Some("0123456789abcdef0123456789abcdef"));
//! # Ok::<(), dbplane_core::ConfigError>(())
//! ```

pub mod call;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod operation;
pub mod paginate;
pub mod retry;
pub mod runtime;
pub mod secret;
pub mod sign;
pub mod tls;
pub mod waiter;

pub use call::{CallExt, ParameterRule, ResponseMeta};
pub use credentials::Credentials;
pub use endpoint::ServerTemplate;
pub use error::{
    ApiError, ConfigError, Dialect, Error, ErrorDetail, ListStop, TransportError, TransportKind,
};
pub use operation::{describe_range, Bound, Location, Operation};
pub use paginate::ListLimits;
pub use retry::RetryPolicy;
pub use runtime::{Clock, DryRun, Runtime, RuntimeBuilder};
pub use secret::Secret;
pub use waiter::{WaitError, Waited, Waiter, WaiterSpec};

/// Constructors every generated client gets from [`wire_client!`].
pub trait ServiceClient: Sized {
    /// The spec's `servers`.
    const SERVERS: &'static [ServerTemplate];
    /// The spec's path-parameter constraints, named in input errors.
    const PARAMETER_RULES: &'static [ParameterRule];
    /// The spec's operations: path templates and whether each is safe to repeat.
    const OPERATIONS: &'static [Operation];
    /// How the service's success answers can still report failure.
    const DIALECT: Dialect;
    /// `User-Agent` sent by this client: the vendor crate's name and version.
    const USER_AGENT: &'static str;

    /// Assembles a client (progenitor's `new_with_client`).
    fn from_parts(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self;

    /// The runtime the client sends through.
    fn runtime(&self) -> &Runtime;

    /// The project the credentials are scoped to, for operations that take `project_id`:
    /// `.project_id(client.default_project_id()?)`.
    fn default_project_id(&self) -> Result<&str, ConfigError> {
        self.runtime()
            .project_id()
            .ok_or(ConfigError::MissingProjectId)
    }

    /// A client for `base_url` (private endpoint, proxy, mock, or OCP server) with `runtime`.
    fn with_runtime(base_url: &str, runtime: Runtime) -> Result<Self, ConfigError> {
        let http = runtime.http_client(Self::USER_AGENT)?;
        Self::with_http_client(base_url, http, runtime)
    }

    /// A client sending through `http`, e.g. built from [`Runtime::http_client_builder`] with
    /// a proxy or custom root certificates.
    fn with_http_client(
        base_url: &str,
        http: reqwest::Client,
        runtime: Runtime,
    ) -> Result<Self, ConfigError> {
        let base_url = endpoint::base_url(base_url)?;
        call::register_rules(Self::PARAMETER_RULES);
        Ok(Self::from_parts(&base_url, http, runtime))
    }

    /// A client for `base_url` with default retries and timeouts.
    fn with_endpoint(base_url: &str, credentials: Credentials) -> Result<Self, ConfigError> {
        Self::with_runtime(base_url, Runtime::new(credentials)?)
    }

    /// A client for the service's endpoint in `region`, from the spec's `servers`.
    fn for_region(region: &str, credentials: Credentials) -> Result<Self, ConfigError> {
        Self::for_region_with(region, Runtime::new(credentials)?)
    }

    /// Like [`ServiceClient::for_region`], with a configured runtime.
    fn for_region_with(region: &str, runtime: Runtime) -> Result<Self, ConfigError> {
        Self::with_runtime(&endpoint::region_url(Self::SERVERS, region)?, runtime)
    }
}

#[doc(hidden)]
pub mod __private {
    pub use futures_util::stream::Stream;
    pub use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
    pub use reqwest;

    /// `builder.query_if(present, &parameter)`: the generated clients add an optional query
    /// parameter only when it has a value (one that has none writes nothing either way).
    pub trait QueryIf: Sized {
        /// `self.query(query)` when `present`, else `self` as it is.
        fn query_if<T: serde::Serialize + ?Sized>(self, present: bool, query: &T) -> Self;
    }

    impl QueryIf for reqwest::RequestBuilder {
        // Inlined: a builder passed through uninlined is copied whole (some 270 bytes) at
        // each of an operation's optional parameters.
        #[inline]
        fn query_if<T: serde::Serialize + ?Sized>(self, present: bool, query: &T) -> Self {
            if present {
                self.query(query)
            } else {
                self
            }
        }
    }

    /// What progenitor's `ResponseValue::from_response` gives (the status, every header,
    /// the body read as `T`, and the same errors), taking the answer's headers instead of
    /// copying them: the answer is consumed either way. The runtime hands over answers whose
    /// body it has read whole, and that body is decoded as it is (the future holds no
    /// reader); any other body is read, in a boxed future when it is not whole yet.
    #[allow(clippy::result_large_err)] // progenitor's error, as `from_response` returns it
    pub fn read_answer<T: serde::de::DeserializeOwned, E>(
        mut response: reqwest::Response,
    ) -> impl std::future::Future<Output = Result<progenitor_client::ResponseValue<T>, Error<E>>>
    {
        use futures_util::future::{Either, FutureExt as _};
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let decode = move |full: bytes::Bytes| {
            let inner = serde_json::from_slice(&full)
                .map_err(|e| Error::InvalidResponsePayload(full, e))?;
            Ok(progenitor_client::ResponseValue::new(
                inner, status, headers,
            ))
        };
        if let Some(body) = crate::runtime::take_read_body(&mut response) {
            return Either::Left(std::future::ready(decode(body)));
        }
        let mut read = crate::runtime::Chunks::default();
        loop {
            match response.chunk().now_or_never() {
                Some(Ok(Some(chunk))) => read.push(chunk),
                Some(Ok(None)) => return Either::Left(std::future::ready(decode(read.whole()))),
                Some(Err(error)) => {
                    return Either::Left(std::future::ready(Err(Error::ResponseBodyError(error))))
                }
                None => break,
            }
        }
        Either::Right(Box::pin(async move {
            while let Some(chunk) = response.chunk().await.map_err(Error::ResponseBodyError)? {
                read.push(chunk);
            }
            decode(read.whole())
        }))
    }

    /// `response` as an answer whose body can be read again, for what the generated code
    /// hands on without [`read_answer`]: an answer no status of the spec names
    /// (`Error::UnexpectedResponse`), or a stream.
    pub fn unread(response: reqwest::Response) -> reqwest::Response {
        crate::runtime::unread(response)
    }

    /// A request's URL, written into a string made with room for one. Writing a `String`
    /// fails only when a value's `Display` does (none of the generated values' does); the
    /// URL would then be short, and the runtime's path check refuses it before anything is
    /// sent.
    pub fn request_url(parts: std::fmt::Arguments<'_>) -> String {
        let mut url = String::with_capacity(192);
        let _ = std::fmt::Write::write_fmt(&mut url, parts);
        url
    }

    /// `client.client.get(url)` (or another method), as the generated code asks for it:
    /// a builder of a request to `url`, which [`request_url`] wrote as the client's base URL
    /// followed by the operation's path. The base URL parsed once is given the path where it
    /// can be (the same URL as parsing `url` whole, which any other URL is).
    pub fn request<C: ClientInfo<crate::Runtime>>(
        client: &C,
        method: reqwest::Method,
        url: String,
    ) -> reqwest::RequestBuilder {
        match client.inner().parsed_url(client.baseurl(), &url) {
            Some(parsed) => client.client().request(method, parsed),
            None => client.client().request(method, url),
        }
    }

    /// The spec's entry for `id`, or one that knows only the id. The generated tables are
    /// sorted by id, shorter ids first; a table that is not is still searched whole.
    pub fn find_operation(operations: &[crate::Operation], id: &'static str) -> crate::Operation {
        match operations.binary_search_by(|o| (o.id.len(), o.id).cmp(&(id.len(), id))) {
            Ok(at) => operations[at],
            Err(_) => operations
                .iter()
                .find(|o| o.id == id)
                .copied()
                .unwrap_or(crate::Operation::unknown(id)),
        }
    }
}

/// Wires a generated client to the runtime: its `exec` hook goes through
/// [`Runtime::execute`], and it gets the [`ServiceClient`] constructors.
///
/// `wire_client!(Client, SERVERS, PARAMETER_RULES, OPERATIONS, Dialect::Huawei)` in the
/// vendor crate, beside the generated module (the constants are generated from the spec).
#[macro_export]
macro_rules! wire_client {
    ($client:ty, $servers:expr, $rules:expr, $operations:expr, $dialect:expr) => {
        impl $crate::__private::ClientHooks<$crate::Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut $crate::__private::reqwest::Request,
                info: &$crate::__private::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::Error<E>> {
                let operation = $crate::__private::find_operation($operations, info.operation_id);
                $crate::call::check_request(request, &operation)
            }

            // Not an `async fn`: the call's future is the runtime's own, not one holding it
            // and the request a second time.
            fn exec(
                &self,
                request: $crate::__private::reqwest::Request,
                info: &$crate::__private::OperationInfo,
            ) -> impl ::std::future::Future<
                Output = $crate::__private::reqwest::Result<$crate::__private::reqwest::Response>,
            > {
                use $crate::__private::ClientInfo;
                let operation = $crate::__private::find_operation($operations, info.operation_id);
                self.inner()
                    .execute(self.client(), request, &operation, $dialect)
            }

            async fn post<E>(
                &self,
                result: &$crate::__private::reqwest::Result<$crate::__private::reqwest::Response>,
                _info: &$crate::__private::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::Error<E>> {
                $crate::call::check_response(result)
            }
        }

        impl $crate::ServiceClient for $client {
            const SERVERS: &'static [$crate::ServerTemplate] = $servers;
            const PARAMETER_RULES: &'static [$crate::ParameterRule] = $rules;
            const OPERATIONS: &'static [$crate::Operation] = $operations;
            const DIALECT: $crate::Dialect = $dialect;
            const USER_AGENT: &'static str =
                concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

            fn from_parts(
                base_url: &str,
                http: $crate::__private::reqwest::Client,
                runtime: $crate::Runtime,
            ) -> Self {
                <$client>::new_with_client(base_url, http, runtime)
            }

            fn runtime(&self) -> &$crate::Runtime {
                $crate::__private::ClientInfo::inner(self)
            }
        }
    };
}

#[cfg(test)]
mod read_answer_tests {
    use crate::__private::read_answer;
    use progenitor_client::{Error, ResponseValue};

    fn answer(body: &'static str) -> reqwest::Response {
        let response = http::Response::builder()
            .status(201)
            .header("x-request-id", "r-1")
            .header("set-cookie", "a")
            .header("set-cookie", "b")
            .body(body)
            .unwrap();
        reqwest::Response::from(response)
    }

    #[tokio::test]
    async fn an_answer_reads_as_progenitor_reads_it() {
        for body in [r#"{"job_id": "j"}"#, "[1, 2]", "not json", ""] {
            let ours = read_answer::<serde_json::Value, ()>(answer(body)).await;
            let theirs =
                ResponseValue::<serde_json::Value>::from_response::<()>(answer(body)).await;
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(ours.status(), theirs.status());
                    assert_eq!(ours.headers(), theirs.headers());
                    assert_eq!(ours.into_inner(), theirs.into_inner());
                }
                (
                    Err(Error::InvalidResponsePayload(ours, a)),
                    Err(Error::InvalidResponsePayload(theirs, b)),
                ) => {
                    assert_eq!(ours, theirs, "{body}");
                    assert_eq!(a.to_string(), b.to_string(), "{body}");
                }
                (ours, theirs) => panic!("{body}: {ours:?} against {theirs:?}"),
            }
        }
    }
}

#[cfg(test)]
mod read_answer_stream_tests {
    use crate::__private::read_answer;
    use bytes::Bytes;
    use http_body::{Body, Frame};
    use progenitor_client::Error;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A body that is not whole yet: each chunk comes after a wait (`Pending`, woken at
    /// once), and it may end with an error.
    struct Trickle {
        chunks: std::collections::VecDeque<&'static [u8]>,
        fails: bool,
        waited: bool,
    }

    impl Body for Trickle {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            if !self.waited {
                self.waited = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            self.waited = false;
            match self.chunks.pop_front() {
                Some(chunk) => Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(chunk))))),
                None if self.fails => Poll::Ready(Some(Err(std::io::Error::other("cut")))),
                None => Poll::Ready(None),
            }
        }
    }

    fn answer(chunks: &[&'static [u8]], fails: bool) -> reqwest::Response {
        let body = Trickle {
            chunks: chunks.iter().copied().collect(),
            fails,
            waited: false,
        };
        reqwest::Response::from(http::Response::new(reqwest::Body::wrap(body)))
    }

    #[tokio::test]
    async fn a_body_still_arriving_is_read_whole_after_waiting() {
        let read = read_answer::<serde_json::Value, ()>(answer(
            &[b"{\"job_id\"", b": \"j\"", b"}"],
            false,
        ))
        .await
        .expect("the whole body");
        assert_eq!(read.into_inner(), serde_json::json!({"job_id": "j"}));
        let cut = read_answer::<serde_json::Value, ()>(answer(&[b"{\"job"], true)).await;
        assert!(matches!(cut, Err(Error::ResponseBodyError(_))), "{cut:?}");
        let broken = read_answer::<serde_json::Value, ()>(answer(&[b"{\"a\":", b"]"], false)).await;
        match broken {
            Err(Error::InvalidResponsePayload(body, _)) => assert_eq!(&body[..], b"{\"a\":]"),
            other => panic!("{other:?}"),
        }
    }
}

#[cfg(test)]
mod find_operation_tests {
    use crate::{__private::find_operation, Operation};

    #[test]
    fn an_unsorted_table_is_still_searched_whole() {
        let table = [
            Operation::unknown("stop_instance"),
            Operation::unknown("list_instances"),
            Operation::unknown("create_instance"),
        ];
        for operation in &table {
            assert_eq!(find_operation(&table, operation.id), *operation);
        }
    }
}
