//! End-to-end tests of the built `dbplane` binary, against the spec-driven mock server.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dbplane");
/// 2024-09-10T02:07:58Z, the date of the research file's reference signatures.
const REFERENCE_TIME: &str = "1725934078";

const HUAWEI_ENV: [(&str, &str); 3] = [
    ("HUAWEICLOUD_SDK_AK", "AKEXAMPLE0000000000"),
    (
        "HUAWEICLOUD_SDK_SK",
        "SKEXAMPLE0000000000000000000000000000000",
    ),
    (
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "0123456789abcdef0123456789abcdef",
    ),
];
const OTC_ENV: [(&str, &str); 2] = [
    ("OS_AUTH_TOKEN", "MIIsecret-token"),
    ("OS_PROJECT_ID", "054ea741f700d4a32f1bc00f5c80dd4c"),
];
const OCP_ENV: [(&str, &str); 2] = [
    ("OCP_ACCESS_KEY_ID", "ak-id"),
    ("OCP_ACCESS_KEY_SECRET", "ak-secret"),
];

/// Runs the binary with only `env` in its environment.
fn dbplane(args: &[&str], env: &[(&str, &str)]) -> Output {
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

/// An operation's documented sample: the parameter examples and the 200 example, from the spec.
struct Sample {
    params: Value,
    answer: Value,
}

fn sample(spec_json: &str, operation_id: &str) -> Sample {
    let spec: Value = serde_json::from_str(spec_json).unwrap();
    let op = dbplane_spec::operations(&spec)
        .find(|o| o.id() == Some(operation_id))
        .expect("the operation is in the spec")
        .op;
    let params: serde_json::Map<String, Value> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["example"].clone(),
            )
        })
        .collect();
    Sample {
        params: Value::Object(params),
        answer: op["responses"]["200"]["content"]["application/json"]["example"].clone(),
    }
}

