//! Parameter validation before anything is sent, as botocore's
//! `ParamValidator`: unknown members, missing required members, wrong types,
//! min and max lengths and ranges, tagged unions, documents. Every problem
//! is collected with its path (`Item.id.S`, `Tags[2].Key`).
//!
//! ```
//! use boto_core::{model::Loader, params, validate::validate};
//! let ddb = Loader::embedded_only().service_model("dynamodb", None).unwrap();
//! let op = ddb.operation("GetItem").unwrap().unwrap();
//! let err = validate(&ddb, op, &params!({ "Key": { "id": { "S": 5 } }, "Bogus": 1 })).unwrap_err();
//! let text = err.to_string();
//! assert!(text.contains(r#"Missing required parameter in input: "TableName""#));
//! assert!(text.contains("Key.id.S"));
//! assert!(text.contains(r#"Unknown parameter in input: "Bogus""#));
//! ```

use std::fmt;

use crate::model::{Member, Operation, ServiceModel, Shape, ShapeKind};
use crate::value::Value;

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `input` for the top level, else a path like `Item.id.S`.
    pub path: String,
    /// The message, as botocore words it.
    pub message: String,
}

/// Every problem found in a call's parameters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parameter validation failed:")?;
        for p in &self.problems {
            write!(f, "\n{}", p.message)?;
        }
        Ok(())
    }
}

/// Validates `params` against `operation`'s input shape. Sensitive values
/// are never echoed in messages.
pub fn validate(model: &ServiceModel, operation: &Operation, params: &Value) -> Result<(), ValidationError> {
    let mut v = Validator { model, problems: Vec::new() };
    match &operation.input {
        Some(input) => v.check(params, model.shape(input.shape), None, ""),
        None => {
            if let Some(map) = params.as_map() {
                for (key, value) in map {
                    if !value.is_null() {
                        v.report("", format!("Unknown parameter in input: \"{key}\", must be one of: "));
                    }
                }
            }
        }
    }
    if v.problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { problems: v.problems })
    }
}

struct Validator<'m> {
    model: &'m ServiceModel,
    problems: Vec<Problem>,
}

