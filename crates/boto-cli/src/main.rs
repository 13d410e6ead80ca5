//! `boto`: a command line for every AWS operation, in the style of aws-cli.
//!
//! ```text
//! boto call dynamodb GetItem --params '{"TableName": "t", "Key": {"id": {"S": "1"}}}'
//! boto call dynamodb ListTables --query 'TableNames[0]'
//! boto paginate s3 ListObjectsV2 --params '{"Bucket": "b"}' --max-items 100 --query 'Contents[].Key'
//! boto wait dynamodb table_exists --params '{"TableName": "t"}' --delay 1 --max-attempts 30
//! boto s3 cp big.iso s3://bucket/isos/
//! boto s3 presign s3://bucket/isos/big.iso --expires-in 600
//! ```
//!
//! Exit codes follow aws-cli: 0 on success, 255 when the call fails, 252
//! for bad command-line usage.

mod call;
mod common;
mod paginate;
mod query;
mod s3;
mod wait;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A command line for every AWS operation.
#[derive(Debug, Parser)]
#[command(name = "boto", version, about = "A command line for every AWS operation (boto-rs)")]
struct Cli {
    #[command(flatten)]
    global: common::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Call one operation of a service and print the result as JSON.
    Call(call::CallArgs),
    /// Read every page of an operation and print the aggregated result.
    Paginate(paginate::PaginateArgs),
    /// Wait until a waiter's success state (exit 0), else exit 255.
    Wait(wait::WaitArgs),
    /// S3 transfers and presigned URLs: `cp`, `presign`.
    S3(s3::S3Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let usage = e.use_stderr();
            let _ = e.print();
            return if usage { ExitCode::from(common::EXIT_USAGE) } else { ExitCode::SUCCESS };
        }
    };
    common::init_logging(cli.global.debug);
    let result = match &cli.command {
        Command::Call(args) => call::run(&cli.global, args),
        Command::Paginate(args) => paginate::run(&cli.global, args),
        Command::Wait(args) => wait::run(&cli.global, args),
        Command::S3(args) => s3::run(&cli.global, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}
