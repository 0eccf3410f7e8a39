//! `--wait` and `--all` through the binary, against the mock's scenarios.

use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dbplane");
const OTC: [(&str, &str); 2] = [
    ("OS_AUTH_TOKEN", "test-token"),
    ("OS_PROJECT_ID", "054ea741f700d4a32f1bc00f5c80dd4c"),
];

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn mock() -> dbplane_mock::MockServer {
    let mut mock = dbplane_mock::SpecMock::new();
    for spec in [
        dbplane_otc::rds::SPEC_JSON,
        dbplane_huaweicloud::dws::SPEC_JSON,
        dbplane_oceanbase::ocp::SPEC_JSON,
    ] {
        mock = mock.with_spec_json(spec).unwrap();
    }
    mock.start().await.unwrap()
}

fn shutdown(endpoint: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "otc",
        "rds",
        "stop-instance",
        "--instance-id",
        "5b409baece064984a1b3eef6addae50cin01",
        "--endpoint",
        endpoint,
        "--wait",
        "--poll-ms",
        "10",
    ];
    args.extend(extra);
    run(&args, &OTC)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_ends_on_the_success_state_and_shows_progress() {
    let server = mock().await;
    let output = shutdown(&format!("{}/_scenario/stop", server.uri()), &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("state ACTIVE after 1 poll(s)"), "{stderr}");
    assert!(
        stderr.contains("state SHUTTING DOWN after 2 poll(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("done: SHUTDOWN after 4 poll(s)"),
        "{stderr}"
    );
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["instances"][0]["status"], "SHUTDOWN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_state_and_a_timeout_exit_non_zero_saying_what_happened() {
    let server = mock().await;
    let output = shutdown(&format!("{}/_scenario/stop-fails", server.uri()), &[]);
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr)
            .contains("error: `instance_stopped` failed: state FAILED after 2 poll(s)"),
        "{}",
        text(&output.stderr)
    );

    let output = shutdown(
        &format!("{}/_scenario/stop-hangs", server.uri()),
        &["--wait-timeout", "3"],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains("error: `instance_stopped` timed out after 3 s and"),
        "{stderr}"
    );
    assert!(stderr.contains("poll(s); last state: ACTIVE"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_waiters_from_the_command_line() {
    let server = mock().await;
    let uri = server.uri();
    let dws = [
        ("HUAWEICLOUD_SDK_AUTH_TOKEN", "t"),
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            "89cd04f168b84af6be287f71730fdb4b",
        ),
    ];
    let output = run(
        &[
            "huaweicloud",
            "dws",
            "pause-disaster-recovery",
            "--disaster-recovery-id",
            "e59d6b86-9072-46eb-a996-13f8b44994c1",
            "--endpoint",
            &format!("{uri}/_scenario/pause"),
            "--wait",
            "--poll-ms",
            "10",
        ],
        &dws,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("done: stopped"),
        "{}",
        text(&output.stderr)
    );
    let output = run(
        &[
            "huaweicloud",
            "dws",
            "pause-disaster-recovery",
            "--disaster-recovery-id",
            "e59d6b86-9072-46eb-a996-13f8b44994c1",
            "--endpoint",
            &format!("{uri}/_scenario/pause-fails"),
            "--wait",
            "--poll-ms",
            "10",
        ],
        &dws,
    );
    assert_eq!(output.status.code(), Some(4));
    assert!(
        text(&output.stderr).contains("state stop_failed"),
        "{}",
        text(&output.stderr)
    );

    let ocp = [("OCP_USERNAME", "admin"), ("OCP_PASSWORD", "pw")];
    let output = run(
        &[
            "oceanbase",
            "ocp",
            "get-task-instance",
            "--task-id",
            "100",
            "--endpoint",
            &format!("{uri}/_scenario/task"),
            "--wait",
            "--poll-ms",
            "10",
        ],
        &ocp,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    // `--wait` on the polled operation itself goes straight to the waiter.
    assert!(
        text(&output.stderr).contains("done: SUCCESSFUL after 3 poll(s)"),
        "{}",
        text(&output.stderr)
    );
    let output = run(
        &[
            "oceanbase",
            "ocp",
            "get-task-instance",
            "--task-id",
            "100",
            "--endpoint",
            &format!("{uri}/_scenario/task-fails"),
            "--wait",
            "--poll-ms",
            "10",
        ],
        &ocp,
    );
    assert_eq!(output.status.code(), Some(4));

    let otc: Vec<(&str, &str)> = OTC.to_vec();
    let output = run(
        &[
            "otc",
            "rds",
            "list-job-info",
            "--id",
            "a9767ede-fe0f-4888-9003-e843a4c90514",
            "--endpoint",
            &format!("{uri}/_scenario/job"),
            "--wait",
            "--poll-ms",
            "10",
        ],
        &otc,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("done: Completed"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_that_starts_a_job_waits_for_the_job_its_answer_names() {
    let server = mock().await;
    let uri = server.uri();
    let delete = |scenario: &str| {
        run(
            &[
                "otc",
                "rds",
                "delete-instance",
                "--instance-id",
                "dsfae23fsfdsae3435in01",
                "--endpoint",
                &format!("{uri}/_scenario/{scenario}"),
                "--wait",
                "--poll-ms",
                "10",
            ],
            &OTC,
        )
    };
    let output = delete("job");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("done: Completed"),
        "{}",
        text(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        answer["job"]["status"], "Completed",
        "the job's last state is printed"
    );

    let output = delete("no-job");
    assert_eq!(output.status.code(), Some(5), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("the answer has no `job_id` to wait on"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_returns_every_item_of_a_multi_page_list_once() {
    let server = mock().await;
    let output = run(
        &[
            "otc",
            "rds",
            "list-instances",
            "--endpoint",
            &format!("{}/_scenario/many-instances", server.uri()),
            "--all",
            "--limit",
            "10",
            "--datastore-type",
            "MySQL",
        ],
        &OTC,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let items: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let mut ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 23);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 23, "each once");
    // Without --all: the one page asked for.
    let output = run(
        &[
            "otc",
            "rds",
            "list-instances",
            "--endpoint",
            &format!("{}/_scenario/many-instances", server.uri()),
            "--limit",
            "10",
        ],
        &OTC,
    );
    let page: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (
            page["instances"].as_array().unwrap().len(),
            page["total_count"].as_u64()
        ),
        (10, Some(23))
    );
}

#[test]
fn flags_follow_the_spec() {
    let output = run(
        &[
            "otc",
            "rds",
            "list-instances",
            "--type",
            "Nope",
            "--region",
            "eu-de",
            "--dry-run",
        ],
        &OTC,
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "an enum value outside the spec is refused: {}",
        text(&output.stderr)
    );
    let output = run(
        &[
            "otc",
            "rds",
            "start-instance-restart-action",
            "--instance-id",
            "i",
            "--region",
            "eu-de",
            "--dry-run",
        ],
        &OTC,
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "no body is sent that the user did not give: {}",
        text(&output.stderr)
    );
    assert!(
        text(&output.stderr).contains("--body"),
        "{}",
        text(&output.stderr)
    );
    let output = run(
        &[
            "otc",
            "rds",
            "start-instance-restart-action",
            "--instance-id",
            "i",
            "--region",
            "eu-de",
            "--dry-run",
            "--body",
            "{\"restart\": {}}",
        ],
        &OTC,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("{\"restart\":{}}"),
        "the body given: {}",
        text(&output.stdout)
    );
    let output = run(
        &[
            "otc",
            "rds",
            "start-instance-restart-action",
            "--instance-id",
            "i",
            "--region",
            "eu-de",
            "--dry-run",
            "--body",
            "{\"restart\": 5}",
        ],
        &OTC,
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let output = run(
        &[
            "otc",
            "rds",
            "list-instances",
            "--all",
            "--wait",
            "--region",
            "eu-de",
        ],
        &OTC,
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "list-instances has no waiter"
    );
}
