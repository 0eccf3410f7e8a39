//! A page's parameter tables into JSON Schema: each field's type in the page's words, nested
//! tables followed by their anchors, each anchor expanded at most once per path and the whole
//! bounded in size.

use serde_json::{json, Map, Value};

use crate::import::page::{plain_text, AnchoredTable, Field, PageType};

/// A page's type (`String`, `Integer`, `Array of objects`, `List<String>`, `Object`) as JSON
/// schema; what does not map is noted.
pub fn json_type(text: &str, notes: &mut Vec<String>, name: &str) -> Value {
    match PageType::of(text) {
        Some(PageType::String) => json!({"type": "string"}),
        Some(PageType::Integer) => json!({"type": "integer"}),
        Some(PageType::Boolean) => json!({"type": "boolean"}),
        Some(PageType::Number) => json!({"type": "number"}),
        Some(PageType::Strings) => json!({"type": "array", "items": {"type": "string"}}),
        Some(PageType::Integers) => json!({"type": "array", "items": {"type": "integer"}}),
        Some(PageType::Array) => json!({"type": "array", "items": {"type": "object"}}),
        Some(PageType::Object) => json!({"type": "object"}),
        None => {
            notes.push(format!(
                "`{name}`: type `{}` does not map; left untyped",
                text.trim()
            ));
            json!({})
        }
    }
}

/// Where the expansion of a schema's nested tables stands: the anchors being expanded (a
/// table met again on its own path is a cycle) and the fields left to write.
pub struct Expansion {
    path: Vec<String>,
    budget: usize,
}

impl Default for Expansion {
    fn default() -> Self {
        Self {
            path: Vec::new(),
            budget: MAX_SCHEMA_FIELDS,
        }
    }
}

/// The most fields one operation's schema is expanded to (RDS's largest has a few hundred):
/// tables that refer to each other many times cannot grow a schema beyond it.
const MAX_SCHEMA_FIELDS: usize = 5_000;

/// The deepest nesting of tables followed.
pub const MAX_SCHEMA_DEPTH: usize = 6;

/// An object schema from a parameter table, following `:ref:` anchors into nested tables;
/// each anchor is expanded at most once on a path (a cycle is left an open object, noted),
/// and the whole schema is bounded ([`MAX_SCHEMA_FIELDS`]).
pub fn object_schema(
    table: &AnchoredTable,
    all: &[AnchoredTable],
    notes: &mut Vec<String>,
    expansion: &mut Expansion,
) -> Value {
    fields_schema(&table.fields, all, notes, expansion)
}