impl Sample {
    fn arg(&self, name: &str) -> String {
        match &self.params[name] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

fn dbss() -> (Sample, Vec<String>) {
    let s = sample(dbplane_huaweicloud::dbss::SPEC_JSON, "stop_db_om_instance");
    let args = vec![
        "huaweicloud".into(),
        "dbss".into(),
        "stop-db-om-instance".into(),
        "--instance-id".into(),
        s.arg("instance_id"),
        "--project-id".into(),
        s.arg("project_id"),
    ];
    (s, args)
}

fn dws() -> (Sample, Vec<String>) {
    let s = sample(
        dbplane_huaweicloud::dws::SPEC_JSON,
        "pause_disaster_recovery",
    );
    let args = vec![
        "huaweicloud".into(),
        "dws".into(),
        "pause-disaster-recovery".into(),
        "--disaster-recovery-id".into(),
        s.arg("disaster_recovery_id"),
        "--project-id".into(),
        s.arg("project_id"),
    ];
    (s, args)
}

fn rds() -> (Sample, Vec<String>) {
    let s = sample(dbplane_otc::rds::SPEC_JSON, "stop_instance");
    let args = vec![
        "otc".into(),
        "rds".into(),
        "stop-instance".into(),
        "--instance-id".into(),
        s.arg("instance_id"),
        "--project-id".into(),
        s.arg("project_id"),
    ];
    (s, args)
}

fn ocp() -> (Sample, Vec<String>) {
    let s = sample(dbplane_oceanbase::ocp::SPEC_JSON, "stopBackupSchedule");
    let args = vec![
        "oceanbase".into(),
        "ocp".into(),
        "stop-backup-schedule".into(),
        "--cluster-id".into(),
        s.arg("id"),
        "--tenant-id".into(),
        s.arg("tenantId"),
    ];
    (s, args)
}

fn with(args: &[String], extra: &[&str]) -> Vec<String> {
    args.iter()
        .cloned()
        .chain(extra.iter().map(|s| s.to_string()))
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn dry_run_prints_the_signed_request_and_sends_nothing() {
    let cases = [
        ("dbss", dbss().1, &HUAWEI_ENV[..], "ap-southeast-1"),
        ("dws", dws().1, &HUAWEI_ENV[..], "cn-north-4"),
        ("rds", rds().1, &OTC_ENV[..], "eu-de"),
    ];
    for (name, args, env, region) in cases {
        let out = dbplane(
            &strs(&with(
                &args,
                &["--region", region, "--dry-run", "--now", REFERENCE_TIME],
            )),
            env,
        );
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        for (_, secret) in env
            .iter()
            .filter(|(k, _)| k.contains("SK") || k.contains("TOKEN"))
        {
            assert!(!stdout.contains(secret), "{name}: a secret was printed");
        }
        insta::assert_snapshot!(format!("dry_run_{name}"), stdout);
    }
    let (_, args) = ocp();
    let out = dbplane(
        &strs(&with(
            &args,
            &[
                "--endpoint",
                "http://ocp-host:8080",
                "--dry-run",
                "--now",
                REFERENCE_TIME,
            ],
        )),
        &OCP_ENV,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    insta::assert_snapshot!("dry_run_ocp", text(&out.stdout));
}

#[tokio::test]
async fn every_operation_succeeds_against_the_mock() {
    let huawei = dbplane_huaweicloud::mock::start().await.unwrap();
    let otc = dbplane_otc::mock::start().await.unwrap();
    let oceanbase = dbplane_oceanbase::mock::start().await.unwrap();
    let cases = [
        (dbss(), &HUAWEI_ENV[..], huawei.uri()),
        (dws(), &HUAWEI_ENV[..], huawei.uri()),
        (rds(), &OTC_ENV[..], otc.uri()),
        (ocp(), &OCP_ENV[..], oceanbase.uri()),
    ];
    for ((sample, args), env, uri) in cases {
        let args = with(&args, &["--endpoint", &uri]);
        let out = tokio::task::spawn_blocking({
            let (args, env) = (args.clone(), env.to_vec());
            move || dbplane(&strs(&args), &env)
        })
        .await
        .unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let printed: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        assert_eq!(printed, sample.answer, "{args:?}");
    }
}

/// Every RDS operation whose page documents a sample — 105 of the 110 — runs through its
/// generated command: path and query parameters as flags, the body with `--body`; the mock
/// answers each with its documented answer.
#[tokio::test]
async fn every_documented_rds_sample_runs_through_its_command() {
    use heck::ToKebabCase;
    let otc = dbplane_otc::mock::start().await.unwrap();
    let spec: Value = serde_json::from_str(dbplane_otc::rds::SPEC_JSON).unwrap();
    let mut ran = 0;
    for op in dbplane_spec::operations(&spec) {
        let Some(sample) = op.documented_sample() else {
            continue;
        };
        let id = op.id().unwrap();
        let mut args = vec!["otc".to_string(), "rds".into(), id.to_kebab_case()];
        args.extend(["--endpoint".to_string(), otc.uri()]);
        let query = form_urlencoded::parse(sample["query"].as_str().unwrap_or("").as_bytes())
            .into_owned()
            .collect::<Vec<_>>();
        for param in op.parameters(&spec) {
            let name = param["name"].as_str().unwrap();
            let value = match param["in"].as_str() {
                Some("path") => param["example"]
                    .as_str()
                    .map_or(param["example"].to_string(), str::to_string),
                _ => match query.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => v.clone(),
                    None => continue,
                },
            };
            let flag = param["x-dbplane-cli-flag"]
                .as_str()
                .map_or(name.to_kebab_case(), str::to_string);
            args.extend([format!("--{flag}"), value]);
        }
        if let Some(body) = sample.get("body") {
            args.extend(["--body".to_string(), body.to_string()]);
        }
        let out = tokio::task::spawn_blocking({
            let args = args.clone();
            move || dbplane(&strs(&args), &OTC_ENV)
        })
        .await
        .unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let (_, documented) = dbplane_mock::documented_answer(&spec, op.op);
        if !documented.is_null() {
            let printed: Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stdout)));
            // The typed answer leaves out what serialisation skips (nulls, empty lists).
            let normalise = contract_tests::sample::normalise;
            assert_eq!(normalise(printed), normalise(documented), "{args:?}");
        }
        ran += 1;
    }
    assert!(ran >= 90, "only {ran} operations ran");
}

