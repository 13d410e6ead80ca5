//! `boto paginate SERVICE OPERATION`: every page of an operation,
//! aggregated as boto3's `build_full_result` (with `NextToken` when
//! `--max-items` stopped early; pass it to `--starting-token` to go on).

use boto_core::paginate::{PaginationConfig, PaginationError};

use crate::common::{self, CliError, GlobalArgs};
use crate::query;

/// `boto paginate SERVICE OPERATION [--params JSON] [--max-items N]
/// [--page-size N] [--starting-token T] [--query EXPR]`.
#[derive(Debug, clap::Args)]
pub struct PaginateArgs {
    /// The service (botocore's name: s3, dynamodb, ec2, ...).
    pub service: String,
    /// The operation (ListObjectsV2 or list_objects_v2).
    pub operation: String,
    /// The parameters as JSON, or @file.json.
    #[arg(long)]
    pub params: Option<String>,
    /// Stop after this many items; the output then has a NextToken.
    #[arg(long)]
    pub max_items: Option<u64>,
    /// Ask the service for pages of this many items.
    #[arg(long)]
    pub page_size: Option<u64>,
    /// Resume from the NextToken of an earlier run.
    #[arg(long)]
    pub starting_token: Option<String>,
    /// A JMESPath expression over the aggregated result.
    #[arg(long)]
    pub query: Option<String>,
}

pub fn run(global: &GlobalArgs, args: &PaginateArgs) -> Result<(), CliError> {
    query::check(args.query.as_deref())?;
    let params = common::read_params(args.params.as_deref())?;
    let client = common::client(global, &args.service)?;
    client.as_async().operation_name(&args.operation).map_err(|e| CliError::Usage(e.to_string()))?;
    let config = PaginationConfig {
        max_items: args.max_items,
        page_size: args.page_size,
        starting_token: args.starting_token.clone(),
    };
    let pages = client.paginate(&args.operation, params, config).map_err(|e| match e {
        boto_core::Error::Pagination(
            p @ (PaginationError::NotPageable { .. }
            | PaginationError::PageSizeNotSupported
            | PaginationError::BadStartingToken(_)),
        ) => CliError::Usage(p.to_string()),
        other => CliError::Call(other),
    })?;
    let result = pages.build_full_result()?;
    common::print_json(&query::apply(args.query.as_deref(), result)?)
}
