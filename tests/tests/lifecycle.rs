//! Waiters and pagination end to end, through the generated clients against the mock's
//! scenarios (declared in the specs' `x-dbplane-scenarios`, chosen by `/_scenario/<name>`).

use std::collections::HashSet;
use std::time::Duration;

use contract_tests::TOKEN;
use dbplane_core::{CallExt, Credentials, ServiceClient, WaitError};
use dbplane_huaweicloud::dws;
use dbplane_oceanbase::ocp;
use dbplane_otc::rds;
use futures_util::StreamExt;

const PROJECT: &str = "054ea741f700d4a32f1bc00f5c80dd4c";
const INSTANCE: &str = "5b409baece064984a1b3eef6addae50cin01";
const FAST: Duration = Duration::from_millis(5);

async fn rds_in(scenario: &str) -> (dbplane_mock::MockServer, rds::Client) {
    let server = dbplane_otc::mock::start().await.unwrap();
    let client = rds::Client::with_endpoint(
        &format!("{}/_scenario/{scenario}", server.uri()),
        Credentials::token(TOKEN),
    )
    .unwrap();
    (server, client)
}

#[tokio::test]
async fn stop_then_wait_until_the_instance_is_shut_down_then_start_it_again() {
    let (_server, client) = rds_in("stop").await;
    let job = client
        .stop_instance()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .outcome()
        .await
        .unwrap();
    assert!(job.job_id.is_some());
    let mut states = Vec::new();
    let waited = client
        .wait_until_instance_stopped(PROJECT, INSTANCE)
        .delays(FAST, FAST)
        .on_progress(|p| states.push(p.state.clone().unwrap_or_default()))
        .await
        .unwrap();
    assert_eq!(waited.state, "SHUTDOWN");
    assert_eq!(
        states,
        ["ACTIVE", "SHUTTING DOWN", "SHUTTING DOWN", "SHUTDOWN"]
    );
    assert_eq!(
        waited.answer.instances[0].id.as_deref(),
        Some("ed7cc6166ec24360a5ed5c5c9c2ed726in01"),
        "documented fields kept"
    );

    let (_server, client) = rds_in("start").await;
    client
        .startup_instance()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .send()
        .outcome()
        .await
        .unwrap();
    let waited = client
        .wait_until_instance_active(PROJECT, INSTANCE)
        .delays(FAST, FAST)
        .await
        .unwrap();
    assert_eq!((waited.state.as_str(), waited.polls), ("ACTIVE", 2));
}

#[tokio::test]
async fn a_failure_state_or_the_longest_wait_ends_the_wait_with_what_happened() {
    let (_server, client) = rds_in("stop-fails").await;
    let error = client
        .wait_until_instance_stopped(PROJECT, INSTANCE)
        .delays(FAST, FAST)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WaitError::Failed { state, polls: 2, .. } if state == "FAILED"),
        "{error}"
    );

    // The longest wait is a hard limit. How many polls fit in it depends on the machine's
    // load, so only what holds at any load is asserted here; the exact count and last state
    // are the waiter's unit tests', on a paused clock.
    let (_server, client) = rds_in("stop-hangs").await;
    let longest = Duration::from_millis(500);
    let error = client
        .wait_until_instance_stopped(PROJECT, INSTANCE)
        .delays(FAST, FAST)
        .max_wait(longest)
        .await
        .unwrap_err();
    match &error {
        WaitError::TimedOut {
            last_state,
            polls,
            elapsed,
            ..
        } => {
            assert!(*polls >= 1, "{error}");
            assert!(
                last_state.as_deref().is_none_or(|s| s == "ACTIVE"),
                "the scenario never leaves ACTIVE: {error}"
            );
            assert!(*elapsed < Duration::from_secs(30), "{error}");
        }
        other => panic!("{other}"),
    }
    assert!(error.to_string().contains("timed out after"), "{error}");
}

#[tokio::test]
async fn a_job_missing_at_first_is_waited_for_and_a_failed_job_gives_its_reason() {
    let (_server, client) = rds_in("job").await;
    let waited = client
        .wait_until_job_completed(PROJECT, "a9767ede-fe0f-4888-9003-e843a4c90514")
        .delays(FAST, FAST)
        .await
        .unwrap();
    assert_eq!(
        (waited.state.as_str(), waited.polls),
        ("Completed", 4),
        "a 404, two Running, then Completed"
    );

    let (_server, client) = rds_in("job-fails").await;
    let error = client
        .wait_until_job_completed(PROJECT, "j")
        .delays(FAST, FAST)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WaitError::Failed { reason: Some(r), .. } if r == "The flavor is sold out."),
        "{error}"
    );
    assert!(
        error.to_string().ends_with(": The flavor is sold out."),
        "{error}"
    );
}

