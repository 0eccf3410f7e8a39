//! What a call through a generated client costs beside a hand-written reqwest call that
//! builds the same request and reads the answer into the same serde type (release build):
//!
//! ```sh
//! cargo bench -p contract-tests --bench client_overhead
//! ```
//!
//! The server is this program run again as a child process (`--serve`): a canned hyper server
//! answering the RDS documented samples, so that the CPU and allocations counted are the
//! client's alone. Each case runs at concurrency 1 and 32, in 21 interleaved rounds (each
//! round starting with another client); per call it reports the client process's CPU time
//! (user + system, `getrusage`) and its heap
//! allocations (a counting global allocator), the median over the rounds of the ratio to the
//! reqwest peer of the same round, and the ratio of each client's fastest round (on a shared
//! machine, interference only ever adds time). BENCHMARKS.md reports it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dbplane_otc::{rds, CallExt, Credentials, ServiceClient};

/// Counts every allocation (and reallocation) the process makes.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const PROJECT: &str = "054ea741f700d4a32f1bc00f5c80dd4c";
const INSTANCE: &str = "5b409baece064984a1b3eef6addae50cin01";
/// A token of a real token's size (Keystone PKI tokens run to kilobytes).
fn token() -> String {
    format!("MII{}", "x".repeat(2048))
}

