//! The `smithy-rpc-v2-cbor` protocol: `POST
//! /service/{targetPrefix}/operation/{Operation}` with a CBOR body,
//! `smithy-protocol: rpc-v2-cbor` and `Accept: application/cbor`.
//!
//! Structures are definite-length maps of their non-null members (keyed by
//! `locationName`, else the member name); lists and maps are definite
//! length; floats are 32-bit for `float` shapes and 64-bit for `double`;
//! timestamps are tag 1 with epoch seconds (an integer, or a double when
//! there is a fraction), whatever `timestampFormat` says, as botocore. An
//! operation without input sends no body.

use minicbor::Encoder;

use super::scalar::{blob_bytes, float_value, string, FloatValue};
use super::shape_ref::{has_event_stream, Ref};
use super::timestamp::{self, Epoch};
use super::{expect_map, member_named, method, Fail, Res};
use crate::body::Body;
use crate::model::{Operation, ServiceModel, Shape, ShapeKind};
use crate::request::HttpRequest;
use crate::value::{Map, Value};

const CBOR: &str = "application/cbor";
const EVENT_STREAM: &str = "application/vnd.amazon.eventstream";

pub(crate) fn serialize(model: &ServiceModel, operation: &Operation, params: Option<&Map>) -> Res<HttpRequest> {
    let meta = model.metadata();
    let service = meta
        .target_prefix
        .as_deref()
        .ok_or_else(|| Fail::new("the service model has no targetPrefix for the request path"))?;
    let url = format!("/service/{service}/operation/{}", operation.name);

    let mut body = Vec::new();
    let mut event_stream_input = false;
    if let Some(input) = &operation.input {
        let shape = model.shape(input.shape);
        event_stream_input = has_event_stream(model, shape);
        let empty = Map::new();
        let mut w = CborWriter { model, enc: Encoder::new(Vec::with_capacity(128)) };
        w.structure(shape, params.unwrap_or(&empty))?;
        body = w.enc.into_writer();
    }
    let event_stream_output = operation.output.as_ref().is_some_and(|o| has_event_stream(model, model.shape(o.shape)));

    let mut request = HttpRequest::new(method(operation)?, url);
    let h = &mut request.headers;
    h.insert("smithy-protocol", http::HeaderValue::from_static("rpc-v2-cbor"));
    h.insert(
        http::header::ACCEPT,
        http::HeaderValue::from_static(if event_stream_output { EVENT_STREAM } else { CBOR }),
    );
    if meta.aws_query_compatible {
        h.insert("x-amzn-query-mode", http::HeaderValue::from_static("true"));
    }
    if !body.is_empty() {
        h.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(if event_stream_input { EVENT_STREAM } else { CBOR }),
        );
    }
    request.body = Body::from(body);
    Ok(request)
}

struct CborWriter<'a> {
    model: &'a ServiceModel,
    enc: Encoder<Vec<u8>>,
}

/// Writing to a `Vec` cannot fail; this keeps the `?`s quiet.
fn ok<T, E>(r: Result<T, E>) -> Res<()> {
    r.map(|_| ()).map_err(|_| Fail::new("CBOR encoding failed"))
}

