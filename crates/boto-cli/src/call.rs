//! `boto call SERVICE OPERATION`.

use std::path::PathBuf;

use crate::common::{self, CliError, GlobalArgs};
use crate::query;

/// `boto call SERVICE OPERATION [--params JSON | --params @file.json]`.
#[derive(Debug, clap::Args)]
pub struct CallArgs {
    /// The service (botocore's name: s3, dynamodb, ec2, ...).
    pub service: String,
    /// The operation (GetItem or get_item).
    pub operation: String,
    /// The parameters as JSON, or @file.json.
    #[arg(long)]
    pub params: Option<String>,
    /// Keep ResponseMetadata in the output.
    #[arg(long)]
    pub include_metadata: bool,
    /// Write a streaming body (S3 GetObject's Body) to this file.
    #[arg(long)]
    pub outfile: Option<PathBuf>,
    /// A JMESPath expression over the result (as aws-cli's --query).
    #[arg(long)]
    pub query: Option<String>,
}

pub fn run(global: &GlobalArgs, args: &CallArgs) -> Result<(), CliError> {
    query::check(args.query.as_deref())?;
    let params = common::read_params(args.params.as_deref())?;
    let client = common::client(global, &args.service)?;
    client.as_async().operation_name(&args.operation).map_err(|e| CliError::Usage(e.to_string()))?;
    let mut result = client.call(&args.operation, params)?;
    common::save_streams(&client, &mut result, args.outfile.as_ref())?;
    if !args.include_metadata {
        result.remove("ResponseMetadata");
    }
    common::print_json(&query::apply(args.query.as_deref(), result)?)
}
