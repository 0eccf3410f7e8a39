//! Stops a DBSS database O&M instance, configured from the environment.
//!
//! ```text
//! HUAWEICLOUD_SDK_AK=… HUAWEICLOUD_SDK_SK=… HUAWEICLOUD_SDK_PROJECT_ID=… \
//!   cargo run -p dbplane-huaweicloud --example stop_db_om_instance -- ap-southeast-1 <instance_id>
//! ```

use std::process::ExitCode;

use dbplane_huaweicloud::{dbss, CallExt, ConfigError, Credentials, ServiceClient};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(region), Some(instance_id)) = (args.next(), args.next()) else {
        eprintln!("usage: stop_db_om_instance <region> <instance_id>");
        return ExitCode::from(2);
    };
    let credentials = match Credentials::huaweicloud_from_env() {
        Ok(credentials) => credentials,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let Some(project_id) = credentials.project_id().map(str::to_string) else {
        eprintln!(
            "{}",
            ConfigError::MissingEnv(vec!["HUAWEICLOUD_SDK_PROJECT_ID".into()])
        );
        return ExitCode::from(2);
    };
    let client = match dbss::Client::for_region(&region, credentials) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let call = client
        .stop_db_om_instance()
        .project_id(project_id.as_str())
        .instance_id(instance_id.as_str())
        .send()
        .outcome()
        .await;
    match call {
        Ok(answer) => {
            println!("result: {}", answer.result.as_deref().unwrap_or("(none)"));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
