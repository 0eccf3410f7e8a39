//! A service's documented error codes (`x-dbplane-error-codes`) as an `ErrorCode` enum, so that
//! a caller matches `rds::ErrorCode::Dbs200022` instead of comparing strings.

use quote::{format_ident, quote};

use crate::codegen::names::error_code_variant;
use crate::spec::{LoadedSpec, SpecError};

/// The enum, its conversions and its table; empty when the spec documents no codes.
pub fn items(spec: &LoadedSpec) -> Result<proc_macro2::TokenStream, SpecError> {
    let Some(codes) = spec.json["x-dbplane-error-codes"].as_array() else {
        return Ok(quote!());
    };
    let mut variants = Vec::new();
    let mut from_code = Vec::new();
    let mut as_str = Vec::new();
    let mut status = Vec::new();
    let mut description = Vec::new();
    for entry in codes {
        let code = entry["code"].as_str().unwrap_or_default();
        let name = error_code_variant(code).ok_or_else(|| {
            spec.error(None, format!("x-dbplane-error-codes: `{code}` makes no Rust name (`cargo xtask lint` says more)"))
        })?;
        let ident = format_ident!("{name}");
        let text = entry["description"].as_str().unwrap_or_default();
        let http = entry["status"].as_u64().and_then(|s| u16::try_from(s).ok());
        let doc = match http {
            Some(http) => format!("`{code}` (HTTP {http}): {text}"),
            None => format!("`{code}`: {text}"),
        };
        variants.push(quote! {
            #[doc = #doc]
            #[doc(alias = #code)]
            #ident,
        });
        from_code.push(quote!(#code => Self::#ident,));
        as_str.push(quote!(Self::#ident => #code,));
        let http = match http {
            Some(http) => quote!(Some(#http)),
            None => quote!(None),
        };
        status.push(quote!(Self::#ident => #http,));
        description.push(quote!(Self::#ident => #text,));
    }
    Ok(quote! {
        /// The error codes this service documents (its error-code appendix), as
        /// [`dbplane_core::ApiError::code`] carries them. A code the documentation does not list
        /// is [`ErrorCode::Unknown`]: match that arm too, since the vendor adds codes.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code the service's documentation does not list.
            Unknown(String),
        }

        impl ErrorCode {
            /// The variant of a code as the vendor writes it (`"DBS.200022"`).
            pub fn from_code(code: &str) -> Self {
                match code {
                    #(#from_code)*
                    other => Self::Unknown(other.to_string()),
                }
            }

            /// The vendor's code of an error, when the vendor answered with one.
            pub fn of(error: &dbplane_core::Error) -> Option<Self> {
                error.api().and_then(|e| e.code.as_deref()).map(Self::from_code)
            }

            /// The code as the vendor writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(code) => code,
                }
            }

            /// The HTTP status the documentation gives the code, if any.
            pub fn status(&self) -> Option<u16> {
                match self {
                    #(#status)*
                    Self::Unknown(_) => None,
                }
            }

            /// What the documentation says the code means (empty for an unknown code).
            pub fn description(&self) -> &'static str {
                match self {
                    #(#description)*
                    Self::Unknown(_) => "",
                }
            }
        }

        impl std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    })
}