#[tokio::test]
async fn text_output_prints_one_line_per_field() {
    let otc = dbplane_otc::mock::start().await.unwrap();
    let (sample, args) = rds();
    let args = with(&args, &["--endpoint", &otc.uri(), "--output", "text"]);
    let out = tokio::task::spawn_blocking(move || dbplane(&strs(&args), &OTC_ENV))
        .await
        .unwrap();
    assert_eq!(
        text(&out.stdout),
        format!("job_id: {}\n", sample.answer["job_id"].as_str().unwrap())
    );
}

#[test]
fn exit_codes_tell_usage_credentials_and_transport_apart() {
    let (_, args) = dbss();
    let usage = dbplane(&["huaweicloud", "dbss", "stop-db-om-instance"], &HUAWEI_ENV);
    assert_eq!(usage.status.code(), Some(2), "{}", text(&usage.stderr));
    assert!(text(&usage.stderr).contains("--instance-id"));

    let no_credentials = dbplane(&strs(&with(&args, &["--region", "ap-southeast-1"])), &[]);
    assert_eq!(no_credentials.status.code(), Some(3));
    assert!(
        text(&no_credentials.stderr)
            .contains("HUAWEICLOUD_SDK_AUTH_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"),
        "{}",
        text(&no_credentials.stderr)
    );

    let bad_input = dbplane(
        &strs(&with(
            &args[..4],
            &["short", "--region", "ap-southeast-1", "--project-id", "p"],
        )),
        &HUAWEI_ENV,
    );
    assert_eq!(
        bad_input.status.code(),
        Some(2),
        "{}",
        text(&bad_input.stderr)
    );

    let unreachable = dbplane(
        &strs(&with(
            &args,
            &["--endpoint", "http://127.0.0.1:9", "--retries", "0"],
        )),
        &HUAWEI_ENV,
    );
    assert_eq!(
        unreachable.status.code(),
        Some(5),
        "{}",
        text(&unreachable.stderr)
    );
}

#[tokio::test]
async fn vendor_and_authentication_errors_have_their_own_exit_codes() {
    use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};
    let (_, args) = rds();
    for (status, code) in [(404, 4), (401, 3)] {
        let server = MockServer::start().await;
        let body = serde_json::json!({"error_code": "DBS.200022", "error_msg": "The DB instance does not exist."});
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body)
                    .insert_header("x-request-id", "req-42"),
            )
            .mount(&server)
            .await;
        let args = with(&args, &["--endpoint", &server.uri()]);
        let out = tokio::task::spawn_blocking(move || dbplane(&strs(&args), &OTC_ENV))
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(code));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("DBS.200022")
                && stderr.contains("req-42")
                && stderr.contains(&format!("HTTP {status}")),
            "{stderr}"
        );
    }
}

#[test]
fn mock_command_serves_the_specs_and_logs_each_request() {
    let mut mock = Command::new(BIN)
        .args(["mock", "--port", "0"])
        .env_clear()
        .stdout(Stdio::piped())
        .spawn()
        .expect("mock starts");
    let mut lines = BufReader::new(mock.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("dbplane mock listening on ")
        .expect("announces its URL")
        .to_string();

    let (sample, args) = ocp();
    let out = dbplane(&strs(&with(&args, &["--endpoint", &url])), &OCP_ENV);
    let bad = dbplane(
        &[
            "oceanbase",
            "ocp",
            "stop-backup-schedule",
            "--cluster-id",
            "1",
            "--tenant-id",
            "2",
            "--endpoint",
            &format!("{url}/extra"),
        ],
        &OCP_ENV,
    );
    let log = [
        lines.next().unwrap().unwrap(),
        lines.next().unwrap().unwrap(),
    ];
    let _ = mock.kill();
    let _ = mock.wait();

    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        sample.answer
    );
    assert!(
        log[0].starts_with("POST /api/v2/ob/clusters/") && log[0].ends_with("-> 200"),
        "{}",
        log[0]
    );
    assert_eq!(bad.status.code(), Some(4), "{}", text(&bad.stderr));
    assert!(log[1].contains("-> 404 MOCK.PATH"), "{}", log[1]);
}

