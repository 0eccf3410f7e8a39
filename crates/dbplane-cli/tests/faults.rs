//! The `dbplane` binary under faults and hostile input: broken pipes, closed stderr, absurd
//! flags, ids that would reach another resource, huge and hostile answers, secrets.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use contract_tests::fault_server::{FaultServer, Reply};
use heck::ToKebabCase;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_dbplane");

/// Every secret the tests hand the binary; none may ever be printed.
const SECRETS: [(&str, &str); 6] = [
    (
        "HUAWEICLOUD_SDK_SK",
        "S3CRET-HW-SK-0000000000000000000000000",
    ),
    ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "S3CRET-HW-STS"),
    ("OS_AUTH_TOKEN", "S3CRET-OTC-TOKEN"),
    ("OS_SECRET_KEY", "S3CRET-OTC-SK"),
    ("OCP_ACCESS_KEY_SECRET", "S3CRET-OCP-SECRET"),
    ("OCP_PASSWORD", "S3CRET-OCP-PW"),
];

fn env_all() -> Vec<(&'static str, &'static str)> {
    let mut env = SECRETS.to_vec();
    env.extend([
        ("HUAWEICLOUD_SDK_AK", "AKEXAMPLE0000000000"),
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            "0123456789abcdef0123456789abcdef",
        ),
        ("OS_ACCESS_KEY", "OTCAK"),
        ("OS_PROJECT_ID", "054ea741f700d4a32f1bc00f5c80dd4c"),
        ("OCP_ACCESS_KEY_ID", "ocp-id"),
        ("OCP_USERNAME", "admin"),
    ]);
    env
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_secret(output: &Output) {
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    for (name, secret) in SECRETS {
        assert!(!all.contains(secret), "{name} printed:\n{all}");
    }
    assert!(!all.contains("panicked"), "{all}");
}

const SHUTDOWN: [&str; 5] = [
    "otc",
    "rds",
    "stop-instance",
    "--instance-id",
    "5b409baece064984a1b3eef6addae50cin01",
];

fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}

// 5. No panics.

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    let mut child = Command::new(BIN)
        .args(with(&SHUTDOWN, &["--region", "eu-de", "--dry-run"]))
        .env_clear()
        .envs(env_all())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `| true`: nobody reads
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_closed_stderr_keeps_the_exit_code() {
    let mut child = Command::new(BIN)
        .args(with(&SHUTDOWN, &["--region", "eu-de"]))
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(
        child.wait().unwrap().code(),
        Some(3),
        "missing credentials, not a panic (101)"
    );
}

#[test]
fn absurd_flags_are_usage_errors() {
    for extra in [
        ["--retries", "4294967295"],
        ["--retries", "1000"],
        ["--timeout", "0"],
        ["--deadline", "0"],
        ["--now", "18446744073709551615"],
    ] {
        let output = run(
            &with(
                &with(&SHUTDOWN, &["--region", "eu-de", "--dry-run"]),
                &extra,
            ),
            &env_all(),
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "{extra:?}: {}",
            text(&output.stderr)
        );
        assert_no_secret(&output);
    }
}

