//! What changed between two versions of a spec, per operation, classed for a client user:
//! **breaking** (code that compiled or worked may not) or **compatible**.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use dbplane_spec::resolve;
use serde_json::Value;

/// How a change affects a user of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Existing code may stop compiling or working: needs a major (0.x: minor) bump.
    Breaking,
    /// Additions and loosening: a minor (0.x: patch) bump.
    Compatible,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Breaking => "breaking",
            Self::Compatible => "compatible",
        })
    }
}

/// One change to one operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The operation's `operationId`.
    pub operation: String,
    /// Breaking or compatible.
    pub class: Class,
    /// What changed, for a person.
    pub what: String,
}

/// Whether a schema is read by the client (a response) or written by it (a parameter, a body).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Input,
    Output,
}

/// Every change from `old` to `new` (both spec documents as JSON).
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let (old_ops, new_ops) = (operations(old), operations(new));
    let renamed = renames(&old_ops, &new_ops);
    let mut changes = Vec::new();
    for (id, (method, path, _)) in &old_ops {
        if new_ops.contains_key(id) {
            continue;
        }
        let what = match renamed.iter().find(|(from, _)| from == id) {
            Some((_, to)) => format!("operation renamed to `{to}` ({method} {path})"),
            None => format!("operation removed ({method} {path})"),
        };
        changes.push(change(id, Class::Breaking, what));
    }
    for (id, (method, path, new_op)) in &new_ops {
        let former = renamed
            .iter()
            .find(|(_, to)| to == id)
            .and_then(|(from, _)| old_ops.get(from));
        let Some((old_method, old_path, old_op)) = old_ops.get(id).or(former) else {
            changes.push(change(
                id,
                Class::Compatible,
                format!("operation added ({method} {path})"),
            ));
            continue;
        };
        let mut diff = OperationDiff {
            id,
            old,
            new,
            changes: &mut changes,
        };
        if (old_method, old_path) != (method, path) {
            // Same operationId: a caller's code is unchanged; the new version sends the
            // request where the vendor now documents it.
            diff.push(
                Class::Compatible,
                format!("moved from {old_method} {old_path} to {method} {path}"),
            );
        }
        diff.parameters(old_op, new_op);
        diff.request_body(old_op, new_op);
        diff.responses(old_op, new_op);
        if old_op.get("x-dbplane-sample-request") != new_op.get("x-dbplane-sample-request") {
            diff.push(
                Class::Compatible,
                "documented sample request changed".into(),
            );
        }
    }
    changes.extend(servers(old, new));
    changes.sort();
    changes.dedup();
    changes
}

/// The `servers` a client builds its host from: a changed or removed host, or a region that
/// is no longer listed, sends a caller's requests elsewhere or fails them.
fn servers(old: &Value, new: &Value) -> Vec<Change> {
    let list = |doc: &Value| -> BTreeMap<String, Option<BTreeSet<String>>> {
        doc["servers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let url = s["url"].as_str()?.to_string();
                let regions = s
                    .pointer("/variables/region/enum")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    });
                Some((url, regions))
            })
            .collect()
    };
    let (old_servers, new_servers) = (list(old), list(new));
    let mut out = Vec::new();
    let mut push = |class, what: String| out.push(change("(servers)", class, what));
    for (url, old_regions) in &old_servers {
        match new_servers.get(url) {
            None => push(Class::Breaking, format!("server `{url}` removed")),
            Some(new_regions) => match (old_regions, new_regions) {
                (Some(o), Some(n)) => {
                    let gone: Vec<&String> = o.difference(n).collect();
                    let added: Vec<&String> = n.difference(o).collect();
                    if !gone.is_empty() {
                        push(
                            Class::Breaking,
                            format!("server `{url}`: regions removed {gone:?}"),
                        );
                    }
                    if !added.is_empty() {
                        push(
                            Class::Compatible,
                            format!("server `{url}`: regions added {added:?}"),
                        );
                    }
                }
                (None, Some(n)) => push(
                    Class::Breaking,
                    format!("server `{url}`: limited to regions {n:?}"),
                ),
                (Some(_), None) => push(
                    Class::Compatible,
                    format!("server `{url}`: open to every region"),
                ),
                (None, None) => {}
            },
        }
    }
    for url in new_servers.keys().filter(|u| !old_servers.contains_key(*u)) {
        push(Class::Compatible, format!("server `{url}` added"));
    }
    out
}

fn change(operation: &str, class: Class, what: String) -> Change {
    Change {
        operation: operation.to_string(),
        class,
        what,
    }
}

