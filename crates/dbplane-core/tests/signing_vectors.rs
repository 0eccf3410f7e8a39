//! The signers against independent oracles, on the real request path.
//!
//! `vectors/sdk_hmac_sha256.json` was signed by the official Huawei Cloud Python SDK and
//! `vectors/ocp_hmacsha1.json` by an independent implementation of OCP's documented
//! algorithm (`vectors/generate.py` regenerates both). Each vector is built as a
//! `reqwest::Request`, authenticated by the [`Runtime`] and sent by reqwest through a
//! loopback proxy that records the request line and headers as they arrive: the test checks
//! the URL on the wire and the `Authorization` header byte for byte.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use dbplane_core::{Clock, Credentials, RetryPolicy, Runtime};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

#[derive(Deserialize)]
struct Vector {
    id: String,
    method: String,
    host: String,
    path: String,
    wire_path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
    body_repeat: usize,
    date: String,
    authorization: String,
    // SDK-HMAC-SHA256
    ak: Option<String>,
    sk: Option<String>,
    project_id: Option<String>,
    security_token: Option<String>,
    // OCP
    access_key_id: Option<String>,
    secret: Option<String>,
}

/// What the proxy saw of one request.
#[derive(Debug)]
struct Seen {
    target: String,
    headers: BTreeMap<String, Vec<u8>>,
    body_len: usize,
}

/// A loopback HTTP proxy: reqwest sends it `METHOD http://host/path?query HTTP/1.1`, the
/// request target exactly as it goes on the wire.
async fn start_proxy() -> (String, mpsc::UnboundedReceiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut stream = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let target = line.split(' ').nth(1).unwrap_or_default().to_string();
                    let mut headers = BTreeMap::new();
                    loop {
                        let mut raw = Vec::new();
                        if stream.read_until(b'\n', &mut raw).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let raw = raw.strip_suffix(b"\r\n").unwrap_or(&raw).to_vec();
                        if raw.is_empty() {
                            break;
                        }
                        if let Some(colon) = raw.iter().position(|b| *b == b':') {
                            let name = String::from_utf8_lossy(&raw[..colon]).to_lowercase();
                            headers.insert(name, raw[colon + 1..].trim_ascii().to_vec());
                        }
                    }
                    let body_len: usize = headers
                        .get("content-length")
                        .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
                        .unwrap_or(0);
                    let mut body = vec![0; body_len];
                    if stream.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let _ = tx.send(Seen {
                        target,
                        headers,
                        body_len,
                    });
                    let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
                    if stream.get_mut().write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{address}"), rx)
}

fn load(name: &str) -> Vec<Vector> {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `20240910T020758Z` or `Tue, 10 Sep 2024 02:07:58 GMT` as a time.
fn instant(date: &str) -> SystemTime {
    if let Ok(t) = httpdate::parse_http_date(date) {
        return t;
    }
    let n = |range: std::ops::Range<usize>| date[range].parse::<u8>().unwrap();
    let year: i32 = date[0..4].parse().unwrap();
    let month = time::Month::try_from(n(4..6)).unwrap();
    let day = time::Date::from_calendar_date(year, month, n(6..8)).unwrap();
    let at = time::Time::from_hms(n(9..11), n(11..13), n(13..15)).unwrap();
    time::PrimitiveDateTime::new(day, at).assume_utc().into()
}

fn request_of(vector: &Vector) -> reqwest::Request {
    let query = if vector.query.is_empty() {
        String::new()
    } else {
        format!("?{}", vector.query)
    };
    let url = url::Url::parse(&format!("http://{}{}{query}", vector.host, vector.path))
        .unwrap_or_else(|e| panic!("{}: {e}", vector.id));
    let method = reqwest::Method::from_bytes(vector.method.as_bytes()).unwrap();
    let mut request = reqwest::Request::new(method, url);
    for (name, value) in &vector.headers {
        request.headers_mut().insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            reqwest::header::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
        );
    }
    let body = vector.body.repeat(vector.body_repeat);
    if !body.is_empty() {
        *request.body_mut() = Some(body.into_bytes().into());
    }
    request
}

/// Sends every vector through `runtime_for` and returns the disagreements.
async fn check_all(vectors: &[Vector], runtime_for: impl Fn(&Vector) -> Runtime) -> Vec<String> {
    let (proxy, mut seen) = start_proxy().await;
    let http = Runtime::new(Credentials::Anonymous)
        .unwrap()
        .http_client_builder("signing-vectors")
        .proxy(reqwest::Proxy::http(&proxy).unwrap())
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for vector in vectors {
        let runtime = runtime_for(vector);
        let request = request_of(vector);
        let operation = dbplane_core::Operation::unknown("vector");
        let sent = runtime
            .execute(&http, request, &operation, dbplane_core::Dialect::Huawei)
            .await;
        if let Err(e) = sent {
            failures.push(format!("{}: not sent: {e}", vector.id));
            continue;
        }
        let seen = seen.recv().await.unwrap();
        let query = if vector.query.is_empty() {
            String::new()
        } else {
            format!("?{}", vector.query)
        };
        let wire = format!("http://{}{}{query}", vector.host, vector.wire_path);
        if seen.target != wire {
            failures.push(format!(
                "{}: on the wire {} (expected {wire})",
                vector.id, seen.target
            ));
        }
        let host = seen.headers.get("host").map(|h| String::from_utf8_lossy(h));
        if host.as_deref() != Some(vector.host.as_str()) {
            failures.push(format!("{}: Host {host:?}", vector.id));
        }
        let expected_len = vector.body.len() * vector.body_repeat;
        if seen.body_len != expected_len {
            failures.push(format!("{}: body of {} bytes", vector.id, seen.body_len));
        }
        let authorization = seen
            .headers
            .get("authorization")
            .map(|a| String::from_utf8_lossy(a).into_owned());
        if authorization.as_deref() != Some(vector.authorization.as_str()) {
            failures.push(format!(
                "{}: Authorization {authorization:?}\n   expected {}",
                vector.id, vector.authorization
            ));
        }
    }
    failures
}

fn report(kind: &str, total: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{kind}: {} of {total} vectors disagree with the oracle:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdk_hmac_sha256_equals_the_official_python_sdk() {
    let vectors = load("sdk_hmac_sha256.json");
    assert!(vectors.len() >= 2000, "only {} vectors", vectors.len());
    let failures = check_all(&vectors, |v| {
        let mut credentials = Credentials::aksk(v.ak.clone().unwrap(), v.sk.clone().unwrap());
        if let Some(project) = &v.project_id {
            credentials = credentials.with_project_id(project.clone());
        }
        if let Some(token) = &v.security_token {
            credentials = credentials.with_security_token(token.clone());
        }
        Runtime::builder(credentials)
            .clock(Clock::fixed(instant(&v.date)))
            .retry(RetryPolicy::disabled())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    })
    .await;
    report("SDK-HMAC-SHA256", vectors.len(), &failures);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ocp_hmacsha1_equals_the_documented_algorithm() {
    let vectors = load("ocp_hmacsha1.json");
    assert!(vectors.len() >= 500, "only {} vectors", vectors.len());
    let failures = check_all(&vectors, |v| {
        let credentials = Credentials::ocp_access_key(
            v.access_key_id.clone().unwrap(),
            v.secret.clone().unwrap(),
        );
        Runtime::builder(credentials)
            .clock(Clock::fixed(instant(&v.date)))
            .retry(RetryPolicy::disabled())
            .build()
            .unwrap()
    })
    .await;
    report("OCP-ACCESS-KEY-HMACSHA1", vectors.len(), &failures);
}
