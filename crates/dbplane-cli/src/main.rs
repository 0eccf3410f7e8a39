//! `dbplane`: run a documented control-plane operation, or serve a mock of the specs.

mod context;
mod output;
mod progress;

#[allow(clippy::all)]
#[rustfmt::skip]
#[path = "generated/commands.rs"]
mod commands;

use std::io::Write;
use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use dbplane_mock::SpecMock;
use serde_json::Value;

use context::{CliError, Context};
use output::print_out;

const AFTER_HELP: &str = "Credentials come from the environment, never from flags; a missing secret is asked for
on the terminal, without echo (never when CI is set). When several kinds are set, the first
listed is used and stderr says so:
  Huawei Cloud        HUAWEICLOUD_SDK_AUTH_TOKEN (IAM token), or HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK
                      (and HUAWEICLOUD_SDK_SECURITY_TOKEN); HUAWEICLOUD_SDK_PROJECT_ID
  Open Telekom Cloud  OS_AUTH_TOKEN, or OS_ACCESS_KEY, OS_SECRET_KEY; OS_PROJECT_ID
  OceanBase OCP       OCP_URL; OCP_ACCESS_KEY_ID, OCP_ACCESS_KEY_SECRET, or OCP_USERNAME, OCP_PASSWORD

Logs go to stderr: -v (info), -vv (debug: attempts, waits, request ids), -vvv (trace), or
RUST_LOG. No secret is ever logged.

Exit codes: 0 success, 2 usage, 3 authentication, 4 vendor error (or --wait reached a failure
state), 5 transport (or a list that does not end as it says), 6 --wait timed out.";

fn cli() -> Command {
    Command::new("dbplane")
        .about("Run OceanBase OCP, Huawei Cloud and Open Telekom Cloud database control-plane operations")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(AFTER_HELP)
        .arg(verbose_arg())
        // The call options belong to the vendors' commands: `mock --help` does not list them.
        .subcommands(
            commands::vendor_commands()
                .into_iter()
                .map(|vendor| vendor.args(call_args())),
        )
        .subcommand(mock_command())
        .subcommand(completions_command())
        .subcommand(man_command())
}

fn man_command() -> Command {
    Command::new("man")
        .hide(true)
        .about("Write the man pages (dbplane.1, dbplane-otc.1, dbplane-otc-rds.1…) into DIR")
        .arg(
            Arg::new("dir")
                .value_name("DIR")
                .required(true)
                .value_parser(clap::value_parser!(std::path::PathBuf)),
        )
}

/// Writes a man page for the program, each vendor and each service into the folder given
/// (operations are listed on their service's page).
fn write_man_pages(matches: &ArgMatches) -> Result<(), CliError> {
    let dir = matches
        .get_one::<std::path::PathBuf>("dir")
        .ok_or_else(|| CliError::Usage("no folder given".into()))?;
    let io = |e: std::io::Error| CliError::Usage(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut root = cli();
    root.build();
    let mut pages = vec![("dbplane".to_string(), root.clone())];
    let listed = |c: &&Command| !c.is_hide_set() && c.get_name() != "help";
    for vendor in root.get_subcommands().filter(listed) {
        let vendor_name = format!("dbplane-{}", vendor.get_name());
        for service in vendor.get_subcommands().filter(listed) {
            pages.push((
                format!("{vendor_name}-{}", service.get_name()),
                service.clone(),
            ));
        }
        pages.push((vendor_name, vendor.clone()));
    }
    let mut written = 0;
    for (name, command) in pages {
        let command = command.name(name.clone());
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(io)?;
        std::fs::write(dir.join(format!("{name}.1")), page).map_err(io)?;
        written += 1;
    }
    print_out(&format!("{written} man pages in {}\n", dir.display()))
}

fn completions_command() -> Command {
    Command::new("completions")
        .about("Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell)")
        .long_about("Print the completion script for SHELL on stdout, e.g. `dbplane completions bash > ~/.local/share/bash-completion/completions/dbplane`, or `source <(dbplane completions zsh)`.")
        .arg(Arg::new("shell").value_name("SHELL").required(true).value_parser(clap::value_parser!(clap_complete::Shell)))
}

/// Writes the completion script of the whole command tree for `shell`.
fn print_completions(matches: &ArgMatches) -> Result<(), CliError> {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .ok_or_else(|| CliError::Usage("no shell given".into()))?;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli(), "dbplane", &mut script);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&script)
        .and_then(|()| stdout.flush())
        .map_err(CliError::Output)
}

/// The largest `--now`: 9999-12-31T23:59:59Z, the last date HTTP can express.
const MAX_UNIX_SECONDS: u64 = 253_402_300_799;

/// `-v`, for every command (the mock logs too).
fn verbose_arg() -> Arg {
    Arg::new("verbose")
        .short('v')
        .long("verbose")
        .action(ArgAction::Count)
        .global(true)
        .help_heading("Global options")
        .help("Log to stderr: -v info, -vv debug, -vvv trace (or RUST_LOG)")
}

