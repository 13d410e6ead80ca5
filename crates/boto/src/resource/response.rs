//! Turning responses into resources (boto3's `RawHandler`,
//! `ResourceHandler`, `build_identifiers` and `build_empty_response`).

use std::collections::VecDeque;

use boto_core::model::ShapeKind;
use boto_core::naming::xform_name;
use boto_core::Value;

use super::model::{ParamDef, ResponseResourceDef};
use super::path::{self, PathError};
use super::{ActionOutput, Resource};
use crate::error::Error;

/// The part of `response` that `path` selects (all of it for no path or
/// `$`).
pub(crate) fn raw(path: Option<&str>, response: Value) -> Result<Value, PathError> {
    match path {
        Some(p) if !p.is_empty() && p != "$" => path::search(p, &response),
        _ => Ok(response),
    }
}

/// Python's truthiness of a search result.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
        Value::String(s) => !s.is_empty(),
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        _ => true,
    }
}

/// The identifiers of new resources: `(snake_case target, value)` pairs,
/// `input` sources skipped.
pub(crate) async fn build_identifiers(
    defs: &[ParamDef],
    parent: &Resource,
    params: &Value,
    response: &Value,
) -> Result<Vec<(String, Value)>, Error> {
    let mut out = Vec::with_capacity(defs.len());
    for d in defs {
        let search =
            |v: &Value| path::search(d.path.as_deref().unwrap_or("@"), v).map_err(|e| parent.invalid(&e.to_string()));
        let value = match d.source.as_str() {
            "response" => search(response)?,
            "requestParameter" => search(params)?,
            "identifier" => parent.identifier_value(d.name.as_deref().unwrap_or_default())?,
            "data" => parent.data_member(d.path.as_deref().unwrap_or("@")).await?,
            "input" => continue,
            other => return Err(parent.invalid(&format!("unsupported identifier source {other:?}"))),
        };
        out.push((xform_name(&d.target), value));
    }
    Ok(out)
}

/// boto3's `ResourceHandler`: the resources `target` describes, from
/// `response` (and the request `params`, and `parent`).
pub(crate) async fn handle(
    parent: &Resource,
    target: &ResponseResourceDef,
    search_path: Option<&str>,
    operation: Option<&str>,
    params: &Value,
    response: &Value,
) -> Result<ActionOutput, Error> {
    let search_response = match search_path {
        Some(p) => Some(path::search(p, response).map_err(|e| parent.invalid(&e.to_string()))?),
        None => None,
    };
    let identifiers = build_identifiers(&target.identifiers, parent, params, response).await?;
    let plural = identifiers.iter().find_map(|(_, v)| v.as_list().map(<[Value]>::len));
    if let Some(count) = plural {
        // One resource per element of the first list; list identifiers
        // are consumed in order, others repeat.
        let mut queues: Vec<(String, Result<VecDeque<Value>, Value>)> = identifiers
            .into_iter()
            .map(|(name, v)| match v {
                Value::List(l) => (name, Ok(l.into())),
                other => (name, Err(other)),
            })
            .collect();
        let items = search_response.filter(truthy);
        let mut resources = Vec::with_capacity(count);
        for i in 0..count {
            let data = items.as_ref().map(|s| s[i].clone()).filter(|v| !v.is_null());
            let named = queues
                .iter_mut()
                .map(|(name, q)| {
                    let value = match q {
                        Ok(list) => list.pop_front().unwrap_or(Value::Null),
                        Err(single) => single.clone(),
                    };
                    (name.clone(), value)
                })
                .collect();
            resources.push(parent.make_named(&target.type_name, named, data)?);
        }
        Ok(ActionOutput::Resources(resources))
    } else if identifiers.iter().all(|(_, v)| !v.is_null()) {
        let data = search_response.filter(|v| !v.is_null());
        Ok(ActionOutput::Resource(parent.make_named(&target.type_name, identifiers, data)?))
    } else {
        match operation {
            Some(op) => empty_response(parent, search_path, op),
            None => Ok(ActionOutput::None),
        }
    }
}

/// boto3's `build_empty_response`: what a request that made no resource
/// returns, by the shape at the search path: an empty list for lists,
/// nothing otherwise.
fn empty_response(parent: &Resource, search_path: Option<&str>, operation: &str) -> Result<ActionOutput, Error> {
    let model = parent.client().model();
    let Some(op) = model.operation(operation)? else { return Ok(ActionOutput::None) };
    let Some(output) = &op.output else { return Ok(ActionOutput::None) };
    let mut shape = model.shape(output.shape);
    if let Some(p) = search_path {
        for item in p.split('.') {
            let item = item.trim_matches(|c: char| c == '[' || c == ']' || c == '$' || c.is_ascii_digit());
            shape = match shape.kind {
                ShapeKind::Structure => match shape.member_named(item) {
                    Some(m) => model.shape(m.target),
                    None => return Ok(ActionOutput::None),
                },
                ShapeKind::List => match &shape.member {
                    Some(m) => model.shape(m.target),
                    None => return Ok(ActionOutput::None),
                },
                _ => return Ok(ActionOutput::None),
            };
        }
    }
    Ok(match shape.kind {
        ShapeKind::List => ActionOutput::Resources(Vec::new()),
        _ => ActionOutput::None,
    })
}
