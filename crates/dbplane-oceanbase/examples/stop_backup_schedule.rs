//! Stops backup scheduling for an OCP tenant, configured from the environment.
//!
//! ```text
//! OCP_URL=http://ocp-host:8080 OCP_ACCESS_KEY_ID=… OCP_ACCESS_KEY_SECRET=… \
//!   cargo run -p dbplane-oceanbase --example stop_backup_schedule -- <cluster_id> <tenant_id>
//! ```

use std::process::ExitCode;

use dbplane_oceanbase::{ocp, CallExt, ConfigError, Credentials, ServiceClient};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<i64>());
    let (Some(Ok(cluster_id)), Some(Ok(tenant_id))) = (args.next(), args.next()) else {
        eprintln!("usage: stop_backup_schedule <cluster_id> <tenant_id> (integers)");
        return ExitCode::from(2);
    };
    let url = std::env::var("OCP_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    let credentials = Credentials::ocp_from_env();
    let (url, credentials) = match (url, credentials) {
        (Some(url), Ok(credentials)) => (url, credentials),
        (url, credentials) => {
            let mut missing = Vec::new();
            if url.is_none() {
                missing.push("OCP_URL".to_string());
            }
            if let Err(ConfigError::MissingEnv(names)) = credentials {
                missing.extend(names);
            }
            eprintln!("{}", ConfigError::MissingEnv(missing));
            return ExitCode::from(2);
        }
    };
    let client = match ocp::Client::with_endpoint(&url, credentials) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    match client
        .stop_backup_schedule()
        .id(cluster_id)
        .tenant_id(tenant_id)
        .send()
        .outcome()
        .await
    {
        Ok(answer) => {
            println!(
                "stopped; trace {}",
                answer.trace_id.as_deref().unwrap_or("(none)")
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
