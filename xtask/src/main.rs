//! Project tasks: `cargo xtask <command>`.
//!
//! - `models [--check]`: regenerate (or verify) the embedded model bundle.
//! - `conformance <suite> DIR`: run an upstream conformance suite.
//! - `stats`: counts of services, operations, paginators, waiters and
//!   resource models in the embedded bundle, as one JSON line.

mod conformance;
mod models;
mod stats;

use std::path::PathBuf;

use anyhow::{bail, Result};

fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["models"] => models::run(&root(), false),
        ["models", "--check"] => models::run(&root(), true),
        ["stats"] => stats::run(),
        ["conformance", rest @ ..] => conformance::run(rest),
        _ => bail!(
            "usage: cargo xtask <command>\n  models [--check]   regenerate or verify models/models.bin\n  stats              count what the embedded bundle holds\n  conformance <suite> DIR   run an upstream conformance suite"
        ),
    }
}
