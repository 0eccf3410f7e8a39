//! Stateful scenarios: an operation answers differently on each call (an instance that goes
//! `ACTIVE` → `SHUTTING_DOWN` → `SHUTDOWN`, a job `Running` → `Completed`), and lists are
//! served a page at a time.
//!
//! A scenario is chosen by the URL prefix `/_scenario/<name>`: a client pointed at
//! `http://127.0.0.1:port/_scenario/stop-then-start` plays that scenario; without the
//! prefix, every operation answers its documented sample. Scenarios come from the API
//! ([`Scenario::new`]) or from the spec (`info.x-dbplane-scenarios`, as JSON:
//! `{"<name>": {"<operationId>": [{"merge": {…}, "times": 2}, {"status": 404, "body": {…}}]}}`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dbplane_spec::SpecOperation;
use serde_json::Value;

use crate::{documented_answer, MockRequest};

/// The URL prefix that selects a scenario.
pub const PREFIX: &str = "/_scenario/";

/// One answer of a scripted operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The documented answer with these fields merged in (objects merge, other values
    /// replace).
    Merge(Value),
    /// This status and body.
    Reply {
        /// HTTP status.
        status: u16,
        /// JSON body.
        body: Value,
    },
    /// A page of `items` under `field`, chosen by the request's `offset`/`limit` or
    /// `page`/`size` query parameters, with the total under `total_field`.
    Pages {
        /// The list's field in the answer (`instances`).
        field: String,
        /// The count's field (`total_count`), or OCP's `page` object when `page_style` is
        /// `page`.
        total_field: String,
        /// `offset` (offset/limit, 0-based) or `page` (page/size, 1-based).
        style: String,
        /// Every item of the list.
        items: Vec<Value>,
    },
}

/// A named script of answers per operation.
#[derive(Debug, Clone)]
pub struct Scenario {
    name: String,
    scripts: HashMap<String, Vec<(Step, usize)>>,
    calls: Arc<Mutex<HashMap<String, usize>>>,
}

impl Scenario {
    /// An empty scenario named `name` (its URL prefix is `/_scenario/<name>`).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            scripts: HashMap::new(),
            calls: Arc::default(),
        }
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Operation `operation_id` answers `step` for the next `times` calls (the last step
    /// repeats once the script is over).
    pub fn then(mut self, operation_id: &str, step: Step, times: usize) -> Self {
        self.scripts
            .entry(operation_id.to_string())
            .or_default()
            .push((step, times.max(1)));
        self
    }

    /// The scenarios a spec declares in `info.x-dbplane-scenarios`.
    pub fn from_spec(spec: &Value) -> Result<Vec<Self>, String> {
        let Some(declared) = spec.pointer("/info/x-dbplane-scenarios") else {
            return Ok(Vec::new());
        };
        let declared = declared
            .as_object()
            .ok_or("`x-dbplane-scenarios` must be an object of scenarios")?;
        let mut out = Vec::new();
        for (name, operations) in declared {
            let mut scenario = Scenario::new(name);
            for (operation_id, steps) in operations.as_object().into_iter().flatten() {
                for step in steps.as_array().into_iter().flatten() {
                    let times = step["times"].as_u64().unwrap_or(1) as usize;
                    scenario = scenario.then(operation_id, parse_step(step)?, times);
                }
            }
            out.push(scenario);
        }
        Ok(out)
    }

    /// The answer of the scripted operation (the documented one for any other).
    pub(crate) fn answer(
        &self,
        spec: &Value,
        op: &SpecOperation<'_>,
        request: &MockRequest<'_>,
    ) -> (u16, Value) {
        let documented = documented_answer(spec, op.op);
        let id = op.id().unwrap_or_default();
        let Some(script) = self
            .scripts
            .get(id)
            .or_else(|| self.scripts.get(&snake(id)))
        else {
            return documented;
        };
        let call = {
            let Ok(mut calls) = self.calls.lock() else {
                return documented;
            };
            let count = calls.entry(id.to_string()).or_default();
            *count += 1;
            *count
        };
        let mut remaining = call;
        let step = script
            .iter()
            .find(|(_, times)| {
                if remaining <= *times {
                    true
                } else {
                    remaining -= times;
                    false
                }
            })
            .or(script.last())
            .map(|(step, _)| step);
        match step {
            Some(Step::Merge(fields)) => (documented.0, merge(documented.1, fields)),
            Some(Step::Reply { status, body }) => (*status, body.clone()),
            Some(Step::Pages {
                field,
                total_field,
                style,
                items,
            }) => (
                documented.0,
                page(documented.1, request, field, total_field, style, items),
            ),
            None => documented,
        }
    }
}