/// Operations by `operationId` (else `METHOD path`): method, path, operation.
/// Operations of `old` gone from `new` under their name but there under another: the new one
/// lists the old name among its aliases, or reads the same page (`x-dbplane-source`), or is
/// the only new operation with the same method and path. (old name, new name) pairs.
fn renames(
    old: &BTreeMap<String, (String, String, &Value)>,
    new: &BTreeMap<String, (String, String, &Value)>,
) -> Vec<(String, String)> {
    let added: Vec<(&String, &(String, String, &Value))> = new
        .iter()
        .filter(|(id, _)| !old.contains_key(*id))
        .collect();
    let bare = |path: &str| path.split('#').next().unwrap_or(path).to_string();
    let mut out = Vec::new();
    for (id, (method, path, op)) in old.iter().filter(|(id, _)| !new.contains_key(*id)) {
        let by_alias = added.iter().find(|(_, (_, _, n))| {
            n["x-dbplane-aliases"]
                .as_array()
                .is_some_and(|a| a.iter().any(|a| a.as_str() == Some(id.as_str())))
        });
        let by_page = || {
            let source = op["x-dbplane-source"].as_str()?;
            added
                .iter()
                .find(|(_, (_, _, n))| n["x-dbplane-source"].as_str() == Some(source))
                .copied()
        };
        let by_route = || {
            let same: Vec<_> = added
                .iter()
                .filter(|(_, (m, p, _))| m == method && bare(p) == bare(path))
                .collect();
            (same.len() == 1).then(|| *same[0])
        };
        if let Some((to, _)) = by_alias.copied().or_else(by_page).or_else(by_route) {
            out.push((id.clone(), to.clone()));
        }
    }
    out
}

fn operations(doc: &Value) -> BTreeMap<String, (String, String, &Value)> {
    dbplane_spec::operations(doc)
        .map(|o| {
            let method = o.method.to_uppercase();
            let id = o.op["operationId"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{method} {}", o.path));
            (id, (method, o.path.to_string(), o.op))
        })
        .collect()
}

struct OperationDiff<'a> {
    id: &'a str,
    old: &'a Value,
    new: &'a Value,
    changes: &'a mut Vec<Change>,
}

