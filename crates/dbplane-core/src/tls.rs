//! The TLS backend of the HTTP client, chosen by cargo feature:
//!
//! | feature | backend | builds |
//! |---|---|---|
//! | `rustls-ring` (default) | rustls with *ring* cryptography, the platform's root certificates | Rust, and a few C and assembly files of *ring* through `cc` |
//! | `rustls-aws-lc` | rustls with aws-lc-rs (reqwest's own default) | `aws-lc-sys`: a large C build |
//! | `native-tls` | the platform's TLS (OpenSSL on Linux) | links the system library (`libssl-dev`) |
//!
//! When features are unified so that several are on, a backend a project asked for by name
//! wins over the default: `native-tls`, then `rustls-aws-lc`, then `rustls-ring`. With none,
//! the client speaks plain HTTP only and an `https` endpoint fails on the first call.
//!
//! With `rustls-ring`, rustls needs a cryptography provider: building an HTTP client installs
//! *ring* as rustls's process default when the program has not installed one (a program that
//! installs its own first keeps it). reqwest's TLS options, such as extra root certificates,
//! apply with every backend.

/// The backend the features select, by name (`"rustls-ring"`), as logs and `--version` say it.
pub const BACKEND: &str = if cfg!(feature = "native-tls") {
    "native-tls"
} else if cfg!(feature = "rustls-aws-lc") {
    "rustls-aws-lc"
} else if cfg!(feature = "rustls-ring") {
    "rustls-ring"
} else {
    "none (plain HTTP only)"
};

/// Sets the selected backend on `builder` (`native-tls`).
#[cfg(feature = "native-tls")]
pub(crate) fn with_backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_native()
}

/// Sets the selected backend on `builder` (`rustls-aws-lc`).
#[cfg(all(feature = "rustls-aws-lc", not(feature = "native-tls")))]
pub(crate) fn with_backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_rustls()
}

/// Sets the selected backend on `builder` (`rustls-ring`).
#[cfg(all(
    feature = "rustls-ring",
    not(any(feature = "native-tls", feature = "rustls-aws-lc"))
))]
pub(crate) fn with_backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    // Err only says another provider is already the default: that one is then used.
    let _ = rustls::crypto::ring::default_provider().install_default();
    builder.tls_backend_rustls()
}

/// No TLS feature: plain HTTP only.
#[cfg(not(any(
    feature = "native-tls",
    feature = "rustls-aws-lc",
    feature = "rustls-ring"
)))]
pub(crate) fn with_backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(all(
        feature = "rustls-ring",
        not(any(feature = "native-tls", feature = "rustls-aws-lc"))
    ))]
    fn an_https_client_builds_on_ring_and_leaves_a_provider_for_rustls() {
        let builder = super::with_backend(reqwest::Client::builder());
        assert!(builder.build().is_ok());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        assert_eq!(super::BACKEND, "rustls-ring");
    }
}
