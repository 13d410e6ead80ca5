//! Runs the JMESPath compliance suite (the `jmespath/` folder of the
//! conformance data: files of `{given, cases: [{expression, result |
//! error}]}`) against this module. Used by `cargo xtask conformance
//! jmespath DIR` and by the crate's tests.

use std::path::Path;

use super::{compile, values_equal};
use crate::value::Value;

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// The file the case is in (`functions.json`).
    pub file: String,
    /// The expression.
    pub expression: String,
    /// `None` when the case passed, else what differed.
    pub failure: Option<String>,
}

/// Runs every case of one compliance file.
///
/// ```no_run
/// let outcomes = boto_core::jmes::conformance::run_file(std::path::Path::new("jmespath/basic.json")).unwrap();
/// assert!(outcomes.iter().all(|o| o.failure.is_none()));
/// ```
pub fn run_file(path: &Path) -> Result<Vec<CaseOutcome>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let groups: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = Vec::new();
    for group in groups.as_array().ok_or_else(|| format!("{file}: not a list of groups"))? {
        let given = Value::from(group.get("given").cloned().unwrap_or(serde_json::Value::Null));
        for case in group.get("cases").and_then(|c| c.as_array()).into_iter().flatten() {
            let expression = case.get("expression").and_then(|e| e.as_str()).unwrap_or_default().to_owned();
            let failure = run_case(&expression, &given, case);
            out.push(CaseOutcome { file: file.clone(), expression, failure });
        }
    }
    Ok(out)
}

fn run_case(expression: &str, given: &Value, case: &serde_json::Value) -> Option<String> {
    let result = compile(expression).and_then(|e| e.search(given));
    match (case.get("error").and_then(|e| e.as_str()), case.get("result"), result) {
        (Some(kind), _, Err(e)) if e.kind() == kind => None,
        (Some(kind), _, Err(e)) => Some(format!("expected a {kind} error, got a {} error: {e}", e.kind())),
        (Some(kind), _, Ok(v)) => Some(format!("expected a {kind} error, got {v}")),
        (None, Some(expected), Ok(v)) => {
            let expected = Value::from(expected.clone());
            (!values_equal(&expected, &v)).then(|| format!("expected {expected}, got {v}"))
        }
        // Cases with neither result nor error (parse benchmarks) only
        // need to compile and run.
        (None, None, Ok(_)) => None,
        (None, _, Err(e)) => Some(format!("unexpected error: {e}")),
    }
}

/// Runs every `*.json` file of `dir`, in name order.
pub fn run_dir(dir: &Path) -> Result<Vec<CaseOutcome>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        out.extend(run_file(&f)?);
    }
    Ok(out)
}