impl CborWriter<'_> {
    fn structure(&mut self, shape: &Shape, map: &Map) -> Res<()> {
        let len = map.values().filter(|v| !v.is_null()).count();
        ok(self.enc.map(len as u64))?;
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            let r = Ref::member(self.model, member_named(shape, key)?);
            ok(self.enc.str(r.location_name().unwrap_or(key)))?;
            self.value(r, value).map_err(|e| e.at(key))?;
        }
        Ok(())
    }

    fn value(&mut self, r: Ref<'_>, value: &Value) -> Res<()> {
        if r.is_document() {
            return self.document(value);
        }
        match r.kind() {
            ShapeKind::Structure => self.structure(r.shape, expect_map(value)?),
            ShapeKind::List => {
                let Value::List(items) = value else { return Err(Fail::expected("a list", value)) };
                let Some(member) = r.shape.member.as_ref() else {
                    return Err(Fail::new("list shape without a member"));
                };
                let item = Ref::member(self.model, member);
                ok(self.enc.array(items.len() as u64))?;
                for (i, v) in items.iter().enumerate() {
                    if v.is_null() {
                        ok(self.enc.null())?;
                    } else {
                        self.value(item, v).map_err(|e| e.at_index(i))?;
                    }
                }
                Ok(())
            }
            ShapeKind::Map => {
                let Value::Map(entries) = value else { return Err(Fail::expected("a map", value)) };
                let Some(member) = r.shape.value.as_ref() else { return Err(Fail::new("map shape without a value")) };
                let item = Ref::member(self.model, member);
                ok(self.enc.map(entries.len() as u64))?;
                for (k, v) in entries {
                    ok(self.enc.str(k))?;
                    if v.is_null() {
                        ok(self.enc.null())?;
                    } else {
                        self.value(item, v).map_err(|e| e.at(k))?;
                    }
                }
                Ok(())
            }
            ShapeKind::String | ShapeKind::Character => ok(self.enc.str(string(value)?)),
            ShapeKind::Boolean => match value {
                Value::Bool(b) => ok(self.enc.bool(*b)),
                other => Err(Fail::expected("a boolean", other)),
            },
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => {
                self.integer(value)
            }
            ShapeKind::Float => match float_value(value)? {
                FloatValue::Int(i) => ok(self.enc.f32(i as f32)),
                FloatValue::Float(x) => ok(self.enc.f32(x as f32)),
                FloatValue::Text(t) => ok(self.enc.f32(parse_float(t)? as f32)),
            },
            ShapeKind::Double | ShapeKind::BigDecimal => match float_value(value)? {
                FloatValue::Int(i) => ok(self.enc.f64(i as f64)),
                FloatValue::Float(x) => ok(self.enc.f64(x)),
                FloatValue::Text(t) => ok(self.enc.f64(parse_float(t)?)),
            },
            ShapeKind::Blob => ok(self.enc.bytes(blob_bytes(value)?)),
            ShapeKind::Timestamp => {
                let t = timestamp::to_datetime(value)?;
                ok(self.enc.tag(minicbor::data::Tag::new(1)))?;
                match timestamp::epoch(t, false) {
                    Epoch::Int(i) => ok(self.enc.i64(i)),
                    Epoch::Float(x) => ok(self.enc.f64(x)),
                }
            }
        }
    }

    fn integer(&mut self, value: &Value) -> Res<()> {
        match value {
            Value::Int(i) => ok(self.enc.i64(*i)),
            Value::Number(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    ok(self.enc.i64(i))
                } else if let Ok(u) = n.parse::<u64>() {
                    ok(self.enc.u64(u))
                } else {
                    Err(Fail::new(format!("integer {n} does not fit in 64 bits")))
                }
            }
            other => Err(Fail::expected("an integer", other)),
        }
    }

    /// An untyped value.
    fn document(&mut self, value: &Value) -> Res<()> {
        match value {
            Value::Null => ok(self.enc.null()),
            Value::Bool(b) => ok(self.enc.bool(*b)),
            Value::Int(i) => ok(self.enc.i64(*i)),
            Value::Number(n) => match (n.parse::<i64>(), n.parse::<u64>()) {
                (Ok(i), _) => ok(self.enc.i64(i)),
                (_, Ok(u)) => ok(self.enc.u64(u)),
                _ => ok(self.enc.f64(parse_float(n)?)),
            },
            Value::Float(x) => ok(self.enc.f64(*x)),
            Value::String(s) => ok(self.enc.str(s)),
            Value::Blob(b) => ok(self.enc.bytes(b)),
            Value::Timestamp(_) => {
                let t = timestamp::to_datetime(value)?;
                ok(self.enc.tag(minicbor::data::Tag::new(1)))?;
                match timestamp::epoch(t, false) {
                    Epoch::Int(i) => ok(self.enc.i64(i)),
                    Epoch::Float(x) => ok(self.enc.f64(x)),
                }
            }
            Value::List(items) => {
                ok(self.enc.array(items.len() as u64))?;
                for (i, v) in items.iter().enumerate() {
                    self.document(v).map_err(|e| e.at_index(i))?;
                }
                Ok(())
            }
            Value::Map(m) => {
                ok(self.enc.map(m.len() as u64))?;
                for (k, v) in m {
                    ok(self.enc.str(k))?;
                    self.document(v).map_err(|e| e.at(k))?;
                }
                Ok(())
            }
            Value::Stream(_) => Err(Fail::new("a stream cannot be part of a document")),
        }
    }
}

fn parse_float(text: &str) -> Res<f64> {
    text.parse().map_err(|_| Fail::new(format!("invalid number {text:?}")))
}