fn display_name(path: &str) -> &str {
    if path.is_empty() {
        "input"
    } else {
        path
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A short, safe rendering of a value for messages.
fn show(value: &Value, sensitive: bool) -> String {
    if sensitive {
        return "*** sensitive ***".into();
    }
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
        Value::Stream(_) => "<stream>".into(),
        Value::List(l) => format!("<list of {}>", l.len()),
        Value::Map(m) => format!("<map of {}>", m.len()),
        other => other.to_string(),
    };
    if text.chars().count() > 64 {
        format!("{}...", text.chars().take(61).collect::<String>())
    } else {
        text
    }
}

impl Validator<'_> {
    fn report(&mut self, path: &str, message: String) {
        self.problems.push(Problem { path: display_name(path).to_owned(), message });
    }

    fn invalid_type(&mut self, path: &str, value: &Value, sensitive: bool, valid: &str) {
        let message = format!(
            "Invalid type for parameter {}, value: {}, type: {}, valid types: {valid}",
            display_name(path),
            show(value, sensitive),
            value.kind()
        );
        self.report(path, message);
    }

    fn check(&mut self, value: &Value, shape: &Shape, member: Option<&Member>, path: &str) {
        let sensitive = shape.traits.sensitive || member.is_some_and(|m| m.traits.sensitive);
        let json_value = shape.traits.json_value || member.is_some_and(|m| m.traits.json_value);
        if json_value {
            // Any JSON-encodable value.
            if let Err(kind) = check_document(value) {
                let message =
                    format!("Invalid parameter {} must be json serializable: {kind} is not JSON", display_name(path));
                self.report(path, message);
            }
            return;
        }
        if shape.traits.document {
            if let Err(kind) = check_document(value) {
                let message = format!(
                    "Invalid type for document parameter {}, value: {}, type: {kind}, valid types: null, boolean, number, string, list, map",
                    display_name(path),
                    show(value, sensitive),
                );
                self.report(path, message);
            }
            return;
        }
        match shape.kind {
            ShapeKind::Structure => self.check_structure(value, shape, path, sensitive),
            ShapeKind::List => {
                let Value::List(items) = value else { return self.invalid_type(path, value, sensitive, "list") };
                self.check_min_max(path, items.len() as f64, shape, member, "length", value, sensitive);
                if let Some(m) = &shape.member {
                    let target = self.model.shape(m.target);
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, target, Some(m), &format!("{path}[{i}]"));
                    }
                }
            }
            ShapeKind::Map => {
                let Value::Map(entries) = value else { return self.invalid_type(path, value, sensitive, "map") };
                self.check_min_max(path, entries.len() as f64, shape, member, "length", value, sensitive);
                if let (Some(k), Some(v)) = (&shape.key, &shape.value) {
                    let (kshape, vshape) = (self.model.shape(k.target), self.model.shape(v.target));
                    for (key, item) in entries {
                        self.check(&Value::String(key.clone()), kshape, Some(k), path);
                        if !item.is_null() || !shape.traits.sparse {
                            self.check(item, vshape, Some(v), &join(path, key));
                        }
                    }
                }
            }
            ShapeKind::String | ShapeKind::Character => match value {
                Value::String(s) => {
                    let len = s.chars().count() as f64;
                    self.check_min_max(path, len, shape, member, "length", value, sensitive);
                }
                _ => self.invalid_type(path, value, sensitive, "string"),
            },
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
                let n = match value {
                    Value::Int(i) => *i as f64,
                    Value::Number(n) if n.parse::<i64>().is_ok() => n.parse::<f64>().unwrap_or(0.0),
                    _ => return self.invalid_type(path, value, sensitive, "integer"),
                };
                self.check_min_max(path, n, shape, member, "value", value, sensitive);
            }
            ShapeKind::Float | ShapeKind::Double => {
                let n = match value {
                    Value::Float(x) => *x,
                    Value::Int(i) => *i as f64,
                    Value::Number(n) if n.parse::<f64>().is_ok() => n.parse().unwrap_or(0.0),
                    Value::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => return,
                    _ => return self.invalid_type(path, value, sensitive, "float, integer"),
                };
                if !n.is_nan() {
                    self.check_min_max(path, n, shape, member, "value", value, sensitive);
                }
            }
            ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                if !matches!(value, Value::Int(_) | Value::Float(_) | Value::Number(_) | Value::String(_)) {
                    self.invalid_type(path, value, sensitive, "number");
                }
            }
            ShapeKind::Boolean => {
                if !matches!(value, Value::Bool(_)) {
                    self.invalid_type(path, value, sensitive, "boolean");
                }
            }
            ShapeKind::Blob => match value {
                Value::Blob(b) => self.check_min_max(path, b.len() as f64, shape, member, "length", value, sensitive),
                Value::String(s) => self.check_min_max(path, s.len() as f64, shape, member, "length", value, sensitive),
                Value::Stream(_) => {}
                _ => self.invalid_type(path, value, sensitive, "blob, string, stream"),
            },
            ShapeKind::Timestamp => match value {
                Value::Timestamp(_) | Value::Int(_) | Value::Float(_) => {}
                Value::String(s) if crate::value::parse_timestamp_text(s).is_some() => {}
                _ => self.invalid_type(path, value, sensitive, "timestamp, ISO 8601 string, epoch seconds"),
            },
        }
    }

    fn check_structure(&mut self, value: &Value, shape: &Shape, path: &str, sensitive: bool) {
        let Value::Map(map) = value else { return self.invalid_type(path, value, sensitive, "map") };
        for required in shape.required.iter() {
            if map.get(&**required).is_none_or(Value::is_null) {
                let message = format!("Missing required parameter in {}: \"{required}\"", display_name(path));
                self.report(path, message);
            }
        }
        let mut set = 0;
        for (key, item) in map {
            if item.is_null() {
                continue;
            }
            match shape.member_named(key) {
                Some(m) => {
                    set += 1;
                    let target = self.model.shape(m.target);
                    self.check(item, target, Some(m), &join(path, key));
                }
                None => {
                    let valid: Vec<&str> = shape.members.iter().map(|m| &*m.name).collect();
                    let message = format!(
                        "Unknown parameter in {}: \"{key}\", must be one of: {}",
                        display_name(path),
                        valid.join(", ")
                    );
                    self.report(path, message);
                }
            }
        }
        if shape.traits.union {
            let names: Vec<&str> = shape.members.iter().map(|m| &*m.name).collect();
            if set > 1 {
                let message = format!(
                    "Invalid number of parameters set for tagged union structure {}. Can only set one of the following keys: {}.",
                    display_name(path),
                    names.join(", ")
                );
                self.report(path, message);
            } else if set == 0 {
                let message = format!(
                    "Must set one of the following keys for tagged union structure {}: {}.",
                    display_name(path),
                    names.join(", ")
                );
                self.report(path, message);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_min_max(
        &mut self,
        path: &str,
        n: f64,
        shape: &Shape,
        member: Option<&Member>,
        what: &str,
        value: &Value,
        sensitive: bool,
    ) {
        let host_label = member.is_some_and(|m| m.traits.host_label);
        let min = shape.traits.min.or(host_label.then_some(1.0));
        let shown = || show(value, sensitive);
        let label = if what == "length" { "length" } else { "value" };
        let kind = if what == "length" { "Invalid length" } else { "Invalid value" };
        if let Some(min) = min {
            if n < min {
                let message = format!(
                    "{kind} for parameter {}, value: {}, valid min {label}: {}",
                    display_name(path),
                    shown(),
                    fmt_num(min)
                );
                return self.report(path, message);
            }
        }
        if let Some(max) = shape.traits.max {
            if n > max {
                let message = format!(
                    "{kind} for parameter {}, value: {}, valid max {label}: {}",
                    display_name(path),
                    shown(),
                    fmt_num(max)
                );
                self.report(path, message);
            }
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Documents hold JSON-like data only.
fn check_document(value: &Value) -> Result<(), &'static str> {
    match value {
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Number(_) | Value::String(_) => Ok(()),
        Value::List(l) => l.iter().try_for_each(check_document),
        Value::Map(m) => m.values().try_for_each(check_document),
        other => Err(other.kind()),
    }
}

#[cfg(test)]
mod tests;
