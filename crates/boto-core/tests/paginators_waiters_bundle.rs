//! Every paginator and waiter of the embedded bundle: the operations and
//! members they name exist, and every expression compiles.

use boto_core::jmes::compile;
use boto_core::model::{Loader, ServiceModel, Shape};
use boto_core::paginate::PaginatorSpec;
use boto_core::waiter::{Matcher, WaiterSpec};

fn input_shape<'a>(model: &'a ServiceModel, op: &str) -> Option<&'a Shape> {
    let op = model.operation(op).unwrap()?;
    op.input.as_ref().map(|r| model.shape(r.shape))
}

fn output_shape<'a>(model: &'a ServiceModel, op: &str) -> Option<&'a Shape> {
    let op = model.operation(op).unwrap()?;
    op.output.as_ref().map(|r| model.shape(r.shape))
}

#[test]
fn every_paginator_names_real_members_and_compiles() {
    let loader = Loader::embedded_only();
    let mut count = 0;
    let mut problems = Vec::new();
    for service in loader.list_available_services("paginators-1").unwrap() {
        let model = loader.service_model(&service, None).unwrap();
        let doc = loader.load_document(&service, "paginators-1", None).unwrap();
        for (op, config) in doc["pagination"].as_object().unwrap() {
            count += 1;
            let spec = match PaginatorSpec::from_json(op, config) {
                Ok(s) => s,
                Err(e) => {
                    problems.push(format!("{service}.{op}: {e}"));
                    continue;
                }
            };
            if model.operation(op).unwrap().is_none() {
                problems.push(format!("{service}.{op}: no such operation"));
                continue;
            }
            let input = input_shape(&model, op);
            let has_input = |m: &str| input.is_some_and(|s| s.member_named(m).is_some());
            for t in &spec.input_token {
                if !has_input(t) {
                    problems.push(format!("{service}.{op}: input_token {t} is not an input member"));
                }
            }
            if let Some(l) = &spec.limit_key {
                if !has_input(l) {
                    problems.push(format!("{service}.{op}: limit_key {l} is not an input member"));
                }
            }
            let output = output_shape(&model, op);
            let exprs = spec
                .output_token
                .iter()
                .chain(&spec.result_key)
                .chain(&spec.non_aggregate_keys)
                .chain(spec.more_results.iter());
            for e in exprs {
                let firsts = e.first_identifiers();
                if firsts.is_empty() {
                    problems.push(format!("{service}.{op}: {} starts with no member", e.as_str()));
                }
                for f in firsts {
                    if output.is_none_or(|s| s.member_named(f).is_none()) {
                        problems.push(format!("{service}.{op}: {} names {f}, not an output member", e.as_str()));
                    }
                }
            }
            if spec.result_key.iter().any(|k| !k.is_dotted_path()) {
                problems.push(format!("{service}.{op}: a result key is not a dotted path (botocore cannot set it)"));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert_eq!(count, 3449);
}

#[test]
fn every_waiter_names_a_real_operation_and_compiles() {
    let loader = Loader::embedded_only();
    let mut count = 0;
    let mut problems = Vec::new();
    for service in loader.list_available_services("waiters-2").unwrap() {
        let model = loader.service_model(&service, None).unwrap();
        let doc = loader.load_document(&service, "waiters-2", None).unwrap();
        for (name, config) in doc["waiters"].as_object().unwrap() {
            count += 1;
            let spec = match WaiterSpec::from_json(name, config) {
                Ok(s) => s,
                Err(e) => {
                    problems.push(format!("{service}.{name}: {e}"));
                    continue;
                }
            };
            if model.operation(&spec.operation).unwrap().is_none() {
                problems.push(format!("{service}.{name}: no operation {}", spec.operation));
                continue;
            }
            if spec.acceptors.is_empty() || spec.max_attempts == 0 {
                problems.push(format!("{service}.{name}: no acceptors or no attempts"));
            }
            let output = output_shape(&model, &spec.operation);
            for a in &spec.acceptors {
                let (Matcher::Path { expression, .. }
                | Matcher::PathAll { expression, .. }
                | Matcher::PathAny { expression, .. }) = &a.matcher
                else {
                    continue;
                };
                // Compiled already by from_json; the cache hands back the same.
                assert!(compile(expression.as_str()).is_ok());
                for f in expression.first_identifiers() {
                    if output.is_none_or(|s| s.member_named(f).is_none()) {
                        problems.push(format!(
                            "{service}.{name}: {} names {f}, not a member of {}'s output",
                            expression.as_str(),
                            spec.operation
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert_eq!(count, 410);
}
