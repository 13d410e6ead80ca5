//! `cargo xtask conformance <suite> DIR`: runs an upstream conformance suite
//! and ends with a summary line.

pub mod endpoints;
pub mod jmespath;
pub mod protocols;
pub mod sigv4;

use anyhow::{bail, Result};

/// Counts of one run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.passed += o.passed;
        self.failed += o.failed;
        self.skipped += o.skipped;
    }
}

pub fn run(args: &[&str]) -> Result<()> {
    let (suite, dir) = match args {
        [suite, dir] => (*suite, std::path::Path::new(dir)),
        _ => bail!("usage: cargo xtask conformance <protocols> DIR"),
    };
    if !dir.is_dir() {
        bail!("{} is not a directory", dir.display());
    }
    let tally = match suite {
        "protocols" => protocols::run(dir)?,
        "sigv4" => sigv4::run(dir)?,
        "jmespath" => jmespath::run(dir)?,
        "endpoints" => endpoints::run_endpoints(dir)?,
        "rules-engine" => endpoints::run_rules_engine(dir)?,
        other => bail!("unknown conformance suite {other:?}"),
    };
    if tally.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}
