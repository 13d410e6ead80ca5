//! The botocore protocol suites: DIR/input, DIR/output and DIR/legacy/{input,
//! output}, with DIR/protocol-tests-ignore-list.json naming the only cases
//! that may be skipped.

mod input;
mod output;

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use boto_core::model::ServiceModel;
use serde_json::{json, Value as Json};

use super::Tally;

/// One case with everything needed to run it.
pub struct Case<'a> {
    /// The suite (metadata, shapes, clientEndpoint, description).
    pub suite: &'a Json,
    /// The case itself (given, params/serialized or response/result...).
    pub case: &'a Json,
    /// A one-operation service built from the suite and the case.
    pub model: ServiceModel,
    /// The operation's name.
    pub operation: String,
}

struct IgnoreList {
    suites: HashSet<String>,
    cases: HashSet<(String, String, String)>,
}

impl IgnoreList {
    fn load(dir: &Path) -> Result<IgnoreList> {
        let path = dir.join("protocol-tests-ignore-list.json");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let doc: Json = serde_json::from_str(&text)?;
        let strings = |v: &Json| -> Vec<String> {
            v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default()
        };
        let mut suites = HashSet::new();
        for direction in ["input", "output"] {
            suites
                .extend(strings(&doc["general"][direction]["suites"]).into_iter().map(|s| format!("{direction}:{s}")));
        }
        let mut cases = HashSet::new();
        if let Some(protocols) = doc["protocols"].as_object() {
            for (file, dirs) in protocols {
                for direction in ["input", "output"] {
                    for id in strings(&dirs[direction]["cases"]) {
                        cases.insert((file.clone(), direction.to_owned(), id));
                    }
                }
            }
        }
        Ok(IgnoreList { suites, cases })
    }

    fn skips(&self, file: &str, direction: &str, suite: &Json, case: &Json) -> bool {
        let description = suite["description"].as_str().unwrap_or_default();
        if self.suites.contains(&format!("{direction}:{description}")) {
            return true;
        }
        let id = case["id"].as_str().unwrap_or_default();
        !id.is_empty() && self.cases.contains(&(file.to_owned(), direction.to_owned(), id.to_owned()))
    }
}

fn build_model(file: &str, suite: &Json, case: &Json) -> Result<(ServiceModel, String)> {
    let given = &case["given"];
    let name = given["name"].as_str().unwrap_or("OperationName").to_owned();
    let doc = json!({
        "metadata": suite["metadata"],
        "operations": { name.clone(): given },
        "shapes": suite.get("shapes").cloned().unwrap_or_else(|| json!({})),
    });
    let version = suite["metadata"]["apiVersion"].as_str().unwrap_or("2000-01-01");
    let model = ServiceModel::from_bytes("conformance", version, file, serde_json::to_vec(&doc)?)?;
    Ok((model, name))
}

pub fn run(dir: &Path) -> Result<Tally> {
    let ignore = IgnoreList::load(dir)?;
    let mut total = Tally::default();
    for (sub, direction) in
        [("input", "input"), ("output", "output"), ("legacy/input", "input"), ("legacy/output", "output")]
    {
        let folder = dir.join(sub);
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .with_context(|| format!("reading {}", folder.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for path in files {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let label = format!("{sub}/{stem}.json");
            let suites: Json = serde_json::from_str(&std::fs::read_to_string(&path)?)
                .with_context(|| format!("parsing {}", path.display()))?;
            let mut tally = Tally::default();
            let mut failures = Vec::new();
            for suite in suites.as_array().into_iter().flatten() {
                for (i, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
                    if ignore.skips(&stem, direction, suite, case) {
                        tally.skipped += 1;
                        continue;
                    }
                    let outcome = build_model(&label, suite, case).map_err(|e| format!("{e:#}")).and_then(
                        |(model, operation)| {
                            let case = Case { suite, case, model, operation };
                            if direction == "input" {
                                input::run_case(&case)
                            } else {
                                output::run_case(&case)
                            }
                        },
                    );
                    match outcome {
                        Ok(()) => tally.passed += 1,
                        Err(why) => {
                            tally.failed += 1;
                            let id = case["id"].as_str().map(str::to_owned).unwrap_or_else(|| {
                                format!("{} #{i}", suite["description"].as_str().unwrap_or("suite"))
                            });
                            failures.push(format!("  FAIL {id}: {why}"));
                        }
                    }
                }
            }
            println!("{label}: {} passed, {} failed, {} skipped", tally.passed, tally.failed, tally.skipped);
            for f in &failures {
                println!("{f}");
            }
            total += tally;
        }
    }
    println!("{} passed, {} failed, {} skipped", total.passed, total.failed, total.skipped);
    Ok(total)
}
