//! Each service's `ErrorCode` enum against its error-code appendix, read here from the page
//! itself (not from the spec the enum is generated from), and a vendor error on the wire
//! matched by its variant.

use contract_tests::calls::*;
use contract_tests::*;
use dbplane_otc::{geminidb, opengauss, rds, Credentials, ServiceClient};
use serde_json::json;

/// The codes of a reStructuredText appendix: every grid-table cell that is a vendor code
/// (`DBS.200022`, `RDS.0001`), each with the status cell beside it when the row has one.
fn codes_on_the_page(page: &str) -> Vec<(String, Option<u16>)> {
    let path = workspace_root().join("..").join("shared").join(page);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut codes = Vec::new();
    for line in text.lines().map(str::trim) {
        if !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let code = cells.iter().find(|c| {
            c.split_once('.').is_some_and(|(p, n)| {
                !p.is_empty()
                    && p.chars().all(|c| c.is_ascii_uppercase())
                    && !n.is_empty()
                    && n.chars().all(|c| c.is_ascii_alphanumeric())
            })
        });
        if let Some(code) = code {
            let status = cells
                .iter()
                .find_map(|c| c.parse::<u16>().ok().filter(|s| (100..600).contains(s)));
            codes.push((code.to_string(), status));
        }
    }
    assert!(codes.len() > 50, "{page}: only {} codes read", codes.len());
    codes
}

macro_rules! every_documented_code_has_its_variant {
    ($test:ident, $service:ident, $page:literal) => {
        #[test]
        fn $test() {
            let mut seen = std::collections::BTreeSet::new();
            for (code, status) in codes_on_the_page($page) {
                if !seen.insert(code.clone()) {
                    continue; // a repeated row: the first one is the variant
                }
                let variant = $service::ErrorCode::from_code(&code);
                assert!(
                    !matches!(variant, $service::ErrorCode::Unknown(_)),
                    "{code} is on the page but has no variant"
                );
                assert_eq!(variant.as_str(), code);
                assert_eq!(variant.to_string(), code);
                assert_eq!(variant.status(), status, "{code}");
                assert!(!variant.description().is_empty(), "{code}");
            }
            let unknown = $service::ErrorCode::from_code("DBS.999999999");
            assert_eq!(
                unknown,
                $service::ErrorCode::Unknown("DBS.999999999".into())
            );
            assert_eq!(
                (unknown.status(), unknown.as_str()),
                (None, "DBS.999999999")
            );
        }
    };
}

every_documented_code_has_its_variant!(rds_codes, rds, "docs/otc/rds/appendix/error_codes.rst");
every_documented_code_has_its_variant!(
    geminidb_codes,
    geminidb,
    "docs/otc/geminidb/appendixes/error_codes.rst"
);
every_documented_code_has_its_variant!(
    opengauss_codes,
    opengauss,
    "docs/otc/opengauss/appendix/error_codes.rst"
);

#[tokio::test]
async fn a_vendor_error_on_the_wire_matches_its_variant() {
    let body =
        json!({"error_code": "DBS.200022", "error_msg": "The DB instance name already exists."});
    let server = serve_status(409, &body).await;
    let client =
        rds::Client::with_runtime(&server.uri(), single_attempt(Credentials::token(TOKEN)))
            .unwrap();
    let error = stop_instance(&client).await.expect_err("409 fails");
    assert_eq!(rds::ErrorCode::of(&error), Some(rds::ErrorCode::Dbs200022));
    assert_eq!(rds::ErrorCode::Dbs200022.status(), Some(409));

    let body = json!({"error_code": "DBS.424242", "error_msg": "new"});
    let server = serve_status(400, &body).await;
    let client =
        rds::Client::with_runtime(&server.uri(), single_attempt(Credentials::token(TOKEN)))
            .unwrap();
    let error = stop_instance(&client).await.expect_err("400 fails");
    assert_eq!(
        rds::ErrorCode::of(&error),
        Some(rds::ErrorCode::Unknown("DBS.424242".into()))
    );
}
