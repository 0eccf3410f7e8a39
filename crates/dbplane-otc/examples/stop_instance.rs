//! Stops an Open Telekom Cloud RDS instance, configured from the environment.
//!
//! ```text
//! OS_AUTH_TOKEN=… OS_PROJECT_ID=… \
//!   cargo run -p dbplane-otc --example stop_instance -- eu-de <instance_id>
//! ```

use std::process::ExitCode;

use dbplane_otc::{rds, CallExt, ConfigError, Credentials, ServiceClient};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(region), Some(instance_id)) = (args.next(), args.next()) else {
        eprintln!("usage: stop_instance <region> <instance_id>");
        return ExitCode::from(2);
    };
    let credentials = match Credentials::otc_from_env() {
        Ok(credentials) => credentials,
        Err(error) => {
            eprintln!("{error} (set OS_AUTH_TOKEN, or OS_ACCESS_KEY and OS_SECRET_KEY)");
            return ExitCode::from(2);
        }
    };
    let Some(project_id) = credentials.project_id().map(str::to_string) else {
        eprintln!("{}", ConfigError::MissingEnv(vec!["OS_PROJECT_ID".into()]));
        return ExitCode::from(2);
    };
    let client = match rds::Client::for_region(&region, credentials) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let call = client
        .stop_instance()
        .project_id(project_id.as_str())
        .instance_id(instance_id.as_str())
        .send()
        .outcome()
        .await;
    match call {
        Ok(job) => {
            println!("job_id: {}", job.job_id.as_deref().unwrap_or("(none)"));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
