//! `dbplane mock` throughput: valid and rejected RDS `stop_instance` calls at concurrency 1,
//! 32 and 256, from one reqwest client in the same process (release build):
//!
//! ```sh
//! cargo bench -p contract-tests --bench mock_throughput
//! ```
//!
//! Prints requests per second per case and the process's peak resident memory after each
//! level (the mock must not grow with the number of requests). BENCHMARKS.md reports it.

use std::sync::Arc;
use std::time::Instant;

const PATH: &str =
    "/v3/054ea741f700d4a32f1bc00f5c80dd4c/instances/5b409baece064984a1b3eef6addae50cin01/action/shutdown";

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

async fn run(
    client: &reqwest::Client,
    url: &str,
    valid: bool,
    concurrency: usize,
    total: usize,
) -> f64 {
    let url: Arc<str> = url.into();
    let started = Instant::now();
    let per_task = total / concurrency;
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let client = client.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_task {
                let mut request = client
                    .post(&*url)
                    .header("content-type", "application/json")
                    .body("{}");
                if valid {
                    request = request.header("x-auth-token", "MIItoken");
                }
                let response = request.send().await.expect("the mock answers");
                let status = response.status().as_u16();
                let _ = response.bytes().await;
                assert_eq!(status, if valid { 200 } else { 401 });
            }
        }));
    }
    for task in tasks {
        task.await.expect("no task panics");
    }
    (per_task * concurrency) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let server = dbplane_otc::mock::start().await.expect("the mock starts");
        let url = format!("{}{PATH}", server.uri());
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()
            .expect("a client");
        // Warm-up: connections, and whatever the mock compiles on first use.
        run(&client, &url, true, 4, 200).await;
        run(&client, &url, false, 4, 200).await;
        println!("case, concurrency, requests/s, peak RSS (MiB)");
        for concurrency in [1, 32, 256] {
            for valid in [true, false] {
                let total = if concurrency == 1 { 2_000 } else { 10_240 };
                let rate = run(&client, &url, valid, concurrency, total).await;
                println!(
                    "{}, {concurrency}, {rate:.0}, {:.1}",
                    if valid { "valid" } else { "rejected" },
                    peak_rss_kib() as f64 / 1024.0
                );
            }
        }
    });
}
