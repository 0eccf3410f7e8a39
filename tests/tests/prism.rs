//! The mock against an independent one: Prism (`@stoplight/prism-cli`) serves the same specs,
//! and a corpus of requests made from each operation of each spec (the documented sample and
//! its mutations) goes to both. Whatever Prism refuses, ours refuses in the same class
//! (credentials, method, path, invalid request); whatever Prism accepts, ours accepts, except
//! where ours is stricter by design (listed).
//!
//! CI installs Prism and sets `PRISM_BIN` (`.ci/run`); elsewhere the test is skipped unless
//! `PRISM_BIN` is set.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use contract_tests::workspace_root;
use serde_json::Value;

/// What a status says of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Credentials,
    Method,
    Path,
    Invalid,
    Other(u16),
}

fn verdict(status: u16) -> Verdict {
    match status {
        200..=299 => Verdict::Accepted,
        401 => Verdict::Credentials,
        405 => Verdict::Method,
        404 => Verdict::Path,
        400 | 413 | 415 | 422 => Verdict::Invalid,
        other => Verdict::Other(other),
    }
}

struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_prism(bin: &str, spec: &std::path::Path) -> (Prism, String) {
    let port = free_port();
    let child = Command::new(bin)
        .args([
            "mock",
            &spec.display().to_string(),
            "-p",
            &port.to_string(),
            "-h",
            "127.0.0.1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Prism starts");
    let prism = Prism(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "Prism did not listen on {port}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    (prism, format!("http://127.0.0.1:{port}"))
}

/// One request of the corpus.
#[derive(Debug, Clone)]
struct Probe {
    what: String,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
    /// Ours refuses where Prism accepts, by design.
    stricter: bool,
}

/// The documented sample of each operation, and mutations of it.
fn corpus(spec: &Value) -> Vec<Probe> {
    let mut probes = Vec::new();
    for op in dbplane_spec::operations(spec) {
        let id = op.id().unwrap_or("?");
        let params = op.parameters(spec);
        let example = |name: &str| {
            params
                .iter()
                .find(|p| p["name"] == name)
                .map(|p| match &p["example"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_default()
        };
        let path_with = |name: &str, value: &str| {
            let mut path = op.path.to_string();
            for p in params.iter().filter(|p| p["in"] == "path") {
                let pname = p["name"].as_str().unwrap_or_default();
                let v = if pname == name {
                    value.to_string()
                } else {
                    example(pname)
                };
                path = path.replace(&format!("{{{pname}}}"), &v);
            }
            path
        };
        let path = path_with("", "");
        let query: Vec<String> = params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == Value::Bool(true))
            .map(|p| {
                format!(
                    "{}={}",
                    p["name"].as_str().unwrap_or_default(),
                    example(p["name"].as_str().unwrap_or_default())
                )
            })
            .collect();
        let full = |path: &str| {
            if query.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", query.join("&"))
            }
        };
        let credentials = contract_tests::credential_header(spec);
        let body = op
            .op
            .pointer("/requestBody/content/application~1json/example")
            .map(Value::to_string);
        let json = ("content-type".to_string(), "application/json".to_string());
        let mut headers = vec![credentials.clone()];
        if body.is_some() {
            headers.push(json.clone());
        }
        let method = op.method.to_ascii_uppercase();
        let probe = |what: &str,
                     method: &str,
                     path: String,
                     headers: Vec<(String, String)>,
                     body: Option<String>| Probe {
            what: format!("{id}: {what}"),
            method: method.to_string(),
            path,
            headers,
            body,
            stricter: false,
        };
        probes.push(probe(
            "documented sample",
            &method,
            full(&path),
            headers.clone(),
            body.clone(),
        ));
        probes.push(probe(
            "no credentials",
            &method,
            full(&path),
            headers[1..].to_vec(),
            body.clone(),
        ));
        let other = if method == "PATCH" { "PUT" } else { "PATCH" };
        probes.push(probe(
            "undocumented method",
            other,
            full(&path),
            headers.clone(),
            body.clone(),
        ));
        probes.push(probe(
            "extra path segment",
            &method,
            full(&format!("{path}/extra")),
            headers.clone(),
            body.clone(),
        ));
        for p in params.iter().filter(|p| p["in"] == "path") {
            let name = p["name"].as_str().unwrap_or_default();
            let bad = match p["schema"]["type"].as_str() {
                Some("integer") => "not-a-number".to_string(),
                _ => "x".repeat(p["schema"]["maxLength"].as_u64().unwrap_or(64) as usize + 1),
            };
            probes.push(probe(
                &format!("path parameter `{name}` out of its constraints"),
                &method,
                full(&path_with(name, &bad)),
                headers.clone(),
                body.clone(),
            ));
        }
        for p in params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == Value::Bool(true))
        {
            let name = p["name"].as_str().unwrap_or_default();
            let without: Vec<&String> = query
                .iter()
                .filter(|q| !q.starts_with(&format!("{name}=")))
                .collect();
            let path = if without.is_empty() {
                path.clone()
            } else {
                format!(
                    "{path}?{}",
                    without
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join("&")
                )
            };
            probes.push(probe(
                &format!("required query `{name}` missing"),
                &method,
                path,
                headers.clone(),
                body.clone(),
            ));
        }
        match &body {
            Some(body) => {
                probes.push(probe(
                    "body without Content-Type",
                    &method,
                    full(&path),
                    vec![credentials.clone()],
                    Some(body.clone()),
                ));
                probes.push(probe(
                    "body as text/plain",
                    &method,
                    full(&path),
                    vec![
                        credentials.clone(),
                        ("content-type".into(), "text/plain".into()),
                    ],
                    Some(body.clone()),
                ));
                probes.push(probe(
                    "body that is not JSON",
                    &method,
                    full(&path),
                    headers.clone(),
                    Some("{".into()),
                ));
            }
            None => probes.push(probe(
                "a body where none is documented",
                &method,
                full(&path),
                vec![credentials.clone(), json.clone()],
                Some("{}".into()),
            )),
        }
        // Ours checks the scheme's prefix (`SDK-HMAC-SHA256 `); Prism only that the header is there.
        if credentials.0 == "authorization" {
            let mut wrong = probe(
                "Authorization with another scheme",
                &method,
                full(&path),
                headers[1..].to_vec(),
                body.clone(),
            );
            wrong
                .headers
                .push(("authorization".into(), "Bearer nope".into()));
            wrong.stricter = spec
                .pointer("/components/securitySchemes")
                .is_some_and(|s| s.to_string().contains("x-dbplane-authorization-prefix"));
            probes.push(wrong);
        }
    }
    probes
}

async fn send(base: &str, probe: &Probe) -> u16 {
    let mut request = reqwest::Client::new().request(
        probe.method.parse().unwrap(),
        format!("{base}{}", probe.path),
    );
    for (name, value) in &probe.headers {
        request = request.header(name, value);
    }
    if let Some(body) = &probe.body {
        request = request.body(body.clone());
    }
    request
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_refuses_whatever_prism_refuses() {
    let Some(bin) = std::env::var("PRISM_BIN").ok().filter(|b| !b.is_empty()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set PRISM_BIN (see .ci/run)"
        );
        eprintln!("skipped: PRISM_BIN is not set (npm install @stoplight/prism-cli@5.14.2)");
        return;
    };
    let root = workspace_root();
    let mut compared = 0;
    let mut separate = 0;
    let mut disagreements = Vec::new();
    let mut variants = Vec::new();
    for spec_file in [
        "huaweicloud/dbss.yaml",
        "huaweicloud/dws.yaml",
        "oceanbase/ocp.yaml",
        "otc/rds.yaml",
    ] {
        let path = root.join("specs").join(spec_file);
        let full: Value = serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        variants.extend(
            prism_variants(full)
                .into_iter()
                .map(|(label, spec)| (format!("{spec_file}{label}"), spec)),
        );
    }
    for (label, spec) in variants {
        let copy = std::env::temp_dir().join(format!(
            "dbplane-prism-{}-{}.json",
            std::process::id(),
            label.replace(['/', '#'], "-")
        ));
        std::fs::write(&copy, serde_json::to_vec(&spec).unwrap()).unwrap();
        let (_prism, prism) = start_prism(&bin, &copy).await;
        let ours = dbplane_mock::SpecMock::new()
            .with_spec(spec.clone())
            .unwrap()
            .start()
            .await
            .unwrap();
        for probe in corpus(&spec) {
            let (theirs, mine) = (
                verdict(send(&prism, &probe).await),
                verdict(send(&ours.uri(), &probe).await),
            );
            compared += 1;
            let agrees = theirs == mine
                || (probe.stricter && theirs == Verdict::Accepted && mine != Verdict::Accepted);
            if !agrees {
                disagreements.push(format!(
                    "{label} {}: Prism {theirs:?}, ours {mine:?}",
                    probe.what
                ));
            }
        }
        let _ = std::fs::remove_file(&copy);
        separate += usize::from(label.contains('#'));
    }
    eprintln!(
        "{compared} probes compared with Prism; {separate} operations sharing a method and path served one by one"
    );
    assert!(compared >= 25, "only {compared} probes");
    assert!(
        disagreements.is_empty(),
        "{} of {compared} probes disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// What Prism serves of a spec: the spec without the operations that share a method and path
/// (keyed `path#name`), which OpenAPI, and so Prism, has no notion of (Prism would take the
/// fragment as part of the path); then each of those alone, at its plain path. The labels are
/// `""` and `#name`.
fn prism_variants(mut spec: Value) -> Vec<(String, Value)> {
    let paths = spec["paths"].as_object_mut().expect("the spec has paths");
    let shared: Vec<String> = paths.keys().filter(|k| k.contains('#')).cloned().collect();
    let items: Vec<(String, Value)> = shared
        .iter()
        .map(|k| (k.clone(), paths.remove(k).unwrap_or_default()))
        .collect();
    let mut variants = vec![(String::new(), spec.clone())];
    for (key, item) in items {
        let (template, name) = key.split_once('#').unwrap_or((&key, ""));
        let mut alone = spec.clone();
        alone["paths"] = serde_json::json!({ template: item });
        variants.push((format!("#{name}"), alone));
    }
    variants
}
