//! The endpoint host prefix (`endpoint.hostPrefix`), with `{Label}`
//! placeholders filled from the input members marked `hostLabel`.

use super::shape_ref::Ref;
use super::{Fail, Res};
use crate::model::{Operation, ServiceModel};
use crate::value::{Map, Value};

/// The expanded host prefix, if the operation has one.
///
/// A label's value must be non-empty and made of ASCII letters, digits,
/// `-` and `.`, as botocore checks, since it becomes part of a host name.
pub(crate) fn expand(model: &ServiceModel, operation: &Operation, params: Option<&Map>) -> Res<Option<String>> {
    let Some(template) = operation.host_prefix.as_deref() else { return Ok(None) };
    if !template.contains('{') {
        return Ok(Some(template.to_owned()));
    }
    let input = operation.input.as_ref().map(|i| model.shape(i.shape));
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Fail::new(format!("unterminated label in host prefix {template:?}")))?;
        let label = &rest[open + 1..close];
        let is_label = input.and_then(|s| s.member_named(label)).is_some_and(|m| Ref::member(model, m).host_label());
        if !is_label {
            return Err(Fail::new(format!(
                "host prefix {template:?} names {label:?}, which is not a hostLabel member"
            )));
        }
        let value = match params.and_then(|p| p.get(label)) {
            Some(Value::String(s)) => s,
            None | Some(Value::Null) => {
                return Err(Fail::new("missing a value for the endpoint host prefix").at(label));
            }
            Some(other) => return Err(Fail::expected("a string", other).at(label)),
        };
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
            return Err(Fail::new(format!(
                "invalid value {value:?} for the host prefix: must contain only alphanumeric characters, hyphen, or period"
            ))
            .at(label));
        }
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}
