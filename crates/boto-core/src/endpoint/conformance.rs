//! Running botocore's endpoint conformance cases: the per-service
//! `endpoint-tests-1.json` files and the rules-engine cases. Shared by
//! `cargo xtask conformance endpoints|rules-engine` and the tests.
//!
//! A case is `{documentation, params?, expect: {endpoint: {url,
//! properties?, headers?}} | {error}, operationInputs?}`. Its `params` go
//! straight through the engine; each of its `operationInputs` is run
//! through a [`CallRunner`]: [`EngineCalls`] builds the parameters as a
//! client call would and resolves them; a full client can implement the
//! trait with a real call that stops at the signed request and report a
//! [`Observation::Request`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::{BuiltIns, Endpoint, EndpointResolver, Partitions, RuleSet};
use crate::model::Loader;
use crate::Value;

/// What a case's resolution produced.
#[derive(Debug, Clone)]
pub enum Observation {
    /// An endpoint straight from the engine: URL, headers and properties
    /// are compared exactly.
    Endpoint(Endpoint),
    /// A request a client was about to send: its URL must start with the
    /// expected URL and it must carry the first value of each expected
    /// header.
    Request {
        /// The full request URL.
        url: String,
        /// The request's headers.
        headers: Vec<(String, String)>,
    },
    /// The client refused the call before sending anything (botocore's
    /// end-to-end tests accept any such error where an error is expected:
    /// bucket-name validation runs before endpoint resolution).
    Refused(String),
}

/// One `operationInputs` entry of a case.
#[derive(Debug, Clone)]
pub struct OperationInput {
    /// The service (`s3`).
    pub service: String,
    /// The operation (`GetObject`).
    pub operation: String,
    /// `builtInParams`: these and only these builtIns are set.
    pub builtins: BuiltIns,
    /// `operationParams`: the call's input.
    pub params: Value,
}

/// Runs one operation input to an observation, or to the error message
/// resolution failed with.
pub trait CallRunner {
    /// Runs the call.
    fn call(&mut self, input: &OperationInput) -> Result<Observation, String>;
}

/// Runs operation inputs through [`EndpointResolver`]: the parameters a
/// client call would build, then the engine.
#[derive(Debug, Default)]
pub struct EngineCalls {
    resolvers: HashMap<String, Arc<EndpointResolver>>,
}

impl CallRunner for EngineCalls {
    fn call(&mut self, input: &OperationInput) -> Result<Observation, String> {
        let resolver = match self.resolvers.get(&input.service) {
            Some(r) => r.clone(),
            None => {
                let model =
                    Loader::embedded_only().service_model(&input.service, None).map_err(|e| format!("model: {e}"))?;
                let r = Arc::new(EndpointResolver::new(model).map_err(|e| format!("resolver: {e}"))?);
                self.resolvers.insert(input.service.clone(), r.clone());
                r
            }
        };
        let params = resolver
            .params_with_builtins(&input.operation, &input.params, &input.builtins, &IndexMap::new())
            .map_err(|e| e.to_string())?;
        resolver.rule_set().resolve(&params).map(Observation::Endpoint).map_err(|e| e.to_string())
    }
}

