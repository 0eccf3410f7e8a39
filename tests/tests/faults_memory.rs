//! Peak memory under an endless answer, in a process of its own (the peak is process-wide).

use std::time::{Duration, Instant};

use contract_tests::calls::stop_instance;
use contract_tests::fault_server::{Body, FaultServer, Reply};
use contract_tests::TOKEN;
use dbplane_core::{Credentials, ServiceClient, TransportKind};
use dbplane_otc::rds;

/// `VmHWM` (peak resident set) of this process, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_costs_at_most_the_body_limit_in_memory() {
    // 4 GiB offered in 1 MiB chunks; the default limit is 8 MiB.
    let endless = Body::Endless {
        chunk: vec![b'{'; 1 << 20],
        max_bytes: 4 << 30,
    };
    let server = FaultServer::start(vec![Reply::streamed(200, endless)]).await;
    let client = rds::Client::with_endpoint(&server.uri(), Credentials::token(TOKEN)).unwrap();
    let before = peak_rss_kib();
    let started = Instant::now();
    let error = stop_instance(&client).await.expect_err("too large");
    let grown_mib = peak_rss_kib().saturating_sub(before) / 1024;
    assert!(
        matches!(
            error.transport().map(|t| &t.kind),
            Some(TransportKind::BodyTooLarge { .. })
        ),
        "{error}"
    );
    assert!(grown_mib < 64, "peak memory grew by {grown_mib} MiB");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}