/// The object whose properties are `fields`.
fn fields_schema(
    fields: &[Field],
    all: &[AnchoredTable],
    notes: &mut Vec<String>,
    expansion: &mut Expansion,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        if expansion.budget == 0 {
            let note = format!(
                "the schema reaches {MAX_SCHEMA_FIELDS} fields: the rest of its tables is not expanded"
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
            break;
        }
        expansion.budget -= 1;
        let mut schema = json_type(&field.ty, notes, &field.name);
        let structured = PageType::nests(&field.ty);
        if let Some(anchor) = field.reference.as_ref().filter(|_| structured) {
            match all
                .iter()
                .find(|t| t.anchor.as_deref() == Some(anchor.as_str()))
            {
                Some(_) if expansion.path.contains(anchor) => notes.push(format!(
                    "`{}`: table `{anchor}` refers back to itself (a cycle); left an open object",
                    field.name
                )),
                Some(nested) if expansion.path.len() < MAX_SCHEMA_DEPTH => {
                    expansion.path.push(anchor.clone());
                    let inner = object_schema(nested, all, notes, expansion);
                    expansion.path.pop();
                    if schema["type"] == "array" {
                        schema["items"] = inner;
                    } else {
                        schema = inner;
                    }
                }
                Some(_) => notes.push(format!(
                    "`{}`: nested deeper than {MAX_SCHEMA_DEPTH} tables; not followed",
                    field.name
                )),
                None => notes.push(format!("`{}`: table `{anchor}` not found", field.name)),
            }
        } else if !field.children.is_empty() && structured {
            // A tree-shaped table's rows under this one.
            let inner = fields_schema(&field.children, all, notes, expansion);
            if schema["type"] == "array" {
                schema["items"] = inner;
            } else {
                schema = inner;
            }
        } else if !field.children.is_empty() {
            notes.push(format!(
                "`{}`: {} rows nested under a `{}` field; not read",
                field.name,
                field.children.len(),
                field.ty
            ));
        }
        if !field.description.is_empty() {
            schema["description"] = json!(plain_text(&field.description));
        }
        if field.mandatory {
            required.push(json!(field.name));
        }
        properties.insert(field.name.clone(), schema);
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::page::{fields_of, Table};

    #[test]
    fn a_tree_shaped_table_nests_each_row_under_its_parent() {
        let cells = |rows: &[[&str; 3]]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let table = Table {
            header: vec!["Parameter".into(), "Type".into(), "Description".into()],
            rows: cells(&[
                ["instances", "Array of objects", "The instances."],
                ["├─ id", "String", "Its ID."],
                ["├─ nodes", "Array of objects", "Its nodes."],
                ["│  ├─ id", "String", "A node's ID."],
                ["│  └─name", "String", "A node's name."],
                ["└─ name", "String", "Its name."],
                ["total", "Integer", "How many."],
                ["label", "String", "A label."],
                ["└─ stray", "String", "Under a string."],
            ]),
        };
        let fields = fields_of(&table);
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["instances", "total", "label"]);
        let anchored = AnchoredTable {
            anchor: None,
            fields,
            line: 1,
            caption: String::new(),
        };
        let mut notes = Vec::new();
        let schema = object_schema(&anchored, &[], &mut notes, &mut Expansion::default());
        let item = &schema["properties"]["instances"]["items"];
        assert_eq!(
            item["properties"]["nodes"]["items"]["properties"]["name"]["type"],
            "string"
        );
        let keys = |v: &Value| -> Vec<String> {
            v["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(keys(item), ["id", "name", "nodes"]);
        assert_eq!(keys(&item["properties"]["nodes"]["items"]), ["id", "name"]);
        assert_eq!(
            notes,
            ["`label`: 1 rows nested under a `String` field; not read"]
        );
    }

    fn table(anchor: &str, fields: &[(&str, &str, Option<&str>)]) -> AnchoredTable {
        AnchoredTable {
            anchor: Some(anchor.into()),
            fields: fields
                .iter()
                .map(|(name, ty, reference)| crate::import::page::Field {
                    name: name.to_string(),
                    ty: ty.to_string(),
                    mandatory: false,
                    description: String::new(),
                    reference: reference.map(str::to_string),
                    children: Vec::new(),
                })
                .collect(),
            line: 0,
            caption: String::new(),
        }
    }

    #[test]
    fn a_cycle_of_tables_is_expanded_once_and_noted() {
        let a = table("a", &[("b", "Object", Some("b")), ("n", "String", None)]);
        let b = table("b", &[("a", "Array of objects", Some("a"))]);
        let all = vec![a.clone(), b];
        let mut notes = Vec::new();
        let schema = object_schema(&a, &all, &mut notes, &mut Expansion::default());
        assert_eq!(
            schema["properties"]["b"]["properties"]["a"],
            json!({"type": "array", "items": {"type": "object", "properties": {"b": {"type": "object"}, "n": {"type": "string"}}}})
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("a cycle"), "{notes:?}");
    }

    #[test]
    fn tables_that_fan_out_cannot_grow_a_schema_without_bound() {
        // Six levels of ten fields each pointing at the next level: a million fields.
        let all: Vec<AnchoredTable> = (0..7)
            .map(|level| {
                let next = format!("t{}", level + 1);
                let fields: Vec<(String, &str, Option<String>)> = (0..10)
                    .map(|i| (format!("f{i}"), "Object", (level < 6).then(|| next.clone())))
                    .collect();
                let borrowed: Vec<(&str, &str, Option<&str>)> = fields
                    .iter()
                    .map(|(n, t, r)| (n.as_str(), *t, r.as_deref()))
                    .collect();
                table(&format!("t{level}"), &borrowed)
            })
            .collect();
        let mut notes = Vec::new();
        let schema = object_schema(&all[0], &all, &mut notes, &mut Expansion::default());
        let size = serde_json::to_string(&schema).unwrap().len();
        assert!(size < 2_000_000, "{size} bytes");
        assert!(
            notes.iter().any(|n| n.contains("reaches 5000 fields")),
            "{notes:?}"
        );
    }
}
