//! `rest-json` bodies: the body members as one JSON object, or a
//! structure/union/document payload as JSON, `Content-Type:
//! application/json`. An input with body members but none set still sends
//! `{}`, and so does an absent structure payload, as botocore.

use super::json::JsonWriter;
use super::rest::RestBody;
use super::shape_ref::Ref;
use super::Res;
use crate::model::{ServiceModel, Shape};
use crate::value::{Map, Value};

/// The rest-json body format.
pub(crate) struct RestJson;

impl RestBody for RestJson {
    fn members(&self, model: &ServiceModel, input: Ref<'_>, params: &Map) -> Res<Vec<u8>> {
        let mut w = JsonWriter::new(model);
        w.structure(input.shape, params, |r| r.location().is_none())?;
        Ok(w.out)
    }

    fn payload(&self, model: &ServiceModel, _name: &str, member: Ref<'_>, value: &Value) -> Res<Vec<u8>> {
        let mut w = JsonWriter::new(model);
        w.value(member, value)?;
        Ok(w.out)
    }

    fn empty_payload(&self) -> &'static [u8] {
        b"{}"
    }

    fn empty_body(&self, model: &ServiceModel, shape: &Shape) -> Option<&'static [u8]> {
        let has_body_member = shape.members.iter().any(|m| Ref::member(model, m).location().is_none());
        has_body_member.then_some(b"{}")
    }

    fn content_type(&self) -> Option<&'static str> {
        Some("application/json")
    }
}
