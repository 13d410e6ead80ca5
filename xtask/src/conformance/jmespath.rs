//! `cargo xtask conformance jmespath DIR`: the JMESPath compliance suite
//! (DIR holds its `*.json` files), run by `boto_core::jmes::conformance`.
//! One line per file, each failing case with what differed, then the
//! total.

use std::path::Path;

use anyhow::{anyhow, bail, Result};
use boto_core::jmes::conformance::run_dir;

use super::Tally;

pub fn run(dir: &Path) -> Result<Tally> {
    let outcomes = run_dir(dir).map_err(|e| anyhow!(e))?;
    if outcomes.is_empty() {
        bail!("{} holds no JMESPath compliance files", dir.display());
    }
    let mut total = Tally::default();
    let mut files: Vec<&str> = outcomes.iter().map(|o| o.file.as_str()).collect();
    files.dedup();
    for file in files {
        let cases: Vec<_> = outcomes.iter().filter(|o| o.file == file).collect();
        let failed = cases.iter().filter(|o| o.failure.is_some()).count();
        println!("{file}: {} passed, {failed} failed", cases.len() - failed);
        for case in cases.iter().filter(|o| o.failure.is_some()) {
            println!("  FAIL {:?}: {}", case.expression, case.failure.as_deref().unwrap_or_default());
        }
        total += Tally { passed: cases.len() - failed, failed, skipped: 0 };
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    Ok(total)
}
