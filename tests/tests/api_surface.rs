//! The public API of every generated module, snapshotted so an API change shows in review.

use contract_tests::api_surface;

#[test]
fn dbss() {
    insta::assert_snapshot!(api_surface(
        "crates/dbplane-huaweicloud/src/generated/dbss.rs"
    ));
}

#[test]
fn dws() {
    insta::assert_snapshot!(api_surface(
        "crates/dbplane-huaweicloud/src/generated/dws.rs"
    ));
}

#[test]
fn ocp() {
    insta::assert_snapshot!(api_surface("crates/dbplane-oceanbase/src/generated/ocp.rs"));
}

#[test]
fn rds() {
    insta::assert_snapshot!(api_surface("crates/dbplane-otc/src/generated/rds.rs"));
}