impl OperationDiff<'_> {
    fn push(&mut self, class: Class, what: String) {
        self.changes.push(change(self.id, class, what));
    }

    fn parameters(&mut self, old_op: &Value, new_op: &Value) {
        let collect = |doc: &Value, op: &Value| -> BTreeMap<(String, String), Value> {
            op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| resolve(doc, p).clone())
                .map(|p| {
                    (
                        (
                            p["in"].as_str().unwrap_or("").to_string(),
                            p["name"].as_str().unwrap_or("").to_string(),
                        ),
                        p,
                    )
                })
                .collect()
        };
        let (old_params, new_params) = (collect(self.old, old_op), collect(self.new, new_op));
        for ((location, name), old_param) in &old_params {
            let label = format!("{location} parameter `{name}`");
            let Some(new_param) = new_params.get(&(location.clone(), name.clone())) else {
                self.push(Class::Breaking, format!("{label} removed"));
                continue;
            };
            self.required(
                &label,
                old_param["required"].as_bool(),
                new_param["required"].as_bool(),
                Direction::Input,
            );
            self.schema(
                &label,
                &old_param["schema"],
                &new_param["schema"],
                Direction::Input,
                0,
            );
            if old_param.get("example") != new_param.get("example") {
                self.push(Class::Compatible, format!("{label}: example changed"));
            }
            if old_param.get("x-dbplane-cli-flag") != new_param.get("x-dbplane-cli-flag") {
                self.push(
                    Class::Breaking,
                    format!(
                        "{label}: CLI flag renamed ({} → {}): scripts using the old flag fail",
                        show(&old_param["x-dbplane-cli-flag"]),
                        show(&new_param["x-dbplane-cli-flag"])
                    ),
                );
            }
        }
        for ((location, name), new_param) in &new_params {
            if !old_params.contains_key(&(location.clone(), name.clone())) {
                let required = new_param["required"].as_bool() == Some(true);
                let class = if required {
                    Class::Breaking
                } else {
                    Class::Compatible
                };
                let kind = if required { "required" } else { "optional" };
                self.push(
                    class,
                    format!("{location} parameter `{name}` added ({kind})"),
                );
            }
        }
    }

    fn request_body(&mut self, old_op: &Value, new_op: &Value) {
        let old_body = old_op.get("requestBody").map(|b| resolve(self.old, b));
        let new_body = new_op.get("requestBody").map(|b| resolve(self.new, b));
        match (old_body, new_body) {
            (None, None) => {}
            (Some(_), None) => self.push(Class::Breaking, "request body removed".into()),
            (None, Some(body)) => {
                let class = if body["required"].as_bool() == Some(true) {
                    Class::Breaking
                } else {
                    Class::Compatible
                };
                self.push(class, "request body added".into());
            }
            (Some(old_body), Some(new_body)) => {
                self.required(
                    "request body",
                    old_body["required"].as_bool(),
                    new_body["required"].as_bool(),
                    Direction::Input,
                );
                let pointer = "/content/application~1json";
                let (old_media, new_media) = (old_body.pointer(pointer), new_body.pointer(pointer));
                if let (Some(o), Some(n)) = (old_media, new_media) {
                    self.schema(
                        "request body",
                        &o["schema"],
                        &n["schema"],
                        Direction::Input,
                        0,
                    );
                    if o.get("example") != n.get("example") {
                        self.push(Class::Compatible, "request body: example changed".into());
                    }
                }
            }
        }
    }

    fn responses(&mut self, old_op: &Value, new_op: &Value) {
        let statuses = |op: &Value| -> BTreeSet<String> {
            op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(s, _)| s.clone())
                .collect()
        };
        let (old_statuses, new_statuses) = (statuses(old_op), statuses(new_op));
        // A success answer moving to another 2xx with the same schema (200 → 202): the
        // generated method returns the same type.
        let success_schema = |doc: &Value, op: &Value, status: &str| {
            resolve(doc, &op["responses"][status])
                .pointer("/content/application~1json/schema")
                .map(|s| resolve(doc, s).clone())
        };
        let gone_2xx: Vec<&String> = old_statuses
            .difference(&new_statuses)
            .filter(|s| s.starts_with('2'))
            .collect();
        let new_2xx: Vec<&String> = new_statuses
            .difference(&old_statuses)
            .filter(|s| s.starts_with('2'))
            .collect();
        let mut moved = BTreeSet::new();
        if let ([old_status], [new_status]) = (gone_2xx.as_slice(), new_2xx.as_slice()) {
            if success_schema(self.old, old_op, old_status)
                == success_schema(self.new, new_op, new_status)
            {
                self.push(
                    Class::Compatible,
                    format!("success status {old_status} → {new_status}, same schema"),
                );
                moved.extend([(*old_status).clone(), (*new_status).clone()]);
            }
        }
        let removed = old_statuses
            .difference(&new_statuses)
            .map(|s| (s, "removed"));
        let added = new_statuses.difference(&old_statuses).map(|s| (s, "added"));
        for (status, what) in removed.chain(added).filter(|(s, _)| !moved.contains(*s)) {
            // A success answer is what the client decodes; error statuses only refine errors.
            let class = if status.starts_with('2') {
                Class::Breaking
            } else {
                Class::Compatible
            };
            self.push(class, format!("response {status} {what}"));
        }
        for status in old_statuses.intersection(&new_statuses) {
            let o = resolve(self.old, &old_op["responses"][status]);
            let n = resolve(self.new, &new_op["responses"][status]);
            let pointer = "/content/application~1json";
            if let (Some(o), Some(n)) = (o.pointer(pointer), n.pointer(pointer)) {
                self.schema(
                    &format!("response {status}"),
                    &o["schema"],
                    &n["schema"],
                    Direction::Output,
                    0,
                );
                if o.get("example") != n.get("example") {
                    self.push(
                        Class::Compatible,
                        format!("response {status}: example changed"),
                    );
                }
            }
        }
    }

    fn required(
        &mut self,
        label: &str,
        old: Option<bool>,
        new: Option<bool>,
        direction: Direction,
    ) {
        let (old, new) = (old == Some(true), new == Some(true));
        match (old, new, direction) {
            (false, true, Direction::Input) => {
                self.push(Class::Breaking, format!("{label} made required"))
            }
            (true, false, Direction::Input) => {
                self.push(Class::Compatible, format!("{label} made optional"))
            }
            (true, false, Direction::Output) => {
                self.push(Class::Breaking, format!("{label} made optional"))
            }
            // Wire-compatible, but the generated field changes from `Option<T>` to `T`.
            (false, true, Direction::Output) => self.push(
                Class::Breaking,
                format!("{label} made required (the Rust field type changes from Option<T> to T)"),
            ),
            _ => {}
        }
    }

    /// Compares two schemas at `label`, recursing into object properties and array items.
    fn schema(
        &mut self,
        label: &str,
        old: &Value,
        new: &Value,
        direction: Direction,
        depth: usize,
    ) {
        if depth > 12 {
            return;
        }
        // A component is a generated type: renaming it, or inlining it, renames the type.
        let reference = |s: &Value| {
            s["$ref"]
                .as_str()
                .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
        };
        match (reference(old), reference(new)) {
            (Some(o), Some(n)) if o != n => self.push(
                Class::Breaking,
                format!("{label}: type `{o}` renamed to `{n}` (the generated type's name changes)"),
            ),
            (Some(o), None) => self.push(
                Class::Breaking,
                format!("{label}: type `{o}` replaced by an inline schema (the generated type's name changes)"),
            ),
            (None, Some(n)) => self.push(
                Class::Breaking,
                format!("{label}: inline schema replaced by type `{n}` (the generated type's name changes)"),
            ),
            _ => {}
        }
        let (old, new) = (resolve(self.old, old), resolve(self.new, new));
        let nullable = |s: &Value| s["nullable"] == Value::Bool(true);
        if nullable(old) != nullable(new) {
            // On the wire a `null` appears or goes; whether the Rust type gains or loses an
            // `Option` (a required field's does, an optional one's does not) is for the Rust
            // API check to say.
            self.push(
                Class::Compatible,
                format!("{label}: nullable {} → {}", nullable(old), nullable(new)),
            );
        }
        let kind = |s: &Value| {
            s["type"]
                .as_str()
                .map(str::to_string)
                .or_else(|| s.get("properties").map(|_| "object".to_string()))
        };
        let (old_type, new_type) = (kind(old), kind(new));
        if old_type != new_type {
            let show = |t: &Option<String>| t.clone().unwrap_or_else(|| "any".into());
            self.push(
                Class::Breaking,
                format!(
                    "{label}: type changed from {} to {}",
                    show(&old_type),
                    show(&new_type)
                ),
            );
            return;
        }
        if old["format"] != new["format"] {
            self.push(
                Class::Breaking,
                format!(
                    "{label}: format changed from {} to {}",
                    old["format"], new["format"]
                ),
            );
        }
        self.constraints(label, old, new, direction);
        self.properties(label, old, new, direction, depth);
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            self.schema(&format!("{label}[]"), o, n, direction, depth + 1);
        }
    }

    fn properties(
        &mut self,
        label: &str,
        old: &Value,
        new: &Value,
        direction: Direction,
        depth: usize,
    ) {
        let props = |s: &Value| -> BTreeMap<String, Value> {
            s["properties"]
                .as_object()
                .map(|m| m.clone().into_iter().collect())
                .unwrap_or_default()
        };
        let required = |s: &Value| -> BTreeSet<String> {
            s["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        };
        let (old_props, new_props) = (props(old), props(new));
        let (old_required, new_required) = (required(old), required(new));
        let removed: Vec<&String> = old_props
            .keys()
            .filter(|k| !new_props.contains_key(*k))
            .collect();
        let added: Vec<&String> = new_props
            .keys()
            .filter(|k| !old_props.contains_key(*k))
            .collect();
        let mut renamed = BTreeSet::new();
        for old_name in &removed {
            let same_shape = added.iter().find(|n| {
                !renamed.contains(**n)
                    && resolve(self.new, &new_props[**n])
                        == resolve(self.old, &old_props[*old_name])
            });
            match same_shape {
                Some(new_name) => {
                    renamed.insert((*new_name).clone());
                    self.push(
                        Class::Breaking,
                        format!("{label}: field `{old_name}` renamed to `{new_name}`"),
                    );
                }
                None => self.push(
                    Class::Breaking,
                    format!("{label}: field `{old_name}` removed"),
                ),
            }
        }
        for name in added.into_iter().filter(|n| !renamed.contains(*n)) {
            let is_required = new_required.contains(name);
            let class = match direction {
                Direction::Input if is_required => Class::Breaking,
                _ => Class::Compatible,
            };
            let kind = if is_required { "required" } else { "optional" };
            self.push(class, format!("{label}: field `{name}` added ({kind})"));
        }
        for (name, old_schema) in &old_props {
            if let Some(new_schema) = new_props.get(name) {
                let field = format!("{label}.{name}");
                self.required(
                    &field,
                    Some(old_required.contains(name)),
                    Some(new_required.contains(name)),
                    direction,
                );
                self.schema(&field, old_schema, new_schema, direction, depth + 1);
            }
        }
    }

    /// Tighter constraints break inputs (values that passed now fail); looser ones are compatible.
    fn constraints(&mut self, label: &str, old: &Value, new: &Value, direction: Direction) {
        let (mut tighter, mut looser) = bound_changes(old, new);
        // `additionalProperties: false` closes an object to fields it does not list.
        let closed = |s: &Value| s["additionalProperties"] == Value::Bool(false);
        match (closed(old), closed(new)) {
            (false, true) => tighter.push("closed to unlisted fields".into()),
            (true, false) => looser.push("open to unlisted fields".into()),
            _ => {}
        }
        if old["pattern"] != new["pattern"] {
            tighter.push(format!(
                "pattern {} → {}",
                show(&old["pattern"]),
                show(&new["pattern"])
            ));
        }
        self.enum_change(label, old, new, direction, &mut tighter, &mut looser);
        let (narrowing, widening) = match direction {
            Direction::Input => (Class::Breaking, Class::Compatible),
            Direction::Output => (Class::Compatible, Class::Compatible),
        };
        if !tighter.is_empty() {
            self.push(
                narrowing,
                format!("{label}: constraints narrowed ({})", tighter.join(", ")),
            );
        }
        if !looser.is_empty() {
            self.push(
                widening,
                format!("{label}: constraints widened ({})", looser.join(", ")),
            );
        }
    }

    /// A changed enum: breaking in an answer when values come or go (a closed Rust enum
    /// cannot decode new ones, and removed ones lose their variants); else a narrowing when
    /// fewer values are accepted, a widening when more are.
    fn enum_change(
        &mut self,
        label: &str,
        old: &Value,
        new: &Value,
        direction: Direction,
        tighter: &mut Vec<String>,
        looser: &mut Vec<String>,
    ) {
        if old["enum"] == new["enum"] {
            return;
        }
        let values = |s: &Value| -> BTreeSet<String> {
            s["enum"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.to_string())
                .collect()
        };
        let (o, n) = (values(old), values(new));
        let text = format!("enum {} → {}", show(&old["enum"]), show(&new["enum"]));
        // Fewer accepted values: an enum appears, or values go.
        let fewer = (old.get("enum").is_none() && new.get("enum").is_some())
            || (new.get("enum").is_some() && !o.is_subset(&n));
        // More possible values in an answer: a closed enum type cannot decode them.
        let more_answers =
            direction == Direction::Output && new.get("enum").is_some() && !n.is_subset(&o);
        let fewer_variants = direction == Direction::Output && !o.is_subset(&n);
        if more_answers {
            self.push(
                Class::Breaking,
                format!("{label}: new values in a closed enum ({text})"),
            );
        } else if fewer_variants {
            self.push(
                Class::Breaking,
                format!("{label}: values removed from an answer's enum ({text}): their Rust variants go"),
            );
        } else if fewer {
            tighter.push(text);
        } else {
            looser.push(text);
        }
    }
}

/// The changed bounds (`minLength`, `maximum`…), as (narrowed, widened) descriptions.
fn bound_changes(old: &Value, new: &Value) -> (Vec<String>, Vec<String>) {
    const LOWER: [&str; 3] = ["minLength", "minimum", "minItems"];
    const UPPER: [&str; 3] = ["maxLength", "maximum", "maxItems"];
    let mut tighter = Vec::new();
    let mut looser = Vec::new();
    for key in LOWER.iter().chain(UPPER.iter()) {
        let (o, n) = (old[*key].as_f64(), new[*key].as_f64());
        if o == n {
            continue;
        }
        let lower = LOWER.contains(key);
        let narrower = match (o, n) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(o), Some(n)) => {
                if lower {
                    n > o
                } else {
                    n < o
                }
            }
            (None, None) => continue,
        };
        let text = format!("{key} {} → {}", show(&old[*key]), show(&new[*key]));
        if narrower {
            tighter.push(text)
        } else {
            looser.push(text)
        }
    }
    (tighter, looser)
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The semver component a set of changes needs for a crate at `version`.
pub fn needed_bump(changes: &[Change], version: &str) -> Option<&'static str> {
    let pre_1 = version.starts_with("0.");
    let breaking = changes.iter().any(|c| c.class == Class::Breaking);
    match (breaking, changes.is_empty(), pre_1) {
        (true, _, true) => Some("minor"),
        (true, _, false) => Some("major"),
        (false, false, true) => Some("patch"),
        (false, false, false) => Some("minor"),
        (false, true, _) => None,
    }
}