/// Compares an outcome with a case's `expect`, as botocore's tests do:
/// the URL exactly, properties and headers as equal maps (absent means
/// empty); or the exact error message.
pub fn check(expect: &Json, got: Result<Observation, String>) -> Result<(), String> {
    if let Some(message) = expect.get("error") {
        let message = message.as_str().unwrap_or_default();
        return match got {
            Err(m) if m == message => Ok(()),
            Err(m) => Err(format!("expected error {message:?}, got error {m:?}")),
            Ok(Observation::Refused(_)) => Ok(()),
            Ok(obs) => Err(format!("expected error {message:?}, got {}", describe(&obs))),
        };
    }
    let Some(want) = expect.get("endpoint") else { return Err("case expects neither endpoint nor error".into()) };
    let url = want.get("url").and_then(Json::as_str).unwrap_or_default();
    let empty = serde_json::Map::new();
    let want_props = want.get("properties").and_then(Json::as_object).unwrap_or(&empty);
    let want_headers = want.get("headers").and_then(Json::as_object).unwrap_or(&empty);
    let obs = got.map_err(|e| format!("expected {url}, got error {e:?}"))?;
    match obs {
        Observation::Endpoint(ep) => {
            if ep.url != url {
                return Err(format!("expected url {url}, got {}", ep.url));
            }
            if &*ep.properties != want_props {
                return Err(format!(
                    "properties differ: expected {}, got {}",
                    Json::Object(want_props.clone()),
                    Json::Object((*ep.properties).clone())
                ));
            }
            let got_headers: serde_json::Map<String, Json> = ep
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Json::Array(v.iter().cloned().map(Json::String).collect())))
                .collect();
            if &got_headers != want_headers {
                return Err(format!(
                    "headers differ: expected {}, got {}",
                    Json::Object(want_headers.clone()),
                    Json::Object(got_headers)
                ));
            }
        }
        Observation::Refused(why) => return Err(format!("expected {url}, the client refused: {why}")),
        Observation::Request { url: got_url, headers } => {
            if !got_url.starts_with(url) {
                return Err(format!("request url {got_url} does not start with {url}"));
            }
            for (name, values) in want_headers {
                let first = values.get(0).and_then(Json::as_str).unwrap_or_default();
                if !headers.iter().any(|(k, v)| k.eq_ignore_ascii_case(name) && v == first) {
                    return Err(format!("request lacks header {name}: {first}"));
                }
            }
        }
    }
    Ok(())
}

fn describe(obs: &Observation) -> String {
    match obs {
        Observation::Endpoint(ep) => format!("endpoint {}", ep.url),
        Observation::Request { url, .. } => format!("request to {url}"),
        Observation::Refused(why) => format!("refusal: {why}"),
    }
}

/// Bucket names botocore's end-to-end tests skip: botocore refuses them
/// before endpoint resolution.
const SKIPPED_BUCKETS: [&str; 2] = ["bucket name", "example.com#"];

/// Runs one case: its `params` through the engine, then each of its
/// `operationInputs` through `calls`. Returns how many operation inputs
/// ran; `Err` describes the first mismatch.
pub fn run_case(service: &str, rule_set: &RuleSet, case: &Json, calls: &mut dyn CallRunner) -> Result<usize, String> {
    let expect = case.get("expect").ok_or("case has no expect")?;
    let empty = serde_json::Map::new();
    let params = case.get("params").and_then(Json::as_object).unwrap_or(&empty);
    let got =
        rule_set.resolve(&rule_set.params_from_json(params)).map(Observation::Endpoint).map_err(|e| e.to_string());
    check(expect, got).map_err(|e| format!("params: {e}"))?;
    let mut ran = 0;
    for (i, op) in
        case.get("operationInputs").and_then(Json::as_array).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate()
    {
        let op_params = op.get("operationParams").cloned().unwrap_or_else(|| Json::Object(Default::default()));
        if op_params.get("Bucket").and_then(Json::as_str).is_some_and(|b| SKIPPED_BUCKETS.contains(&b)) {
            continue;
        }
        let operation = op.get("operationName").and_then(Json::as_str).unwrap_or_default();
        let builtins = match op.get("builtInParams").and_then(Json::as_object) {
            Some(b) => BuiltIns::from_json(b).map_err(|e| format!("operationInputs[{i}]: {e}"))?,
            None => BuiltIns::default(),
        };
        let input = OperationInput {
            service: service.to_owned(),
            operation: operation.to_owned(),
            builtins,
            params: Value::from(op_params),
        };
        check(expect, calls.call(&input)).map_err(|e| format!("operationInputs[{i}] {operation}: {e}"))?;
        ran += 1;
    }
    Ok(ran)
}

/// The result of one file of cases.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The service or rules-engine file name.
    pub name: String,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// `operationInputs` entries run (and passed) in passing cases.
    pub operation_inputs: usize,
    /// One line per failure: the case's documentation and what differed.
    pub failures: Vec<String>,
}

