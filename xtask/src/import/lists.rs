//! What the pages say of lists: the documented bounds of integer query parameters (`The
//! value ranges from 1 to 100`), and the walk of every paged list (`x-dbplane-pagination`):
//! a GET with `offset`/`limit` (an item index, or a page number where the page says so) or
//! `cur_page`/`per_page`, whose answer holds one list.

use regex::Regex;
use serde_json::{json, Value};
use std::sync::LazyLock;

/// `… ranges from 1 to 100`, `Range: 1-100`, `Value range: [1, 50]`, `from 1 (inclusive) to
/// 100 (inclusive)`, `the maximum value is 100`, `Maximum value: 100`.
static MAXIMUM: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)ranges? (?:is )?from -?\d+ (?:\(inclusive\) )?to (\d+)",
        r"(?i)\brange:? \[?-?\d+(?:\]|,)? ?(?:-|to|,) ?(\d+)\]?",
        r"(?i)maximum value(?: is|:) ?(\d+)",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a valid pattern"))
    .collect()
});

/// `The default value is 10`, `the default value 10 is used`, `The value is 0 by default`,
/// `Default value: 10`, `(default 10)`.
static DEFAULT: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)default value:? ?(?:is )?(\d+)",
        r"(?i)value is (\d+) by default",
        r"(?i)\(default (\d+)\)",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a valid pattern"))
    .collect()
});

fn first_number(patterns: &[Regex], text: &str) -> Option<i64> {
    patterns
        .iter()
        .filter_map(|p| p.captures(text)?.get(1)?.as_str().parse().ok())
        .next()
}

/// The largest value a description allows, when it says.
pub fn documented_maximum(description: &str) -> Option<i64> {
    first_number(&MAXIMUM, description)
}

/// The value a description says is used when none is given.
pub fn documented_default(description: &str) -> Option<i64> {
    first_number(&DEFAULT, description)
}

/// Gives each integer query parameter the maximum its description documents (when its
/// schema has none, and the parameter's own sample is within it).
pub fn add_ranges(op: &mut Value) {
    for param in op["parameters"].as_array_mut().into_iter().flatten() {
        if param["in"] != "query" || param["schema"]["type"] != "integer" {
            continue;
        }
        if param["schema"].get("maximum").is_some() {
            continue;
        }
        let Some(maximum) = param["description"].as_str().and_then(documented_maximum) else {
            continue;
        };
        let below_minimum = param["schema"]["minimum"]
            .as_i64()
            .is_some_and(|m| m > maximum);
        let sample_beyond = param["example"].as_i64().is_some_and(|e| e > maximum);
        if !below_minimum && !sample_beyond {
            param["schema"]["maximum"] = json!(maximum);
        }
    }
}