/// The report, one block per operation.
pub fn report(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "  no API changes\n".into();
    }
    let mut out = String::new();
    let mut current = None;
    for c in changes {
        if current != Some(&c.operation) {
            let _ = writeln!(out, "  {}", c.operation);
            current = Some(&c.operation);
        }
        let _ = writeln!(out, "    {:<10}  {}", c.class, c.what);
    }
    out
}

#[cfg(test)]
mod tests {
    //! Fixture pairs: `fixtures/base.yaml` against each `fixtures/<case>.yaml`, one change class each.
    use super::*;
    use std::path::Path;

    fn load(name: &str) -> Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(format!("{name}.yaml"));
        serde_norway::from_str(&std::fs::read_to_string(&path).expect("fixture exists"))
            .expect("fixture parses")
    }

    fn case(name: &str) -> (String, Vec<Change>) {
        case_from("base", name)
    }

    /// The whole report, as `cargo xtask diff` and `generate` make it: the wire contract,
    /// the generated Rust API and the CLI surface.
    fn case_from(base: &str, name: &str) -> (String, Vec<Change>) {
        let parse = |n: &str| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(format!("{n}.yaml"));
            crate::spec::parse(
                &path,
                std::fs::read_to_string(&path).expect("fixture exists"),
            )
            .expect("fixture parses")
        };
        let service = crate::spec::Service::for_file(Path::new("fixtures/fixture.yaml"));
        let changes = crate::change::surface::all_changes(
            &service,
            &parse(base),
            &parse(name),
            &crate::change::surface::Surfaces::default(),
        );
        (report(&changes), changes)
    }

    #[test]
    fn identical_specs_have_no_changes() {
        assert_eq!(compare(&load("base"), &load("base")), vec![]);
    }

    #[test]
    fn each_fixture_is_classed_and_reported() {
        let expected = [
            ("operation_added", Class::Compatible),
            ("operation_removed", Class::Breaking),
            ("required_parameter_added", Class::Breaking),
            ("optional_parameter_added", Class::Compatible),
            ("parameter_made_required", Class::Breaking),
            ("response_field_removed", Class::Breaking),
            ("response_field_added", Class::Compatible),
            ("response_field_renamed", Class::Breaking),
            ("type_changed", Class::Breaking),
            ("constraint_narrowed", Class::Breaking),
            ("constraint_widened", Class::Compatible),
            ("request_field_required", Class::Breaking),
            ("request_closed_to_unlisted_fields", Class::Breaking),
            ("enum_value_added_to_answer", Class::Breaking),
            ("example_changed", Class::Compatible),
            // Checked by compiling caller code against both generated clients (issue 8):
            ("response_field_made_required", Class::Breaking),
            ("response_enum_value_removed", Class::Breaking),
            ("response_field_nullable", Class::Compatible),
            (
                "base_required:response_required_field_nullable",
                Class::Breaking,
            ),
            ("component_renamed", Class::Breaking),
            ("ref_inlined", Class::Breaking),
            ("server_host_changed", Class::Breaking),
            ("cli_flag_renamed", Class::Breaking),
            ("success_status_changed_same_schema", Class::Compatible),
            ("path_renamed_same_operation", Class::Compatible),
            ("base_regions:region_removed", Class::Breaking),
            ("base_regions:server_removed", Class::Breaking),
            ("base_regions:region_added", Class::Compatible),
        ];
        for (case_name, class) in expected {
            let (base, name) = case_name.split_once(':').unwrap_or(("base", case_name));
            let (text, changes) = case_from(base, name);
            assert!(!changes.is_empty(), "{name}: no change found");
            let worst = changes.iter().map(|c| c.class).min().expect("changes");
            assert_eq!(worst, class, "{name}:\n{text}");
            insta::assert_snapshot!(name, text);
        }
    }

    #[test]
    fn bumps_follow_semver_and_its_0x_rule() {
        let breaking = case("response_field_removed").1;
        let compatible = case("response_field_added").1;
        assert_eq!(needed_bump(&breaking, "0.1.0"), Some("minor"));
        assert_eq!(needed_bump(&breaking, "1.4.0"), Some("major"));
        assert_eq!(needed_bump(&compatible, "0.1.0"), Some("patch"));
        assert_eq!(needed_bump(&compatible, "1.4.0"), Some("minor"));
        assert_eq!(needed_bump(&[], "1.4.0"), None);
    }
}
