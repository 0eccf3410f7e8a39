//! Every walk and wait of the binary ends, and every input it reads is bounded, whatever a
//! server or a user sends: hostile list servers (the same page forever, lying totals, short
//! pages, offsets at the end of the integers), a poll that hangs, a 100,000-character state,
//! `--body @/dev/zero`, and a mock whose stdout was closed.
//!
//! Time bounds here are upper bounds far above what a loaded machine needs and far below
//! what the unbounded behaviour takes (it never ends, or takes the 60 s attempt timeout).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use contract_tests::fault_server::{FaultServer, Reply};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_dbplane");
const PROJECT: &str = "054ea741f700d4a32f1bc00f5c80dd4c";
const OTC: [(&str, &str); 2] = [("OS_AUTH_TOKEN", "test-token"), ("OS_PROJECT_ID", PROJECT)];

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_clear()
        .envs(OTC)
        .stdin(Stdio::null());
    command
}

/// Runs the binary off the test's runtime (the fault server answers on it).
async fn run(args: Vec<String>) -> (Output, Duration) {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let started = Instant::now();
        let output = command(&args).output().expect("the binary runs");
        (output, started.elapsed())
    })
    .await
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An RDS instance as the reference documents it, with its own id.
fn instance(n: u64) -> Value {
    json!({
        "created": "2018-08-20T02:33:49+0800",
        "datastore": {"type": "MySQL", "version": "5.7"},
        "flavor_ref": "rds.mysql.n1.large",
        "id": format!("instance-{n:06}"),
        "name": format!("mysql-{n}"),
        "port": 3306,
        "private_ips": ["192.168.0.142"],
        "public_ips": [],
        "region": "eu-de",
        "status": "ACTIVE",
        "subnet_id": "45557a98-9e17-4600-8aec-999150bc4eef",
        "type": "Single",
        "updated": "2018-08-20T02:33:50+0800",
        "vpc_id": "b21630c1-e7d3-450d-907d-39ef5f445ae7"
    })
}

/// A `list_instances` page of the instances `from..to`, claiming `total`.
fn page(from: u64, to: u64, total: Value) -> Reply {
    let instances: Vec<Value> = (from..to).map(instance).collect();
    let mut body = json!({ "instances": instances });
    if !total.is_null() {
        body["total_count"] = total;
    }
    Reply::json(200, &body)
}

