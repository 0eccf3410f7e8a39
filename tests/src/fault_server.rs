//! A loopback HTTP server scripted per test: status, headers, body shape and size, timing and
//! connection behaviour, for the fault-injection suites (library and CLI).
//!
//! It only listens on 127.0.0.1, answers at most [`MAX_REQUESTS`] requests, and every body it
//! streams stops by itself (a size and a time bound), so no test can leave it running.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// Requests answered before the server stops accepting.
pub const MAX_REQUESTS: usize = 1000;
/// The longest a streamed body runs.
const STREAM_LIMIT: Duration = Duration::from_secs(60);

/// How the body of a reply is sent.
#[derive(Clone, Debug)]
pub enum Body {
    /// These bytes, with a matching `Content-Length`.
    Bytes(Vec<u8>),
    /// Chunks of this text, chunked, until the client goes away (or the size/time bound).
    Endless { chunk: Vec<u8>, max_bytes: u64 },
    /// One byte every `every`, chunked, `count` times.
    Drip { every: Duration, count: usize },
    /// A `Content-Length` of `declared`, then only `sent`, then the connection closes.
    Truncated { declared: usize, sent: Vec<u8> },
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answer after `delay`.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Body,
        delay: Duration,
    },
    /// Close the connection once the request is read, without answering.
    Reset,
    /// Read the request and never answer (until the client gives up).
    Stall,
}

impl Reply {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Bytes(body.to_string().into_bytes()),
            delay: Duration::ZERO,
        }
    }

    /// `status` with a raw body of `content_type`.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
            delay: Duration::ZERO,
        }
    }

    /// `status` with `body` streamed as described.
    pub fn streamed(status: u16, body: Body) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body,
            delay: Duration::ZERO,
        }
    }

    /// This reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// This reply, sent after `wait`.
    pub fn after(mut self, wait: Duration) -> Self {
        if let Self::Respond { delay, .. } = &mut self {
            *delay = wait;
        }
        self
    }
}

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `POST`, `GET`…
    pub method: String,
    /// The request target as sent (path and query).
    pub target: String,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body's length.
    pub body_len: usize,
}

/// The running server.
pub struct FaultServer {
    address: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    /// Serves `script` in order, one reply per request; the last reply repeats.
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = listener.local_addr().expect("address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let task = tokio::spawn(accept(listener, script, seen.clone()));
        Self {
            address,
            seen,
            task,
        }
    }

    /// `http://127.0.0.1:port`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// A loopback port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.local_addr().expect("address").port()
}

async fn accept(listener: TcpListener, script: Arc<Vec<Reply>>, seen: Arc<Mutex<Vec<Seen>>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let (script, seen) = (script.clone(), seen.clone());
        tokio::spawn(async move {
            let _ = serve(stream, &script, &seen).await;
        });
    }
}

async fn serve(
    stream: TcpStream,
    script: &[Reply],
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    let mut stream = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        let index = {
            let mut all = seen.lock().map_err(|_| std::io::ErrorKind::Other)?;
            all.push(request);
            all.len() - 1
        };
        if index >= MAX_REQUESTS || script.is_empty() {
            return Ok(());
        }
        let reply = &script[index.min(script.len() - 1)];
        match reply {
            Reply::Reset => return Ok(()),
            Reply::Stall => {
                tokio::time::sleep(STREAM_LIMIT).await;
                return Ok(());
            }
            Reply::Respond {
                status,
                headers,
                body,
                delay,
            } => {
                tokio::time::sleep(*delay).await;
                write_reply(stream.get_mut(), *status, headers, body).await?;
                if matches!(body, Body::Truncated { .. }) {
                    return Ok(());
                }
            }
        }
    }
}

async fn read_request(stream: &mut BufReader<TcpStream>) -> std::io::Result<Option<Seen>> {
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut raw = String::new();
        if stream.read_line(&mut raw).await? == 0 {
            return Ok(None);
        }
        let raw = raw.trim_end_matches(['\r', '\n']);
        if raw.is_empty() {
            break;
        }
        if let Some((name, value)) = raw.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let body_len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; body_len.min(16 * 1024 * 1024)];
    stream.read_exact(&mut body).await?;
    Ok(Some(Seen {
        method,
        target,
        headers,
        body_len,
    }))
}

async fn write_reply(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &Body,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} Scripted\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match body {
        Body::Bytes(bytes) => {
            head.push_str(&format!("content-length: {}\r\n\r\n", bytes.len()));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(bytes).await
        }
        Body::Truncated { declared, sent } => {
            head.push_str(&format!("content-length: {declared}\r\n\r\n"));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(sent).await?;
            stream.shutdown().await
        }
        Body::Endless { chunk, max_bytes } => {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            let started = Instant::now();
            let mut sent = 0u64;
            let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
            while sent < *max_bytes && started.elapsed() < STREAM_LIMIT {
                stream.write_all(&frame).await?;
                sent += chunk.len() as u64;
            }
            stream.write_all(b"0\r\n\r\n").await
        }
        Body::Drip { every, count } => {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            for _ in 0..*count {
                tokio::time::sleep(*every).await;
                stream.write_all(b"1\r\n \r\n").await?;
            }
            stream.write_all(b"0\r\n\r\n").await
        }
    }
}