/// Runs `command` under a terminal (`script`), with `CI` as given; once the secret prompt
/// shows, types Ctrl-D (end of input), again every 100 ms (a prompt may flush input typed
/// before it reads). Returns the exit code and what the terminal showed.
fn under_terminal(command: &str, ci: &str) -> (Option<i32>, String) {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let mut child = Command::new("timeout")
        .args(["20", "script", "-qec", command, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("OS_ACCESS_KEY", "AK")
        .env("CI", ci)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let prompted = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let prompted = prompted.clone();
        std::thread::spawn(move || {
            let mut shown = Vec::new();
            let mut buffer = [0u8; 256];
            while let Ok(n) = stdout.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                shown.extend_from_slice(&buffer[..n]);
                if String::from_utf8_lossy(&shown).contains("OS_SECRET_KEY: ") {
                    prompted.store(true, Ordering::SeqCst);
                }
            }
            String::from_utf8_lossy(&shown).into_owned()
        })
    };
    let typist = {
        let done = done.clone();
        std::thread::spawn(move || {
            for _ in 0..200 {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                if prompted.load(Ordering::SeqCst)
                    && stdin
                        .write_all(b"\x04")
                        .and_then(|()| stdin.flush())
                        .is_err()
                {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let status = child.wait().unwrap();
    done.store(true, Ordering::SeqCst);
    let _ = typist.join();
    (status.code(), reader.join().unwrap())
}

#[test]
fn a_missing_secret_is_not_waited_for_without_an_answer() {
    // Under a terminal the SK is asked for, and end of input means exit 3; with CI set,
    // nothing is asked at all.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to provide a terminal");
        return;
    }
    let command = format!("{BIN} otc rds stop-instance --instance-id x --region eu-de --dry-run");
    for ci in ["", "true"] {
        let started = Instant::now();
        let (code, shown) = under_terminal(&command, ci);
        assert_eq!(code, Some(3), "CI={ci:?}: {shown}");
        assert!(started.elapsed() < Duration::from_secs(15));
        assert_eq!(
            shown.contains("OS_SECRET_KEY: "),
            ci.is_empty(),
            "CI={ci:?} prompt: {shown}"
        );
        assert!(
            shown.contains("missing environment variable(s): OS_SECRET_KEY"),
            "{shown}"
        );
    }
}

// 2. Every path parameter of every operation keeps the path's shape.

const ESCAPES: [&str; 5] = [
    "..",
    ".",
    "a/b",
    "a\\b",
    "..\\..\\ffffffffffffffffffffffffffffffff\\instances\\victim",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_id_of_any_operation_can_reach_another_resource() {
    let server = FaultServer::start(vec![Reply::json(200, &json!({}))]).await;
    let specs = [
        ("huaweicloud", "dbss", dbplane_huaweicloud::dbss::SPEC_JSON),
        ("huaweicloud", "dws", dbplane_huaweicloud::dws::SPEC_JSON),
        ("oceanbase", "ocp", dbplane_oceanbase::ocp::SPEC_JSON),
        ("otc", "rds", dbplane_otc::rds::SPEC_JSON),
    ];
    let mut checked = 0;
    for (vendor, service, spec) in specs {
        let spec: Value = serde_json::from_str(spec).unwrap();
        for op in dbplane_spec::operations(&spec) {
            let params: Vec<&Value> = op.op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .collect();
            let command = op.op["operationId"].as_str().unwrap().to_kebab_case();
            for target in params
                .iter()
                .filter(|p| p["in"] == "path" && p["schema"]["type"] == "string")
            {
                for hostile in ESCAPES {
                    let mut args = vec![
                        vendor.to_string(),
                        service.to_string(),
                        command.clone(),
                        "--endpoint".into(),
                        server.uri(),
                    ];
                    for p in &params {
                        let name = p["name"].as_str().unwrap();
                        let value = if std::ptr::eq(*p, *target) {
                            hostile.to_string()
                        } else {
                            match valid_value(p) {
                                Some(value) => value,
                                None => continue,
                            }
                        };
                        let flag = match name {
                            "project_id" => "--project-id".to_string(),
                            _ => format!(
                                "--{}",
                                p["x-dbplane-cli-flag"]
                                    .as_str()
                                    .map_or(name.to_kebab_case(), str::to_string)
                            ),
                        };
                        args.extend([flag, value]);
                    }
                    // A body is never sent unless given: give the documented one.
                    if let Some(example) = op
                        .op
                        .pointer("/requestBody/content/application~1json/example")
                    {
                        args.extend(["--body".to_string(), example.to_string()]);
                    }
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let output = run(&args, &env_all());
                    let name = target["name"].as_str().unwrap();
                    assert_eq!(
                        output.status.code(),
                        Some(2),
                        "{args:?}: {}",
                        text(&output.stderr)
                    );
                    assert!(
                        text(&output.stderr).contains(&format!("invalid `{name}`")),
                        "{args:?}: {}",
                        text(&output.stderr)
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 6 * ESCAPES.len(), "only {checked} checks");
    assert!(
        server.requests().is_empty(),
        "sent: {:?}",
        server.requests()
    );
}

// 3, 7. Bounded, readable errors.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_hostile_answer_prints_a_short_escaped_error() {
    let mut message = "\u{1b}[2J\rfake: ok\n".repeat(10);
    message.push_str(&"x".repeat(6 * 1024 * 1024));
    let body = json!({"error_code": "DBS.1", "error_msg": message});
    let server = FaultServer::start(vec![Reply::json(400, &body)]).await;
    let output = run(&with(&SHUTDOWN, &["--endpoint", &server.uri()]), &env_all());
    assert_eq!(output.status.code(), Some(4));
    assert!(
        output.stderr.len() < 8 * 1024,
        "{} bytes on stderr",
        output.stderr.len()
    );
    assert!(
        !output.stderr.iter().any(|b| *b == 0x1b || *b == b'\r'),
        "control characters reached the terminal"
    );
    assert_eq!(
        text(&output.stderr)
            .lines()
            .filter(|l| !l.starts_with("note:"))
            .count(),
        1,
        "{}",
        text(&output.stderr)
    );
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transport_failures_name_their_cause() {
    let stalled = FaultServer::start(vec![Reply::Stall]).await;
    let output = run(
        &with(&SHUTDOWN, &["--endpoint", &stalled.uri(), "--timeout", "1"]),
        &env_all(),
    );
    assert_eq!(output.status.code(), Some(5));
    assert!(
        text(&output.stderr).contains("timed out"),
        "{}",
        text(&output.stderr)
    );
    let refused = format!(
        "http://127.0.0.1:{}",
        contract_tests::fault_server::closed_port()
    );
    let output = run(
        &with(&SHUTDOWN, &["--endpoint", &refused, "--retries", "0"]),
        &env_all(),
    );
    assert_eq!(output.status.code(), Some(5));
    assert!(
        text(&output.stderr).contains("connection refused"),
        "{}",
        text(&output.stderr)
    );
}

// 6, 9. Secrets never printed; logs on request.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_show_attempts_and_request_ids_but_no_secret() {
    let throttled = Reply::json(
        429,
        &json!({"error_code": "APIGW.0308", "error_msg": "slow"}),
    );
    let ok = Reply::json(200, &json!({"job_id": "j1"})).with_header("x-request-id", "req-42");
    for verbosity in ["-vv", "-vvv"] {
        let server = FaultServer::start(vec![throttled.clone(), ok.clone()]).await;
        let output = run(
            &with(&SHUTDOWN, &["--endpoint", &server.uri(), verbosity]),
            &env_all(),
        );
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("retrying"), "{stderr}");
        assert!(stderr.contains("attempt=2"), "{stderr}");
        assert!(stderr.contains("req-42"), "{stderr}");
        assert_no_secret(&output);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_any_output() {
    let server = FaultServer::start(vec![Reply::json(
        401,
        &json!({"error_code": "APIGW.0301", "error_msg": "bad"}),
    )])
    .await;
    let uri = server.uri();
    let mut runs = vec![
        with(&SHUTDOWN, &["--region", "eu-de", "--dry-run", "-vvv"]),
        with(&SHUTDOWN, &["--endpoint", &uri, "-vvv"]),
        with(
            &SHUTDOWN,
            &["--endpoint", "http://admin:S3CRET-OCP-PW@host", "-vvv"],
        ),
        vec![
            "huaweicloud",
            "dws",
            "pause-disaster-recovery",
            "--disaster-recovery-id",
            "e59d6b86",
            "--region",
            "cn-north-4",
            "--dry-run",
            "-vvv",
        ],
        vec![
            "oceanbase",
            "ocp",
            "stop-backup-schedule",
            "--cluster-id",
            "1",
            "--tenant-id",
            "2",
            "--endpoint",
            "http://ocp:8080",
            "--dry-run",
            "-vvv",
        ],
    ];
    runs.push(vec!["--help"]);
    for args in runs {
        let output = run(&args, &env_all());
        assert_no_secret(&output);
    }
    let output = run(
        &with(
            &SHUTDOWN,
            &["--endpoint", "http://admin:S3CRET-OCP-PW@host"],
        ),
        &env_all(),
    );
    assert_eq!(output.status.code(), Some(2));
}

// Credentials: Huawei IAM tokens, the choice said aloud, names in errors.

#[test]
fn huawei_iam_token_from_the_environment_and_the_choice_is_announced() {
    let args = [
        "huaweicloud",
        "dws",
        "pause-disaster-recovery",
        "--disaster-recovery-id",
        "e59d6b86-9072-46eb-a996-13f8b44994c1",
        "--region",
        "cn-north-4",
        "--dry-run",
    ];
    let token_only = [
        ("HUAWEICLOUD_SDK_AUTH_TOKEN", "MIItoken"),
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            "89cd04f168b84af6be287f71730fdb4b",
        ),
    ];
    let output = run(&args, &token_only);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("x-auth-token: ***"),
        "{}",
        text(&output.stdout)
    );
    assert!(!text(&output.stderr).contains("note:"));
    let mut both = token_only.to_vec();
    both.extend([("HUAWEICLOUD_SDK_AK", "AK"), ("HUAWEICLOUD_SDK_SK", "SK")]);
    let output = run(&args, &both);
    assert_eq!(
        text(&output.stderr).trim(),
        "note: using IAM token (HUAWEICLOUD_SDK_AUTH_TOKEN); also set and ignored: AK/SK (HUAWEICLOUD_SDK_AK)"
    );
}

#[test]
fn credential_errors_name_every_way_to_authenticate() {
    let output = run(&with(&SHUTDOWN, &["--region", "eu-de"]), &[]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        text(&output.stderr).contains("OS_AUTH_TOKEN, or OS_ACCESS_KEY and OS_SECRET_KEY"),
        "{}",
        text(&output.stderr)
    );
    use std::os::unix::ffi::OsStrExt;
    let output = Command::new(BIN)
        .args(with(&SHUTDOWN, &["--region", "eu-de"]))
        .env_clear()
        .env("OS_AUTH_TOKEN", std::ffi::OsStr::from_bytes(b"tok\xff"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(
        text(&output.stderr).contains("OS_AUTH_TOKEN is set but is not valid UTF-8"),
        "{}",
        text(&output.stderr)
    );
}

/// A value the parameter accepts: its example, or for a required one without an example
/// (an operation whose page has no sample) one its schema allows; `None` for an optional one.
fn valid_value(param: &Value) -> Option<String> {
    match &param["example"] {
        Value::String(s) => return Some(s.clone()),
        Value::Null => {}
        other => return Some(other.to_string()),
    }
    if param["required"] != Value::Bool(true) {
        return None;
    }
    let schema = &param["schema"];
    Some(match (&schema["enum"], schema["type"].as_str()) {
        (Value::Array(values), _) if !values.is_empty() => values[0]
            .as_str()
            .map_or(values[0].to_string(), str::to_string),
        (_, Some("integer" | "number")) => "1".into(),
        (_, Some("boolean")) => "true".into(),
        _ => "x".into(),
    })
}
