//! `cargo xtask conformance endpoints DIR`: every `DIR/<service>/endpoint-tests-1.json`
//! against the service's embedded rule set: params cases through the engine,
//! `operationInputs` cases through a real client call stopped at the signed
//! request.
//!
//! `cargo xtask conformance rules-engine DIR`: `DIR/test-cases/<name>.json`
//! against `DIR/valid-rules/<name>.json`.

use std::path::Path;

use anyhow::{anyhow, Result};
use boto_core::client::conformance::ClientCalls;
use boto_core::endpoint::conformance::{self, FileReport};

use super::Tally;

/// Failures printed per file; the rest are counted.
const SHOWN_FAILURES: usize = 10;

fn print(report: &FileReport) {
    let mark = if report.failed == 0 { "ok  " } else { "FAIL" };
    let inputs = match report.operation_inputs {
        0 => String::new(),
        n => format!("  ({n} operation inputs)"),
    };
    println!("{mark} {:<40} {:>5} passed {:>5} failed{inputs}", report.name, report.passed, report.failed);
    for f in report.failures.iter().take(SHOWN_FAILURES) {
        println!("       - {f}");
    }
    if report.failures.len() > SHOWN_FAILURES {
        println!("       ... and {} more", report.failures.len() - SHOWN_FAILURES);
    }
}

fn finish(reports: &[FileReport]) -> Tally {
    let mut tally = Tally::default();
    let mut inputs = 0;
    for r in reports {
        tally.passed += r.passed;
        tally.failed += r.failed;
        inputs += r.operation_inputs;
    }
    if inputs > 0 {
        println!("{inputs} operationInputs run through client calls stopped at the signed request");
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    tally
}

/// The per-service endpoint tests.
pub fn run_endpoints(dir: &Path) -> Result<Tally> {
    let mut calls = ClientCalls::default();
    let reports = conformance::run_endpoint_tests(dir, &mut calls, print).map_err(|e| anyhow!(e))?;
    Ok(finish(&reports))
}

/// The rules-engine tests.
pub fn run_rules_engine(dir: &Path) -> Result<Tally> {
    let reports = conformance::run_rules_engine_tests(dir, print).map_err(|e| anyhow!(e))?;
    Ok(finish(&reports))
}
