//! `cargo xtask conformance sigv4 DIR`: botocore's aws4_testsuite and
//! aws-c-auth's v4 and v4a suites, run by `boto_core::auth::conformance`.
//!
//! DIR is the `sigv4` folder of the conformance data (holding
//! `aws4_testsuite/` and `aws-c-auth/`). One line per suite folder, the
//! failures with what differed, then the total.

use std::path::Path;

use anyhow::{bail, Result};
use boto_core::auth::conformance::{run_all, Outcome};

use super::Tally;

pub fn run(dir: &Path) -> Result<Tally> {
    let reports = run_all(dir);
    if reports.is_empty() {
        bail!("{} holds neither aws4_testsuite/ nor aws-c-auth/{{v4,v4a}}/", dir.display());
    }
    let mut total = Tally::default();
    for report in &reports {
        let (passed, failed, skipped) = report.counts();
        let skipped_note = if skipped > 0 { format!(", {skipped} skipped") } else { String::new() };
        println!("{}: {passed} passed, {failed} failed{skipped_note}", report.suite);
        for case in &report.cases {
            match &case.outcome {
                Outcome::Failed(why) => println!("  FAIL {}: {why}", case.name),
                Outcome::Skipped(why) => println!("  skip {}: {why}", case.name),
                Outcome::Passed => {
                    if let Some(note) = &case.note {
                        println!("  pass {}: {note}", case.name);
                    }
                }
            }
        }
        total += Tally { passed, failed, skipped };
    }
    let skipped_note = if total.skipped > 0 { format!(", {} skipped", total.skipped) } else { String::new() };
    println!("{} passed, {} failed{skipped_note}", total.passed, total.failed);
    Ok(total)
}