#[test]
fn former_command_names_still_run_and_help_lists_commands_by_resource() {
    // `shutdown-instance` was the command's name before 0.5.0 (now `stop-instance`, the SDK's).
    let (_, mut args) = rds();
    args[2] = "shutdown-instance".into();
    let dry = |args: &[String]| {
        dbplane(
            &strs(&with(
                args,
                &["--region", "eu-de", "--dry-run", "--now", REFERENCE_TIME],
            )),
            &OTC_ENV,
        )
    };
    let former = dry(&args);
    assert!(former.status.success(), "{}", text(&former.stderr));
    assert_eq!(text(&former.stdout), text(&dry(&rds().1).stdout));

    let help = dbplane(&["otc", "rds", "--help"], &[]);
    assert!(help.status.success(), "{}", text(&help.stderr));
    let help = text(&help.stdout);
    let listed: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    assert_eq!(listed.len(), 110, "{help}");
    assert!(!listed.contains(&"shutdown-instance"), "aliases are hidden");
    let position = |name: &str| listed.iter().position(|n| *n == name).expect(name);
    // The instance's own actions sit together, between its backups and its tags.
    let actions = [
        "start-instance-change-volume-action",
        "start-instance-enlarge-volume-action",
        "start-instance-restart-action",
        "start-instance-single-to-ha-action",
        "start-resize-flavor-action",
    ];
    let at: Vec<usize> = actions.iter().map(|a| position(a)).collect();
    assert_eq!(
        at,
        (at[0]..at[0] + actions.len()).collect::<Vec<_>>(),
        "{listed:?}"
    );
    assert!(position("stop-instance") < position("list-instance-tags"));

    let help = dbplane(&["otc", "rds", "stop-instance", "--help"], &[]);
    assert!(
        text(&help.stdout).contains("Formerly `shutdown-instance` (still accepted)."),
        "{}",
        text(&help.stdout)
    );
}

#[test]
fn a_query_parameter_out_of_its_bounds_is_refused_before_anything_is_sent() {
    let list = |limit: &str| {
        dbplane(
            &[
                "otc",
                "rds",
                "list-instances",
                "--limit",
                limit,
                "--region",
                "eu-de",
                "--dry-run",
            ],
            &OTC_ENV,
        )
    };
    let refused = list("500");
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr)
            .contains("invalid `limit`: must be 1 to 100, got 500 (nothing was sent)"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(text(&refused.stdout), "", "no request was printed");
    let sent = list("100");
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    assert!(
        text(&sent.stdout).contains("limit=100"),
        "{}",
        text(&sent.stdout)
    );
}