fn list_all(server: &FaultServer, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "otc",
        "rds",
        "list-instances",
        "--endpoint",
        &server.uri(),
        "--all",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

fn items(output: &Output) -> Vec<Value> {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is a JSON array ({e}): {}", text(&output.stdout)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_sending_the_same_full_page_forever_is_stopped_at_its_second_page() {
    for total in [Value::Null, json!(-1), json!(i64::MAX), json!(1_000_000)] {
        let server = FaultServer::start(vec![page(0, 100, total.clone())]).await;
        let args = list_all(&server, &["--limit", "100", "--deadline", "30"]);
        let (output, took) = run(args).await;
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(5), "total {total}: {stderr}");
        assert!(
            stderr.contains("repeats the previous page's items"),
            "{stderr}"
        );
        assert_eq!(server.requests().len(), 2, "total {total}");
        assert_eq!(items(&output).len(), 100, "the first page, once");
        assert!(took < Duration::from_secs(25), "{took:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_ending_short_of_the_total_are_an_error_not_a_silent_success() {
    // 3 items where the total says 500.
    let server = FaultServer::start(vec![page(0, 3, json!(500))]).await;
    let (output, _) = run(list_all(&server, &["--limit", "100"])).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("ended after 3 item(s) but the answer's total says 500"),
        "{stderr}"
    );
    assert_eq!(items(&output).len(), 3, "what arrived is printed");
    // An empty page while the total says more.
    let server = FaultServer::start(vec![page(0, 10, json!(500)), page(0, 0, json!(500))]).await;
    let (output, _) = run(list_all(&server, &["--limit", "10"])).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("total says 500"), "{stderr}");
    assert_eq!(items(&output).len(), 10);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offset_at_the_end_of_the_integers_ends_the_walk() {
    // RDS's `offset` is an i32: a start beyond it is refused before anything is sent…
    let server = FaultServer::start(vec![page(0, 100, Value::Null)]).await;
    let args = list_all(&server, &["--limit", "100", "--offset", "4294967295"]);
    let (output, _) = run(args).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid `offset`"), "{stderr}");
    assert!(server.requests().is_empty());
    // …and a walk that would pass it ends there.
    let args = list_all(&server, &["--limit", "100", "--offset", "2147483600"]);
    let (output, _) = run(args).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("would start at 2147483700, beyond what the request's parameter can hold"),
        "{stderr}"
    );
    assert_eq!(server.requests().len(), 1);
    assert!(server.requests()[0].target.contains("offset=2147483600"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_item_caps_stop_a_list_that_goes_on() {
    let pages: Vec<Reply> = (0..10)
        .map(|p| page(p * 10, p * 10 + 10, Value::Null))
        .collect();
    let server = FaultServer::start(pages.clone()).await;
    let (output, _) = run(list_all(&server, &["--limit", "10", "--max-pages", "3"])).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("the cap of 3 page(s) was reached"),
        "{stderr}"
    );
    assert_eq!(server.requests().len(), 3);
    assert_eq!(items(&output).len(), 30);

    let server = FaultServer::start(pages).await;
    let (output, _) = run(list_all(&server, &["--limit", "10", "--max-items", "25"])).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("the cap of 25 item(s) was reached"),
        "{stderr}"
    );
    let ids: Vec<String> = items(&output)
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 25);
    assert_eq!(ids[24], "instance-000024");

    // The caps are options of --all only.
    let server = FaultServer::start(vec![page(0, 1, json!(1))]).await;
    let mut args = list_all(&server, &["--max-pages", "3"]);
    args.retain(|a| a != "--all");
    let (output, _) = run(args).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_covers_the_whole_walk() {
    // Every page takes 1.5 s; the whole walk has 4 s (each page alone would fit).
    let pages: Vec<Reply> = (0..20)
        .map(|p| page(p * 10, p * 10 + 10, Value::Null).after(Duration::from_millis(1500)))
        .collect();
    let server = FaultServer::start(pages).await;
    let args = list_all(
        &server,
        &["--limit", "10", "--deadline", "4", "--timeout", "30"],
    );
    let (output, took) = run(args).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("deadline passed"), "{stderr}");
    assert!(server.requests().len() <= 3, "{}", server.requests().len());
    assert!(took < Duration::from_secs(20), "{took:?}");
}

/// Reads `child`'s stdout until a line holds `wanted`, or `limit` passes.
fn read_until(child: &mut Child, wanted: &str, limit: Duration) -> Option<String> {
    let stdout = child.stdout.take()?;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if send.send(line).is_err() {
                return;
            }
        }
    });
    let started = Instant::now();
    let mut seen = String::new();
    while started.elapsed() < limit {
        match receive.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(wanted) {
                    return Some(seen);
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => return None,
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_prints_items_as_the_pages_arrive() {
    // The first page at once; the second never comes.
    let server = FaultServer::start(vec![page(0, 10, json!(20)), Reply::Stall]).await;
    let args = list_all(
        &server,
        &["--limit", "10", "--deadline", "60", "--timeout", "60"],
    );
    let shown = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let shown = read_until(&mut child, "instance-000009", Duration::from_secs(30));
        let still_running = child.try_wait().unwrap().is_none();
        let _ = child.kill();
        let _ = child.wait();
        (shown, still_running)
    })
    .await
    .unwrap();
    let (shown, still_running) = shown;
    assert!(
        shown.is_some(),
        "the first page's items were not printed while the second was awaited"
    );
    assert!(still_running, "the walk was still waiting for page 2");
}