/// The process's CPU time so far (user + system), in microseconds.
fn cpu_micros() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` writes a whole `rusage` into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Call {
    List,
    Stop,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Client {
    Reqwest,
    Token,
    AkSk,
}

/// The two clients under test, on one server.
struct Clients {
    peer: reqwest::Client,
    base: String,
    token: Arc<str>,
    by_token: rds::Client,
    by_aksk: rds::Client,
}

impl Clients {
    fn new(base: &str) -> Self {
        let token = token();
        let by_token = rds::Client::with_endpoint(
            base,
            Credentials::token(token.clone()).with_project_id(PROJECT),
        )
        .expect("a token client");
        let by_aksk = rds::Client::with_endpoint(
            base,
            Credentials::aksk(
                "AKEXAMPLE0000000000",
                "SKEXAMPLE0000000000000000000000000000000",
            )
            .with_project_id(PROJECT),
        )
        .expect("an AK/SK client");
        // The peer's reqwest client is configured as the runtime configures its own (connect
        // and attempt timeouts, no redirects): the ratio is the runtime's and the generated
        // code's cost, not reqwest's options'.
        let peer = dbplane_core::Runtime::new(Credentials::token(token.clone()))
            .and_then(|runtime| runtime.http_client("peer"))
            .expect("a reqwest client");
        Self {
            peer,
            base: base.to_string(),
            token: token.into(),
            by_token,
            by_aksk,
        }
    }

    async fn call(&self, client: Client, call: Call) {
        match (client, call) {
            (Client::Reqwest, Call::List) => {
                let response = self
                    .peer
                    .get(format!("{}/v3/{PROJECT}/instances", self.base))
                    .query(&[("limit", "10"), ("offset", "0")])
                    .header("accept", "application/json")
                    .header("x-auth-token", &*self.token)
                    .send()
                    .await
                    .expect("an answer");
                assert!(response.status().is_success());
                let bytes = response.bytes().await.expect("a body");
                let answer: rds::types::ListInstancesResponse =
                    serde_json::from_slice(&bytes).expect("the documented answer");
                std::hint::black_box(answer);
            }
            (Client::Reqwest, Call::Stop) => {
                let response = self
                    .peer
                    .post(format!(
                        "{}/v3/{PROJECT}/instances/{INSTANCE}/action/shutdown",
                        self.base
                    ))
                    .header("accept", "application/json")
                    .header("content-type", "application/json")
                    .header("x-auth-token", &*self.token)
                    .body("{}")
                    .send()
                    .await
                    .expect("an answer");
                assert!(response.status().is_success());
                let bytes = response.bytes().await.expect("a body");
                let answer: rds::types::StopInstanceResponse =
                    serde_json::from_slice(&bytes).expect("the documented answer");
                std::hint::black_box(answer);
            }
            (client, call) => {
                let rds = if client == Client::Token {
                    &self.by_token
                } else {
                    &self.by_aksk
                };
                match call {
                    Call::List => {
                        let answer = rds
                            .list_instances()
                            .project_id(PROJECT)
                            .limit(10u32)
                            .offset(0u32)
                            .send()
                            .outcome()
                            .await
                            .expect("the documented answer");
                        std::hint::black_box(answer);
                    }
                    Call::Stop => {
                        let answer = rds
                            .stop_instance()
                            .project_id(PROJECT)
                            .instance_id(INSTANCE)
                            .send()
                            .outcome()
                            .await
                            .expect("the documented answer");
                        std::hint::black_box(answer);
                    }
                }
            }
        }
    }
}

/// CPU microseconds and allocations per call, over `total` calls made by `concurrency` tasks.
async fn measure(
    clients: &Arc<Clients>,
    client: Client,
    call: Call,
    concurrency: usize,
    total: usize,
) -> (f64, f64) {
    let per_task = total / concurrency;
    let cpu = cpu_micros();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let clients = clients.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    clients.call(client, call).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no task panics");
    }
    let calls = (per_task * concurrency) as f64;
    (
        (cpu_micros() - cpu) as f64 / calls,
        (ALLOCATIONS.load(Ordering::Relaxed) - allocations) as f64 / calls,
    )
}

/// The canned server: the RDS documented answers of `list_instances` and `stop_instance`.
fn serve() {
    use hyper::body::Bytes;

    let spec: serde_json::Value = serde_json::from_str(rds::SPEC_JSON).expect("the RDS spec");
    let answer_of = |id: &str| -> Bytes {
        let op = dbplane_spec::operations(&spec)
            .find(|op| op.id() == Some(id))
            .expect("the operation");
        let (_, body) = dbplane_mock::documented_answer(&spec, op.op);
        Bytes::from(body.to_string())
    };
    let list = answer_of("list_instances");
    let stop = answer_of("stop_instance");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        println!("{}", listener.local_addr().expect("an address").port());
        contract_tests::canned::serve(listener, move |head| {
            match head.uri.path().ends_with("/instances") {
                true => (200, list.clone()),
                false => (200, stop.clone()),
            }
        })
        .await;
    });
}

/// Starts the canned server as a child process; its port.
fn start_server() -> (Child, u16) {
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .arg("--serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut line)
        .expect("its port");
    (child, line.trim().parse().expect("a port number"))
}

fn main() {
    if std::env::args().any(|a| a == "--serve") {
        return serve();
    }
    let (mut server, port) = start_server();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let clients = Arc::new(Clients::new(&format!("http://127.0.0.1:{port}")));
        let cases = [Client::Reqwest, Client::Token, Client::AkSk];
        // `DBPLANE_BENCH_PROFILE=token` (or `reqwest`, `aksk`): that client's list calls
        // only, for a profiler (`perf record`, `heaptrack`, `valgrind --tool=callgrind`);
        // `DBPLANE_BENCH_CALL=stop` for stop calls, `DBPLANE_BENCH_CALLS=N` for N of them.
        if let Ok(only) = std::env::var("DBPLANE_BENCH_PROFILE") {
            let client = cases
                .into_iter()
                .find(|c| format!("{c:?}").eq_ignore_ascii_case(&only))
                .expect("reqwest, token or aksk");
            let call = match std::env::var("DBPLANE_BENCH_CALL").as_deref() {
                Ok("stop") => Call::Stop,
                _ => Call::List,
            };
            let calls = std::env::var("DBPLANE_BENCH_CALLS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(20_000);
            let (cpu, allocations) = measure(&clients, client, call, 1, calls).await;
            println!("{client:?} {call:?}: {cpu:.1} µs, {allocations:.1} allocations per call");
            return;
        }
        // What each call moves as it is awaited: its future's size.
        let list = clients.by_token.list_instances().project_id(PROJECT).send().outcome();
        let stop = clients.by_token.stop_instance().project_id(PROJECT).instance_id(INSTANCE);
        let stop = stop.send().outcome();
        println!(
            "future of a call, bytes: list_instances {}, stop_instance {}",
            std::mem::size_of_val(&list),
            std::mem::size_of_val(&stop)
        );
        drop((list, stop));
        // Many short interleaved rounds: a ratio is taken within each round (the three
        // clients measured back to back), so that a busy machine slows every client of a
        // round alike; the median round is reported.
        let rounds = 21;
        println!(
            "call, concurrency, client, CPU µs/call (median), allocations/call, CPU ratio (median of rounds), CPU ratio (fastest rounds), extra allocations"
        );
        let median = |mut values: Vec<f64>| {
            values.sort_by(f64::total_cmp);
            values[values.len() / 2]
        };
        for call in [Call::List, Call::Stop] {
            for concurrency in [1, 32] {
                let mut cpu = vec![Vec::new(); cases.len()];
                let mut allocations = vec![Vec::new(); cases.len()];
                let mut ratios = vec![Vec::new(); cases.len()];
                for r in 0..rounds {
                    // Each round starts with another client, so that none is always measured
                    // first (or last); the results are kept in `cases` order.
                    let round: Vec<(f64, f64)> = {
                        let mut round = vec![(0.0, 0.0); cases.len()];
                        for k in 0..cases.len() {
                            let i = (r + k) % cases.len();
                            round[i] =
                                measure(&clients, cases[i], call, concurrency, 3_200).await;
                        }
                        round
                    };
                    for (i, (c, a)) in round.iter().enumerate() {
                        cpu[i].push(*c);
                        allocations[i].push(*a);
                        ratios[i].push(c / round[0].0);
                    }
                }
                let peer_allocations = median(allocations[0].clone());
                let fastest = |values: &[f64]| values.iter().copied().fold(f64::INFINITY, f64::min);
                for (i, client) in cases.into_iter().enumerate() {
                    let allocations = median(allocations[i].clone());
                    println!(
                        "{call:?}, {concurrency}, {client:?}, {:.1}, {allocations:.1}, {:.2}, {:.2}, {:+.1}",
                        median(cpu[i].clone()),
                        median(ratios[i].clone()),
                        fastest(&cpu[i]) / fastest(&cpu[0]),
                        allocations - peer_allocations
                    );
                }
            }
        }
    });
    let _ = server.kill();
    let _ = server.wait();
}