#[test]
fn a_body_is_sent_only_when_given_and_the_documented_one_is_printed_on_request() {
    let create = |extra: &[&str]| {
        let mut args = vec![
            "otc",
            "rds",
            "create-instance",
            "--region",
            "eu-de",
            "--dry-run",
        ];
        args.extend(extra);
        dbplane(&args, &OTC_ENV)
    };
    // Without --body nothing is sent: no documented sample creates a MySQL instance.
    let refused = create(&[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr).contains("--body"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(text(&refused.stdout), "");

    // --example-body prints the documented body, needs no credentials, and sends nothing.
    let example = dbplane(&["otc", "rds", "create-instance", "--example-body"], &[]);
    assert!(example.status.success(), "{}", text(&example.stderr));
    let printed: Value = serde_json::from_slice(&example.stdout).unwrap();
    let spec: Value = serde_json::from_str(dbplane_otc::rds::SPEC_JSON).unwrap();
    let documented = dbplane_spec::operations(&spec)
        .find(|o| o.id() == Some("create_instance"))
        .unwrap()
        .op
        .pointer("/requestBody/content/application~1json/example")
        .cloned()
        .unwrap();
    assert_eq!(printed, documented);

    // Given, it is what is sent.
    let body = r#"{"name":"mine","datastore":{"type":"PostgreSQL","version":"16"},"flavor_ref":"rds.pg.n1.large.2","volume":{"type":"ULTRAHIGH","size":40},"region":"eu-de","availability_zone":"eu-de-01","vpc_id":"v","subnet_id":"s","security_group_id":"g","password":"Secret-1234"}"#;
    let sent = create(&["--body", body]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let wire = text(&sent.stdout);
    assert!(wire.contains("\"name\":\"mine\""), "{wire}");
    assert!(!wire.contains("MySQL"), "{wire}");
    assert!(
        !wire.contains("Secret-1234"),
        "the password is masked: {wire}"
    );
    assert!(
        wire.starts_with("POST https://rds.eu-de.otc.t-systems.com/v3/054ea741f700d4a32f1bc00f5c80dd4c/instances\n"),
        "the URL as sent, without the spec's `#create_instance`: {wire}"
    );

    // An operation whose body is optional (the SDK sends none) runs without one.
    let (_, stop) = rds();
    let stop = dbplane(
        &strs(&with(&stop, &["--region", "eu-de", "--dry-run"])),
        &OTC_ENV,
    );
    assert!(stop.status.success(), "{}", text(&stop.stderr));
}

#[test]
fn completions_cover_every_command_and_global_options_have_their_own_heading() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = dbplane(&["completions", shell], &[]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        for word in ["stop-instance", "region"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
        if matches!(shell, "bash" | "zsh") {
            // Down to each operation's own flags.
            assert!(
                script.contains("example-body"),
                "{shell}: no operation flags"
            );
        }
    }
    let unknown = dbplane(&["completions", "tcsh"], &[]);
    assert_eq!(unknown.status.code(), Some(2));

    let help = text(&dbplane(&["otc", "rds", "stop-instance", "--help"], &[]).stdout);
    let (own, global) = help
        .split_once("Global options:")
        .expect("a heading of their own");
    assert!(
        own.contains("--instance-id") && !own.contains("--region"),
        "{help}"
    );
    assert!(
        global.contains("--region") && !global.contains("--instance-id"),
        "{help}"
    );
}

#[tokio::test]
async fn a_query_selects_and_the_answer_prints_as_yaml_or_a_table() {
    let otc = dbplane_otc::mock::start().await.unwrap();
    let s = sample(dbplane_otc::rds::SPEC_JSON, "list_instances");
    let ids: Vec<Value> = s.answer["instances"]
        .as_array()
        .expect("the sample lists instances")
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert!(!ids.is_empty());
    let base: Vec<String> = [
        "otc",
        "rds",
        "list-instances",
        "--project-id",
        &s.arg("project_id"),
        "--endpoint",
        &otc.uri(),
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    let run = |extra: &'static [&'static str]| {
        let args = with(&base, extra);
        tokio::task::spawn_blocking(move || dbplane(&strs(&args), &OTC_ENV))
    };

    let out = run(&["--query", "instances[].id"]).await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        Value::Array(ids.clone())
    );

    let out = run(&["--query", "instances[0]", "--output", "yaml"])
        .await
        .unwrap();
    let yaml: Value = serde_norway::from_slice(&out.stdout).unwrap();
    // The same item as JSON prints it (the typed answer leaves out empty lists).
    let out = run(&["--query", "instances[0]"]).await.unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(yaml, json);
    assert_eq!(yaml["id"], ids[0]);

    let out = run(&["--query", "instances", "--output", "table"])
        .await
        .unwrap();
    let table = text(&out.stdout);
    let header = table.lines().nth(1).unwrap_or_default();
    assert!(
        header.contains(" id ") && header.contains(" name "),
        "{table}"
    );
    for id in &ids {
        assert!(table.contains(id.as_str().unwrap()), "{id} not in\n{table}");
    }

    // A query that does not parse is refused before anything is sent.
    let out = run(&["--query", "instances[?"]).await.unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("--query"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn mock_help_lists_the_mock_options_and_not_the_call_options() {
    let help = text(&dbplane(&["mock", "--help"], &[]).stdout);
    assert!(help.contains("--spec") && help.contains("--port"), "{help}");
    for call in ["--region", "--endpoint", "--output", "--dry-run", "--query"] {
        assert!(!help.contains(call), "{call} in\n{help}");
    }
}

#[test]
fn man_pages_cover_the_program_each_vendor_and_each_service() {
    let dir = std::env::temp_dir().join(format!("dbplane-man-{}", std::process::id()));
    let out = dbplane(&["man", dir.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let root = page("dbplane.1");
    assert!(
        root.starts_with(".ie") || root.contains(".TH"),
        "roff: {root:.200}"
    );
    assert!(root.contains("mock") && root.contains("otc"));
    let rds = page("dbplane-otc-rds.1");
    assert!(rds.contains("stop\\-instance"), "{rds:.400}");
    for name in [
        "dbplane-otc.1",
        "dbplane-huaweicloud-dbss.1",
        "dbplane-oceanbase.1",
    ] {
        assert!(page(name).contains(".TH"), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