/// The walk of a paged list, when `op` is one and has none yet; `Err` says why a list that
/// pages could not be walked (noted by the import).
pub fn add_pagination(op: &mut Value, document: &Value) -> Result<(), String> {
    if op.get("x-dbplane-pagination").is_some() {
        return Ok(());
    }
    let param = |name: &str| {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["in"] == "query" && p["name"] == name)
            .cloned()
    };
    let (style, start, size) = match (
        param("offset"),
        param("limit"),
        param("cur_page"),
        param("per_page"),
    ) {
        (Some(offset), Some(limit), _, _) => {
            let text = offset["description"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let page = text.contains("page offset") || text.contains("page number");
            (if page { "page" } else { "offset" }, offset, limit)
        }
        (_, _, Some(page), Some(per_page)) => ("page", page, per_page),
        _ => return Ok(()),
    };
    let answer = op["responses"]["200"]
        .pointer("/content/application~1json/schema")
        .map(|s| dbplane_spec::resolve(document, s))
        .cloned()
        .unwrap_or(Value::Null);
    let properties = answer["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let lists: Vec<&String> = properties
        .iter()
        .filter(|(_, s)| dbplane_spec::resolve(document, s)["type"] == "array")
        .map(|(name, _)| name)
        .collect();
    let items = match lists.as_slice() {
        [one] => (*one).clone(),
        [] => {
            return Err("pages (offset/limit) but its answer holds no list: no `.stream()`".into())
        }
        many => {
            let names: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
            return Err(format!(
                "pages, but its answer holds several lists ({}): no `.stream()` unless the overlay names one",
                names.join(", ")
            ));
        }
    };
    let total = [
        "total_count",
        "total_record",
        "totalRecord",
        "total",
        "count",
    ]
    .into_iter()
    .find(|name| {
        properties
            .get(*name)
            .is_some_and(|s| dbplane_spec::resolve(document, s)["type"] == "integer")
    });
    let description = size["description"].as_str().unwrap_or_default();
    let default_size = size["schema"]["maximum"]
        .as_i64()
        .or_else(|| documented_default(description))
        .filter(|n| *n > 0)
        .unwrap_or(10);
    let mut pagination = json!({
        "style": style,
        "items": items,
        "default_size": default_size,
    });
    if let Some(total) = total {
        pagination["total"] = json!(total);
    }
    let (start, size) = (start["name"].as_str(), size["name"].as_str());
    if start != Some(if style == "page" { "page" } else { "offset" }) {
        pagination["start_param"] = json!(start);
    }
    if size != Some(if style == "page" { "size" } else { "limit" }) {
        pagination["size_param"] = json!(size);
    }
    op["x-dbplane-pagination"] = pagination;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_defaults_in_the_pages_words() {
        let max = |text: &str| documented_maximum(text);
        assert_eq!(
            max("The value ranges from 1 to 100. The default value is 10."),
            Some(100)
        );
        assert_eq!(max("Range: 1-100 Default Value: If this parameter is not specified, the default value 10 is used."), Some(100));
        assert_eq!(
            max("Number of records on each page. Value range: [1, 50]"),
            Some(50)
        );
        assert_eq!(
            max("The value ranges from 1 (inclusive) to 100 (inclusive)."),
            Some(100)
        );
        assert_eq!(
            max("The minimum value is 1 and the maximum value is 50."),
            Some(50)
        );
        assert_eq!(max("Its value range is from 1 to 100."), Some(100));
        assert_eq!(max("Minimum value: 1 Maximum value: 100"), Some(100));
        assert_eq!(max("The value can be 10, 20, or 50."), None);
        assert_eq!(
            max("Index offset. The value must be a non-negative number."),
            None
        );
        let default = |text: &str| documented_default(text);
        assert_eq!(
            default("The value can be 10, 20, or 50. The default value is 50."),
            Some(50)
        );
        assert_eq!(
            default("If this parameter is not specified, the default value 10 is used."),
            Some(10)
        );
        assert_eq!(
            default("The value is 0 by default, indicating the first."),
            Some(0)
        );
        assert_eq!(default("Records per page (default 10)."), Some(10));
        assert_eq!(
            default("Number of returned results. Default value: 10"),
            Some(10)
        );
    }

    fn list_op(offset_description: &str, answer: Value) -> Value {
        json!({
            "parameters": [
                {"name": "offset", "in": "query", "description": offset_description, "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "description": "The value ranges from 1 to 50.", "schema": {"type": "integer"}, "example": 10},
            ],
            "responses": {"200": {"content": {"application/json": {"schema": answer}}}},
        })
    }

    #[test]
    fn a_list_that_pages_gets_its_walk() {
        let answer = json!({"type": "object", "properties": {
            "backups": {"type": "array", "items": {"type": "object"}},
            "total_count": {"type": "integer"},
        }});
        let mut op = list_op(
            "If offset is set to N, the query starts from the N+1 piece of data.",
            answer.clone(),
        );
        add_ranges(&mut op);
        assert_eq!(op["parameters"][1]["schema"]["maximum"], 50);
        add_pagination(&mut op, &Value::Null).unwrap();
        assert_eq!(
            op["x-dbplane-pagination"],
            json!({"style": "offset", "items": "backups", "total": "total_count", "default_size": 50})
        );

        let mut op = list_op("Specifies the page offset, such as 1, 2, 3, or 4.", answer);
        add_pagination(&mut op, &Value::Null).unwrap();
        assert_eq!(op["x-dbplane-pagination"]["style"], "page");
        assert_eq!(op["x-dbplane-pagination"]["start_param"], "offset");
        assert_eq!(op["x-dbplane-pagination"]["size_param"], "limit");

        let two = json!({"type": "object", "properties": {
            "actions": {"type": "array", "items": {"type": "string"}},
            "tasks": {"type": "array", "items": {"type": "object"}},
        }});
        let mut op = list_op("Index offset.", two);
        let why = add_pagination(&mut op, &Value::Null).unwrap_err();
        assert!(why.contains("several lists (actions, tasks)"), "{why}");
        assert!(op.get("x-dbplane-pagination").is_none());
    }
}