fn parse_step(step: &Value) -> Result<Step, String> {
    if let Some(fields) = step.get("merge") {
        return Ok(Step::Merge(fields.clone()));
    }
    if let Some(pages) = step.get("pages") {
        let text = |key: &str| {
            pages[key]
                .as_str()
                .map(str::to_string)
                .ok_or(format!("`pages` needs `{key}`"))
        };
        let items = match &pages["items"] {
            Value::Array(items) => items.clone(),
            // `{"count": n, "template": {...}}`: n items, `{i}` in strings replaced by the index.
            Value::Object(spec) => {
                let count = spec["count"].as_u64().unwrap_or(0) as usize;
                (1..=count).map(|i| number(&spec["template"], i)).collect()
            }
            _ => return Err("`pages.items` must be a list or {count, template}".into()),
        };
        return Ok(Step::Pages {
            field: text("field")?,
            total_field: text("total_field")?,
            style: text("style")?,
            items,
        });
    }
    match step["status"].as_u64() {
        Some(status) => Ok(Step::Reply {
            status: u16::try_from(status).map_err(|_| format!("status {status} is not HTTP"))?,
            body: step["body"].clone(),
        }),
        None => Err(format!("a step needs `merge`, `pages` or `status`: {step}")),
    }
}

fn number(template: &Value, i: usize) -> Value {
    match template {
        Value::String(s) if s == "{i}" => Value::from(i),
        Value::String(s) => Value::String(s.replace("{i}", &i.to_string())),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), number(v, i))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| number(v, i)).collect()),
        other => other.clone(),
    }
}

fn snake(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `base` with `fields` merged in: objects merge key by key, anything else replaces.
pub fn merge(base: Value, fields: &Value) -> Value {
    match (base, fields) {
        (Value::Object(mut base), Value::Object(fields)) => {
            for (key, value) in fields {
                let current = base.remove(key).unwrap_or(Value::Null);
                base.insert(key.clone(), merge(current, value));
            }
            Value::Object(base)
        }
        // Lists merge item by item, so a scripted state keeps the documented fields.
        (Value::Array(base), Value::Array(fields)) => {
            let mut base = base.into_iter();
            let merged: Vec<Value> = fields
                .iter()
                .map(|f| merge(base.next().unwrap_or(Value::Null), f))
                .collect();
            Value::Array(merged)
        }
        (_, other) => other.clone(),
    }
}

/// One page of `items`, as the request's query asks for it.
fn page(
    documented: Value,
    request: &MockRequest<'_>,
    field: &str,
    total_field: &str,
    style: &str,
    items: &[Value],
) -> Value {
    let query = request.query_pairs();
    let number = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let (start, size) = match style {
        "page" => {
            let size = number("size").unwrap_or(10).max(1);
            let page = number("page").unwrap_or(1).max(1);
            ((page - 1).saturating_mul(size), size)
        }
        _ => (
            number("offset").unwrap_or(0),
            number("limit").unwrap_or(10).max(1),
        ),
    };
    let slice: Vec<Value> = items.iter().skip(start).take(size).cloned().collect();
    let total = items.len();
    let mut answer = documented;
    let set = |answer: &mut Value, pointer: &str, value: Value| {
        let mut target = answer;
        let parts: Vec<&str> = pointer.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            let Some(object) = target.as_object_mut() else {
                return;
            };
            if i + 1 == parts.len() {
                object.insert((*part).to_string(), value);
                return;
            }
            target = object.entry((*part).to_string()).or_insert(Value::Null);
        }
    };
    set(&mut answer, field, Value::Array(slice));
    if style == "page" {
        let total_pages = total.div_ceil(size);
        let number = start / size + 1;
        set(
            &mut answer,
            total_field,
            serde_json::json!({"number": number, "size": size, "totalElements": total, "totalPages": total_pages}),
        );
    } else {
        set(&mut answer, total_field, Value::from(total));
    }
    answer
}

/// The scenario a path selects, and the path without the prefix.
pub(crate) fn select<'a, 's>(
    scenarios: &'s [Scenario],
    path: &'a str,
) -> (Option<&'s Scenario>, &'a str) {
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return (None, path);
    };
    let name = rest.split('/').next().unwrap_or(rest);
    let path = match &rest[name.len()..] {
        "" => "/",
        path => path,
    };
    (scenarios.iter().find(|s| s.name == name), path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_keeps_the_documented_fields() {
        let merged = merge(
            json!({"a": 1, "b": {"c": 2, "d": 3}}),
            &json!({"b": {"c": 9}}),
        );
        assert_eq!(merged, json!({"a": 1, "b": {"c": 9, "d": 3}}));
    }

    #[test]
    fn a_prefix_selects_a_scenario() {
        let scenarios = [Scenario::new("stop")];
        let (chosen, path) = select(&scenarios, "/_scenario/stop/v3/p/instances");
        assert_eq!(
            (chosen.map(Scenario::name), path),
            (Some("stop"), "/v3/p/instances")
        );
        let (chosen, path) = select(&scenarios, "/v3/p/instances");
        assert_eq!((chosen.is_none(), path), (true, "/v3/p/instances"));
    }
}
