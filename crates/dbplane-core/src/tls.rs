//! The TLS backend of the HTTP client, chosen by cargo feature:
//!
//! | feature | backend | builds |
//! |---|---|---|
//! | `rustls-aws-lc` (default) | rustls with aws-lc-rs, the platform's root certificates (reqwest's own default) | `aws-lc-sys`: a C build of some minutes, needing a C compiler |
//! | `rustls-ring` | rustls with *ring* cryptography, the platform's root certificates | Rust, and a few C and assembly files of *ring* through `cc` (seconds) |
//! | `native-tls` | the platform's TLS (OpenSSL on Linux) | links the system library (`libssl-dev`) |
//!
//! The default is reqwest's own, so that a program that also builds reqwest clients of its
//! own (or tests with them) keeps working as it would without dbplane. `rustls-ring` turns off
//! reqwest's provider (reqwest's `rustls-no-provider`): dbplane's clients install *ring* as
//! rustls's process default when they are built and the program has installed none, but a
//! reqwest client the program builds itself *before* any dbplane client, with no TLS feature
//! of its own, panics in reqwest; such a program installs a provider first
//! (`rustls::crypto::ring::default_provider().install_default()`).
//!
//! When features are unified so that several are on, a backend asked for by name wins over the
//! default: `native-tls`, then `rustls-ring`, then `rustls-aws-lc`. With none, the client
//! speaks plain HTTP only and an `https` endpoint fails on the first call. reqwest's TLS
//! options, such as extra root certificates, apply with every backend.

/// The backend the features select, by name (`"rustls-aws-lc"`), for logs and diagnostics.
pub const BACKEND: &str = if cfg!(feature = "native-tls") {
    "native-tls"
} else if cfg!(feature = "rustls-ring") {
    "rustls-ring"
} else if cfg!(feature = "rustls-aws-lc") {
    "rustls-aws-lc"
} else {
    "none (plain HTTP only)"
};

/// Sets the selected backend on `builder` (`native-tls`).
#[cfg(feature = "native-tls")]
pub(crate) fn with_backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_native()
}

/// Sets the selected backend on `builder` (`rustls-ring`).
#[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
pub(crate) fn with_backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    // Err only says another provider is already the default: that one is then used.
    let _ = rustls::crypto::ring::default_provider().install_default();
    builder.tls_backend_rustls()
}

/// Sets the selected backend on `builder` (`rustls-aws-lc`).
#[cfg(all(
    feature = "rustls-aws-lc",
    not(any(feature = "native-tls", feature = "rustls-ring"))
))]
pub(crate) fn with_backend(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
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
    fn an_https_client_builds_on_the_selected_backend() {
        let builder = super::with_backend(reqwest::Client::builder());
        assert!(builder.build().is_ok(), "{}", super::BACKEND);
        // A client of the program's own, built without dbplane's settings, builds too.
        assert!(reqwest::Client::builder().build().is_ok());
    }

    #[test]
    #[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
    fn ring_is_left_as_the_process_provider_when_there_was_none() {
        let _ = super::with_backend(reqwest::Client::builder()).build();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
