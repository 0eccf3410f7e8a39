//! `is_safe_path_value` against the regex it replaces in the generated clients, run by the
//! engine typify compiles patterns with (`regress`): they agree on every string.

use dbplane_core::operation::is_safe_path_value;
use proptest::prelude::*;

const PATTERN: &str = r"^(?!\.\.?$)[^/\\]+$";

fn regex_accepts(value: &str) -> bool {
    regress::Regex::new(PATTERN)
        .expect("the specs' pattern compiles")
        .find(value)
        .is_some()
}

#[test]
fn the_edges_agree() {
    for value in [
        "",
        ".",
        "..",
        "...",
        ". ",
        " .",
        ".\n",
        "..\n",
        "\n",
        "a/b",
        "a\\b",
        "/",
        "\\",
        "%2e",
        "%2F",
        "a",
        "5b409baece064984a1b3eef6addae50cin01",
        "ü",
        "\u{2028}",
        "\u{10FFFF}",
    ] {
        assert_eq!(is_safe_path_value(value), regex_accepts(value), "{value:?}");
    }
}

proptest! {
    #[test]
    fn generated_strings_agree(value in prop_oneof![
        any::<String>(),
        "[./\\\\a\\n\\r\u{2028}é]{0,5}",
    ]) {
        prop_assert_eq!(is_safe_path_value(&value), regex_accepts(&value), "{:?}", value);
    }
}
