//! `boto wait SERVICE WAITER_NAME`: polls until the waiter's success
//! state; exit 0 then, 255 with the waiter's error on stderr otherwise.

use std::time::Duration;

use boto_core::waiter::WaiterConfig;

use crate::common::{self, CliError, GlobalArgs};

/// `boto wait SERVICE WAITER_NAME [--params JSON] [--delay S]
/// [--max-attempts N]`.
#[derive(Debug, clap::Args)]
pub struct WaitArgs {
    /// The service (botocore's name: s3, dynamodb, ec2, ...).
    pub service: String,
    /// The waiter (table_exists or TableExists).
    pub waiter: String,
    /// The parameters of the waiter's operation as JSON, or @file.json.
    #[arg(long)]
    pub params: Option<String>,
    /// Seconds between attempts (the waiter's own delay otherwise).
    #[arg(long)]
    pub delay: Option<f64>,
    /// The most attempts (the waiter's own maximum otherwise).
    #[arg(long)]
    pub max_attempts: Option<u32>,
}

pub fn run(global: &GlobalArgs, args: &WaitArgs) -> Result<(), CliError> {
    let params = common::read_params(args.params.as_deref())?;
    let delay = match args.delay {
        None => None,
        Some(s) => Some(
            Duration::try_from_secs_f64(s)
                .map_err(|_| CliError::Usage(format!("--delay must be a number of seconds, got {s}")))?,
        ),
    };
    let client = common::client(global, &args.service)?;
    client.waiter_spec(&args.waiter).map_err(|e| CliError::Usage(e.to_string()))?;
    client.wait(&args.waiter, params, WaiterConfig { delay, max_attempts: args.max_attempts })?;
    Ok(())
}