#[tokio::test]
async fn disaster_recovery_and_ocp_task_waiters() {
    let server = dbplane_huaweicloud::mock::start().await.unwrap();
    let client = dws::Client::with_endpoint(
        &format!("{}/_scenario/pause", server.uri()),
        Credentials::token(TOKEN),
    )
    .unwrap();
    let (project, dr) = (
        "89cd04f168b84af6be287f71730fdb4b",
        "e59d6b86-9072-46eb-a996-13f8b44994c1",
    );
    client
        .pause_disaster_recovery()
        .project_id(project)
        .disaster_recovery_id(dr)
        .send()
        .outcome()
        .await
        .unwrap();
    let waited = client
        .wait_until_disaster_recovery_stopped(project, dr)
        .delays(FAST, FAST)
        .await
        .unwrap();
    assert_eq!(waited.state, "stopped");
    let client = dws::Client::with_endpoint(
        &format!("{}/_scenario/pause-fails", server.uri()),
        Credentials::token(TOKEN),
    )
    .unwrap();
    let error = client
        .wait_until_disaster_recovery_stopped(project, dr)
        .delays(FAST, FAST)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WaitError::Failed { state, .. } if state == "stop_failed"),
        "{error}"
    );

    let server = dbplane_oceanbase::mock::start().await.unwrap();
    let client = ocp::Client::with_endpoint(
        &format!("{}/_scenario/task", server.uri()),
        Credentials::basic("admin", "pw"),
    )
    .unwrap();
    let waited = client
        .wait_until_task_finished(100)
        .delays(FAST, FAST)
        .await
        .unwrap();
    assert_eq!((waited.state.as_str(), waited.polls), ("SUCCESSFUL", 3));
    let client = ocp::Client::with_endpoint(
        &format!("{}/_scenario/schedule-stopped", server.uri()),
        Credentials::basic("admin", "pw"),
    )
    .unwrap();
    client
        .stop_backup_schedule()
        .id(1000002)
        .tenant_id(1000012)
        .send()
        .outcome()
        .await
        .unwrap();
    let waited = client
        .wait_until_backup_schedule_disabled(1000002, 1000012)
        .delays(FAST, FAST)
        .await
        .unwrap();
    assert_eq!(waited.state, "false");
}

#[tokio::test]
async fn a_paginated_list_streams_every_item_once_keeping_filters_and_page_size() {
    let (server, client) = rds_in("many-instances").await;
    let ids: Vec<String> = client
        .list_instances()
        .project_id(PROJECT)
        .datastore_type("MySQL")
        .limit(10u32)
        .stream()
        .map(|item| item.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids.len(), 23);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 23, "each once");
    assert_eq!(ids[0], "instance-1");
    drop(server);

    let server = dbplane_oceanbase::mock::start().await.unwrap();
    let client = ocp::Client::with_endpoint(
        &format!("{}/_scenario/many-tasks", server.uri()),
        Credentials::basic("admin", "pw"),
    )
    .unwrap();
    let ids: Vec<i64> = client
        .list_task_instances()
        .status("SUCCESSFUL")
        .size(10u32)
        .stream()
        .map(|item| item.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, (1..=25).collect::<Vec<i64>>());
}

#[tokio::test]
async fn a_page_that_fails_ends_the_stream_with_its_error() {
    use contract_tests::fault_server::{FaultServer, Reply};
    let page = serde_json::json!({"instances": [{"id": "a"}, {"id": "b"}], "total_count": 5});
    let server = FaultServer::start(vec![
        Reply::json(200, &page),
        Reply::json(
            500,
            &serde_json::json!({"error_code": "DBS.108000", "error_msg": "Server failure."}),
        ),
    ])
    .await;
    let client = rds::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let items: Vec<_> = client
        .list_instances()
        .project_id(PROJECT)
        .limit(2u32)
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert!(items[2].as_ref().is_err_and(|e| e.status() == Some(500)));
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert!(
        targets[0].contains("limit=2") && targets[0].contains("offset=0"),
        "{targets:?}"
    );
    assert!(targets[1].contains("offset=2"), "{targets:?}");
}
