//! The service's error-code appendix (overlay key `error_codes`) → the spec's
//! `x-dbplane-error-codes`: each documented code with its HTTP status and description, from
//! which the client's `ErrorCode` enum is generated.

use serde_json::{json, Value};

use crate::import::page::{column, Page, Table};

/// The header names of the code, status and description columns, as the references write them.
const CODE: &[&str] = &["Error Code", "Error code"];
const STATUS: &[&str] = &[
    "Response Code",
    "HTTP Status Code",
    "Status Code",
    "HTTP status code",
];
/// The text a code is documented with: the first of these columns in the table (the
/// `Error Message` the vendor sends, for GeminiDB and openGauss; `Description` for RDS).
const DESCRIPTION: &[&str] = &["Description", "Error Message", "Error message"];

/// The codes of the page's error-code tables, in the order of the page, each once; and notes
/// for what could not be read (a row without a code, a code given twice).
pub fn read(page: &Page) -> Result<(Vec<Value>, Vec<String>), String> {
    let tables: Vec<&Table> = page
        .grids
        .iter()
        .filter(|t| column(t, CODE).is_some())
        .collect();
    if tables.is_empty() {
        return Err("no table with an `Error Code` column".into());
    }
    let mut codes: Vec<Value> = Vec::new();
    let mut notes = Vec::new();
    for table in tables {
        let code_at = column(table, CODE).unwrap_or_default();
        let status_at = column(table, STATUS);
        let description_at = column(table, DESCRIPTION);
        for (i, row) in table.rows.iter().enumerate() {
            let code = row.get(code_at).map(|c| c.trim()).unwrap_or_default();
            if !is_code(code) {
                notes.push(format!(
                    "error codes: row {} has no code (`{code}`): not read",
                    i + 1
                ));
                continue;
            }
            if codes.iter().any(|c| c["code"] == code) {
                notes.push(format!(
                    "error codes: `{code}` is listed twice: the first is kept"
                ));
                continue;
            }
            let status = status_at
                .and_then(|at| row.get(at))
                .and_then(|s| s.trim().parse::<u16>().ok());
            let description = description_at
                .and_then(|at| row.get(at))
                .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            let mut entry = json!({ "code": code, "description": description });
            if let Some(status) = status {
                entry["status"] = json!(status);
            }
            codes.push(entry);
        }
    }
    Ok((codes, notes))
}

/// A vendor code: a service prefix and a number (`DBS.200022`, `RDS.0001`, `APIGW.0301`).
fn is_code(text: &str) -> bool {
    let Some((prefix, number)) = text.split_once('.') else {
        return false;
    };
    !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_alphanumeric())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(header: &[&str], rows: &[&[&str]]) -> Page {
        let mut page = crate::import::read::page("Title\n=====\n");
        page.grids = vec![Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        }];
        page
    }

    #[test]
    fn each_code_keeps_its_status_and_description_and_a_repeat_is_noted() {
        let page = page(
            &[
                "HTTP Status Code",
                "Error Code",
                "Error Message",
                "Description",
            ],
            &[
                &[
                    "404",
                    "DBS.200002",
                    "The DB  instance does not exist.",
                    "Instance not found.",
                ],
                &["400", "DBS.200002", "again", "again"],
                &["", "see above", "", ""],
            ],
        );
        let (codes, notes) = read(&page).unwrap();
        assert_eq!(
            codes,
            [
                json!({"code": "DBS.200002", "status": 404, "description": "The DB instance does not exist."})
            ]
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("listed twice") && notes[1].contains("no code"));
    }

    #[test]
    fn a_page_without_a_code_table_is_an_error() {
        let page = page(&["Parameter", "Type"], &[&["a", "String"]]);
        assert!(read(&page).is_err());
    }
}