fn run_file(name: &str, rule_set: &RuleSet, tests: &Json, calls: &mut dyn CallRunner) -> FileReport {
    let mut report = FileReport { name: name.to_owned(), ..FileReport::default() };
    let cases = tests.get("testCases").and_then(Json::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for case in cases {
        match run_case(name, rule_set, case, calls) {
            Ok(ran) => {
                report.passed += 1;
                report.operation_inputs += ran;
            }
            Err(e) => {
                report.failed += 1;
                let doc = case.get("documentation").and_then(Json::as_str).unwrap_or("(undocumented)");
                report.failures.push(format!("{doc}: {e}"));
            }
        }
    }
    report
}

fn read_json(path: &Path) -> Result<Json, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn failed_file(name: &str, tests: Option<&Json>, why: String) -> FileReport {
    let n = tests.and_then(|t| t.get("testCases")).and_then(Json::as_array).map_or(1, |c| c.len().max(1));
    FileReport { name: name.to_owned(), failed: n, failures: vec![why], ..FileReport::default() }
}

/// Runs `DIR/<service>/endpoint-tests-1.json` for every service folder of
/// `dir` (sorted) against the service's rule set from the embedded bundle,
/// calling `on_file` after each.
pub fn run_endpoint_tests(
    dir: &Path,
    calls: &mut dyn CallRunner,
    mut on_file: impl FnMut(&FileReport),
) -> Result<Vec<FileReport>, String> {
    let mut services: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().join("endpoint-tests-1.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    services.sort();
    let mut reports = Vec::with_capacity(services.len());
    for service in services {
        let path = dir.join(&service).join("endpoint-tests-1.json");
        let report = match read_json(&path) {
            Err(e) => failed_file(&service, None, e),
            Ok(tests) => match RuleSet::for_service(&service) {
                Err(e) => failed_file(&service, Some(&tests), format!("no rule set: {e}")),
                Ok(rule_set) => run_file(&service, &rule_set, &tests, calls),
            },
        };
        on_file(&report);
        reports.push(report);
    }
    Ok(reports)
}

/// Runs `DIR/test-cases/<name>.json` against `DIR/valid-rules/<name>.json`
/// for every test file (sorted), with the embedded partitions. Rule sets
/// without test cases are prepared only (a failure to prepare one counts
/// as a failed case).
pub fn run_rules_engine_tests(dir: &Path, mut on_file: impl FnMut(&FileReport)) -> Result<Vec<FileReport>, String> {
    let partitions = Partitions::embedded().map_err(|e| e.to_string())?;
    let list = |sub: &str| -> Result<Vec<String>, String> {
        let d = dir.join(sub);
        let mut names: Vec<String> = std::fs::read_dir(&d)
            .map_err(|e| format!("{}: {e}", d.display()))?
            .flatten()
            .filter_map(|e| e.file_name().to_string_lossy().strip_suffix(".json").map(str::to_owned))
            .collect();
        names.sort();
        Ok(names)
    };
    let tests = list("test-cases")?;
    let mut reports = Vec::new();
    let mut calls = EngineCalls::default();
    for name in list("valid-rules")? {
        let rules_path = dir.join("valid-rules").join(format!("{name}.json"));
        let has_tests = tests.contains(&name);
        let cases =
            if has_tests { read_json(&dir.join("test-cases").join(format!("{name}.json"))) } else { Ok(Json::Null) };
        let report = match (read_json(&rules_path), cases) {
            (Err(e), _) | (_, Err(e)) => failed_file(&name, None, e),
            (Ok(doc), Ok(cases)) => match RuleSet::from_json(&doc, partitions.clone()) {
                Err(e) => failed_file(&name, has_tests.then_some(&cases), format!("cannot prepare: {e}")),
                Ok(_) if !has_tests => continue,
                Ok(rule_set) => run_file(&name, &rule_set, &cases, &mut calls),
            },
        };
        on_file(&report);
        reports.push(report);
    }
    for name in tests.iter().filter(|t| !dir.join("valid-rules").join(format!("{t}.json")).is_file()) {
        let report = failed_file(name, None, format!("no rule set valid-rules/{name}.json"));
        on_file(&report);
        reports.push(report);
    }
    Ok(reports)
}