/// The options of every call, under each vendor's command.
fn call_args() -> [Arg; 11] {
    // Apart from each operation's own flags in every `--help`.
    let global = |arg: Arg| arg.global(true).help_heading("Global options");
    let max_retries = i64::from(dbplane_core::RetryPolicy::MAX_ATTEMPTS - 1);
    [
        global(Arg::new("region").long("region").value_name("REGION").help("Region, e.g. eu-de or ap-southeast-1 (sets the host from the spec)")),
        global(Arg::new("endpoint").long("endpoint").value_name("URL").help("Base URL to use instead of the region's (private endpoint, proxy, mock, OCP server)")),
        global(Arg::new("project-id").long("project-id").value_name("ID").help("Project ID; defaults to the credentials' project")),
        global(Arg::new("timeout").long("timeout").value_name("SECONDS").value_parser(clap::value_parser!(u64).range(1..=3600)).default_value("30").help("Time allowed per attempt (1 to 3600)")),
        global(Arg::new("deadline").long("deadline").value_name("SECONDS").value_parser(clap::value_parser!(u64).range(1..=86400)).default_value("90").help("Time allowed for the whole call, every attempt and wait included")),
        global(Arg::new("retries").long("retries").value_name("N").value_parser(clap::value_parser!(u32).range(0..=max_retries)).default_value("2").help("Retries on throttling and connection failures (and gateway errors, for operations safe to repeat); at most 9")),
        global(Arg::new("output").long("output").value_parser(["json", "yaml", "text", "table"]).default_value("json").help("How to print the answer: json, yaml, text (path: value lines) or table (a list's items as rows)")),
        global(Arg::new("query").long("query").value_name("JMESPATH").help("Print only what this JMESPath expression selects, e.g. 'instances[?status==`ACTIVE`].id' (as the aws CLI's --query)")),
        global(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Print the exact signed request (secrets masked) and send nothing")),
        global(Arg::new("poll-ms").long("poll-ms").value_name("MILLISECONDS").value_parser(clap::value_parser!(u64).range(1..=60_000)).hide(true).help("Delay between --wait polls (tests)")),
        global(Arg::new("now").long("now").value_name("UNIX_SECONDS").value_parser(clap::value_parser!(u64).range(0..=MAX_UNIX_SECONDS)).hide(true)),
    ]
}

fn mock_command() -> Command {
    Command::new("mock")
        .about("Serve every operation of the specs on 127.0.0.1 with its documented sample answer")
        .long_about("Serve every operation of the given specs (default: all of dbplane's) on 127.0.0.1, answering each with its documented sample response and refusing, with a 4xx JSON explanation, requests whose method, path, path parameters, credentials or body break the spec. Logs one line per request.")
        .arg(Arg::new("spec").long("spec").value_name("FILE").action(ArgAction::Append).help("An OpenAPI spec (YAML or JSON); repeat for several"))
        .arg(Arg::new("port").long("port").value_name("N").value_parser(clap::value_parser!(u16)).default_value("0").help("Port to listen on (0: any free port)"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging(&matches);
    let result = match matches.subcommand() {
        Some(("mock", mock)) => serve_mock(mock).await,
        Some(("completions", shell)) => print_completions(shell),
        Some(("man", man)) => write_man_pages(man),
        Some((vendor, vendor_matches)) => run_operation(vendor, vendor_matches).await,
        None => Err(CliError::Usage("no command given; see --help".into())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`dbplane … | head`) is not a failure to report.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            // stderr may be closed too: nothing to do then but exit with the code.
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Logs to stderr: `RUST_LOG` if set, else the level `-v` asks for (nothing without it).
fn init_logging(matches: &ArgMatches) {
    use tracing_subscriber::EnvFilter;
    let level = match matches.get_count("verbose") {
        0 => return init_from_env(),
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(level))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

fn init_from_env() {
    if std::env::var_os("RUST_LOG").is_none() {
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

async fn run_operation(vendor: &str, vendor_matches: &ArgMatches) -> Result<(), CliError> {
    let missing = || CliError::Usage("incomplete command; see --help".into());
    let (service, service_matches) = vendor_matches.subcommand().ok_or_else(missing)?;
    let (operation, matches) = service_matches.subcommand().ok_or_else(missing)?;
    let ctx = Context::from_matches(matches)?;
    let answer = commands::run(&ctx, (vendor, service, operation), matches).await;
    if let Some(sink) = &ctx.dry_run {
        let requests = sink.requests();
        if !requests.is_empty() {
            return print_out(&requests.join("\n"));
        }
    }
    let answer = answer?;
    if ctx.printed() {
        return Ok(());
    }
    print_out(&ctx.output.render(&answer)?)
}

async fn serve_mock(matches: &ArgMatches) -> Result<(), CliError> {
    let mut mock = SpecMock::new().logging(true);
    let files: Vec<&String> = matches
        .get_many::<String>("spec")
        .into_iter()
        .flatten()
        .collect();
    if files.is_empty() {
        for spec in [
            dbplane_huaweicloud::dbss::SPEC_JSON,
            dbplane_huaweicloud::dws::SPEC_JSON,
            dbplane_oceanbase::ocp::SPEC_JSON,
            dbplane_otc::rds::SPEC_JSON,
            dbplane_otc::geminidb::SPEC_JSON,
            dbplane_otc::opengauss::SPEC_JSON,
        ] {
            mock = mock.with_spec_json(spec).map_err(CliError::Usage)?;
        }
    }
    for file in files {
        let text =
            std::fs::read_to_string(file).map_err(|e| CliError::Usage(format!("{file}: {e}")))?;
        let spec: Value = serde_norway::from_str(&text)
            .map_err(|e| CliError::Usage(format!("{file}: not YAML or JSON: {e}")))?;
        mock = mock
            .with_spec(spec)
            .map_err(|e| CliError::Usage(format!("{file}: {e}")))?;
    }
    let port = matches.get_one::<u16>("port").copied().unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| CliError::Usage(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let server = mock
        .start_on(listener)
        .await
        .map_err(|e| CliError::Usage(format!("cannot serve on 127.0.0.1:{port}: {e}")))?;
    print_out(&format!("dbplane mock listening on {}\n", server.uri()))?;
    let _ = tokio::signal::ctrl_c().await;
    Ok(())
}