/// The answer of `stop_instance`, then `poll` for every poll of `instance_stopped`.
async fn shutdown_then(poll: Reply) -> FaultServer {
    let job = Reply::json(200, &json!({"job_id": "2b414788a6004883a02390e2eb0ea227"}));
    FaultServer::start(vec![job, poll]).await
}

fn shutdown_wait(server: &FaultServer, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "otc",
        "rds",
        "stop-instance",
        "--instance-id",
        "5b409baece064984a1b3eef6addae50cin01",
        "--endpoint",
        &server.uri(),
        "--wait",
        "--poll-ms",
        "20",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_that_hangs_is_cut_off_at_the_wait_timeout() {
    let server = shutdown_then(Reply::Stall).await;
    let args = shutdown_wait(
        &server,
        &[
            "--wait-timeout",
            "3",
            "--timeout",
            "60",
            "--deadline",
            "120",
        ],
    );
    let (output, took) = run(args).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("timed out after 3 s"), "{stderr}");
    // The attempt timeout is 60 s: only the wait's hard limit ends this in time.
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_state_gives_bounded_progress_lines() {
    let state = "S".repeat(100_000);
    let poll = Reply::json(
        200,
        &json!({"instances": [{"id": "x", "status": state}], "total_count": 1}),
    );
    let server = shutdown_then(poll).await;
    let (output, _) = run(shutdown_wait(&server, &["--wait-timeout", "1"])).await;
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(6),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert!(stderr.lines().count() >= 2, "{stderr}");
    for line in stderr.lines() {
        assert!(
            line.chars().count() <= 400,
            "a line of {} characters",
            line.len()
        );
    }
}

/// An operation with a body, refused before anything is sent.
fn with_body(body: &str) -> Vec<String> {
    [
        "otc",
        "rds",
        "create-instance",
        "--region",
        "eu-de",
        "--dry-run",
        "--body",
        body,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_body_source_has_one_bound_named_in_its_error() {
    let (output, took) = run(with_body("@/dev/zero")).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .contains("the body from file /dev/zero is larger than 1024 KiB, the limit for --body"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(output.stdout.is_empty(), "nothing sent or printed");

    let stdin = tokio::task::spawn_blocking(|| {
        let mut child = command(&[
            "otc",
            "rds",
            "create-instance",
            "--region",
            "eu-de",
            "--dry-run",
            "--body",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        let mut input = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..64 {
                if input.write_all(&chunk).is_err() {
                    return;
                }
            }
        });
        let output = child.wait_with_output().unwrap();
        let _ = writer.join();
        output
    })
    .await
    .unwrap();
    let stderr = text(&stdin.stderr);
    assert_eq!(stdin.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the body from standard input is larger than 1024 KiB"),
        "{stderr}"
    );

    let (output, _) = run(with_body("@/nonexistent/body.json")).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot read the body from file /nonexistent/body.json"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_answers_after_its_stdout_is_closed() {
    let answers = tokio::task::spawn_blocking(|| {
        let mut child = Command::new(BIN)
            .args(["mock", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let address = first
            .trim()
            .rsplit("http://")
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        // `| head -1`: the reader goes away after the first line.
        drop(stdout);
        let mut answers = Vec::new();
        for _ in 0..5 {
            answers.push(http_get(
                &address,
                &format!("/v3/{PROJECT}/instances?limit=10"),
            ));
        }
        let alive = child.try_wait().unwrap().is_none();
        let _ = child.kill();
        let mut stderr = String::new();
        let _ = child.wait();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        (answers, alive, stderr)
    })
    .await
    .unwrap();
    let (answers, alive, stderr) = answers;
    assert!(alive, "the mock still runs");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for answer in answers {
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
}

/// One GET with the token the mock expects; the status line and head of the answer.
fn http_get(address: &str, target: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nhost: {address}\r\nx-auth-token: test-token\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}
