//! JSON bodies (json and rest-json): read straight from the bytes into
//! [`Value`]s by serde_json driven with shape-aware seeds (no intermediate
//! `serde_json::Value`), and the json (RPC) protocol itself.
//!
//! As botocore's `BaseJSONParser`: members are matched by `locationName`
//! (else their name), `null` members are absent, unknown keys are skipped,
//! a union must have exactly one non-null member besides `__type` (an
//! unknown one gives `{"SDK_UNKNOWN_MEMBER": {"name": ...}}`), blobs are
//! base64, timestamps epoch seconds or text in any format, floats may be
//! `"NaN"`, `"Infinity"`, `"-Infinity"`, documents are untyped. Null list
//! items are kept; null map values only in `sparse` maps.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::error::{self, RawError};
use super::{
    decode_base64, event_stream, event_stream_member, header_text, is_located, location_name, special_float, timestamp,
    union_error, unknown_union_member, Ctx, ParseError, Parsed,
};
use crate::model::{ServiceModel, Shape, ShapeKind};
use crate::request::HttpResponse;
use crate::value::{Map, Value};

/// Parses a JSON body as a value of `shape`. An empty (or blank) body is
/// an empty structure, as botocore reads it.
pub(crate) fn parse_body(ctx: &Ctx<'_>, shape: &Shape, body: &[u8]) -> Result<Value, ParseError> {
    if body.trim_ascii().is_empty() {
        return Ok(Value::map());
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = Typed { model: ctx.model, shape, raw_timestamps: ctx.options.raw_timestamps }
        .deserialize(&mut de)
        .map_err(|e| json_error(ctx, &e))?;
    de.end().map_err(|e| json_error(ctx, &e))?;
    Ok(match value {
        Value::Null if shape.kind == ShapeKind::Structure && !shape.traits.document => Value::map(),
        v => v,
    })
}

/// Parses any JSON as an untyped value (documents, error bodies, `jsonvalue`
/// headers).
pub(crate) fn parse_untyped(text: &[u8]) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let value = de.deserialize_any(Untyped)?;
    de.end()?;
    Ok(value)
}

/// A serde_json error as a [`ParseError`] with its line and column.
pub(crate) fn json_error(ctx: &Ctx<'_>, e: &serde_json::Error) -> ParseError {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    ctx.error(format!("line {}, column {}", e.line(), e.column()), format!("invalid JSON: {message}"))
}

// ---- the json protocol ----

pub(crate) fn parse_rpc(ctx: &Ctx<'_>, response: &mut HttpResponse) -> Result<Parsed, ParseError> {
    if response.status >= 300 {
        let body = ctx.body(response)?;
        let raw = error_raw(response, body, false);
        return error::finish(ctx, response.status, raw, |shape| {
            Ok(match parse_body(ctx, shape, body)? {
                Value::Map(m) => m,
                _ => Map::new(),
            })
        });
    }
    // Room for what the client adds: HTTPStatusCode, HTTPHeaders, RetryAttempts.
    let mut metadata = Map::with_capacity(4);
    if let Some(id) = header_text(&response.headers, "x-amzn-requestid") {
        metadata.insert("RequestId".into(), Value::String(id));
    }
    let mut result = match ctx.output() {
        None => Value::map(),
        Some(shape) if event_stream_member(ctx.model, shape).is_some() => {
            match event_stream::parse_rpc_output(ctx, shape, response, event_stream::Format::Json)? {
                Parsed::Ok(v) => v,
                err => return Ok(err),
            }
        }
        Some(shape) => parse_body(ctx, shape, ctx.body(response)?)?,
    };
    if !matches!(result, Value::Map(_)) {
        return Err(ctx.error("line 1, column 1", format!("expected an object, found a {}", result.kind())));
    }
    result.insert("ResponseMetadata", Value::Map(metadata));
    Ok(Parsed::Ok(result))
}

/// Code, message and request id of a JSON error response, as botocore's
/// `BaseJSONParser._do_error_parse` (and for rest-json
/// `RestJSONParser._inject_error_code`) find them.
///
/// rest-json: the `x-amzn-errortype` header, else the body's `code` /
/// `Code`, else `__type`, else the status. json: `__type`, else the
/// header, else `code`, else the status. Namespaces (`ns#`) and suffixes
/// (`:uri`) are stripped; an `x-amzn-query-error` header replaces the
/// code. A body that is not JSON becomes the message.
pub(crate) fn error_raw(response: &HttpResponse, body: &[u8], rest: bool) -> RawError {
    let status = response.status;
    let header_code = header_text(&response.headers, "x-amzn-errortype");
    let mut raw = if error::is_generic(status, body) && header_code.is_none() {
        error::from_status(status)
    } else {
        let parsed = if body.trim_ascii().is_empty() {
            Map::new()
        } else {
            match parse_untyped(body) {
                Ok(Value::Map(m)) => m,
                Ok(_) => Map::new(),
                Err(_) => {
                    let mut m = Map::new();
                    m.insert("message".into(), Value::String(String::from_utf8_lossy(body).into_owned()));
                    m
                }
            }
        };
        let text = |key: &str| parsed.get(key).and_then(Value::as_str).map(str::to_owned);
        let message = ["message", "Message", "errorMessage", "error_description"].iter().find_map(|k| text(k));
        let body_code = text("code").or_else(|| text("Code"));
        let code = if rest {
            header_code.or(body_code).or_else(|| text("__type"))
        } else {
            text("__type").or(header_code).or(body_code)
        };
        let code = code.map(|c| error::sanitize_code(&c).to_owned()).unwrap_or_else(|| status.to_string());
        let mut raw = RawError { message: message.unwrap_or_default(), ..RawError::default() };
        raw.code = error::query_compatible(code, &response.headers, &mut raw.details);
        raw
    };
    if let Some(id) = header_text(&response.headers, "x-amzn-requestid") {
        raw.metadata.insert("RequestId".into(), Value::String(id));
    }
    raw
}

// ---- seeds ----

/// Reads a value of `shape`.
pub(crate) struct Typed<'m> {
    pub model: &'m ServiceModel,
    pub shape: &'m Shape,
    pub raw_timestamps: bool,
}

impl<'de> DeserializeSeed<'de> for Typed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let shape = self.shape;
        if shape.traits.document {
            return d.deserialize_any(Untyped);
        }
        match shape.kind {
            ShapeKind::Structure => d.deserialize_any(StructVisitor(self)),
            ShapeKind::List => d.deserialize_any(ListVisitor(self)),
            ShapeKind::Map => d.deserialize_any(MapVisitor(self)),
            ShapeKind::BigInteger | ShapeKind::BigDecimal => big_number(d, shape),
            _ => d.deserialize_any(ScalarVisitor(shape, self.raw_timestamps)),
        }
    }
}

/// BigInteger and BigDecimal keep the exact text of the number.
fn big_number<'de, D: Deserializer<'de>>(d: D, shape: &Shape) -> Result<Value, D::Error> {
    let raw: Box<RawValue> = serde::Deserialize::deserialize(d)?;
    let text = raw.get().trim();
    if text == "null" {
        return Ok(Value::Null);
    }
    let number = if text.starts_with('"') {
        serde_json::from_str::<String>(text).map_err(de::Error::custom)?
    } else {
        text.to_owned()
    };
    let valid = match shape.kind {
        ShapeKind::BigInteger => super::int_from_text(&number).is_ok(),
        _ => super::scalar_from_text(shape, &number, false).is_ok(),
    };
    if !valid {
        return Err(de::Error::custom(format!("invalid {} {number:?}", shape.kind.as_str())));
    }
    Ok(Value::Number(number))
}

/// A map key, borrowed from the input when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }

    fn into_string(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// The index of the body member of `shape` serialized as `key`.
fn member_index(model: &ServiceModel, shape: &Shape, key: &str) -> Option<usize> {
    shape.members.iter().position(|m| {
        let target = model.shape(m.target);
        location_name(m, target) == key && !is_located(m, target)
    })
}

struct StructVisitor<'m>(Typed<'m>);

impl<'de> Visitor<'de> for StructVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object (structure {})", self.0.shape.name)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Typed { model, shape, raw_timestamps } = self.0;
        // Members go straight into the result; it is reordered to model
        // order only when the body had them in another order. A union has
        // one member; a structure room for all of them (and the
        // `ResponseMetadata` an output gets).
        let capacity = if shape.traits.union { 1 } else { (shape.members.len() + 1).min(16) };
        let mut out = Map::with_capacity(capacity);
        let mut found = 0usize;
        let mut last: Option<usize> = None;
        let mut in_order = true;
        let mut unknown: Option<String> = None;
        let mut unknown_count = 0usize;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match member_index(model, shape, key.as_str()) {
                Some(i) => {
                    let member = &shape.members[i];
                    let v = map.next_value_seed(Typed { model, shape: model.shape(member.target), raw_timestamps })?;
                    if !v.is_null() {
                        in_order &= last.is_none_or(|j| j < i);
                        last = Some(i);
                        found += 1;
                        out.insert(member.name.to_string(), v);
                    }
                }
                None if shape.traits.union && key.as_str() != "__type" => {
                    if map.next_value::<Option<IgnoredAny>>()?.is_some() {
                        unknown_count += 1;
                        unknown.get_or_insert_with(|| key.into_string());
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if shape.traits.union {
            if found + unknown_count != 1 {
                return Err(de::Error::custom(union_error(shape)));
            }
            if let Some(tag) = unknown {
                return Ok(unknown_union_member(&tag));
            }
        }
        if !in_order {
            let position = |name: &str| shape.members.iter().position(|m| &*m.name == name);
            out.sort_by_cached_key(|name, _| position(name));
        }
        Ok(Value::Map(out))
    }
}

struct ListVisitor<'m>(Typed<'m>);

impl<'de> Visitor<'de> for ListVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array (list {})", self.0.shape.name)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Typed { model, shape, raw_timestamps } = self.0;
        let member = shape.member.as_ref().ok_or_else(|| de::Error::custom("list without a member"))?;
        let target = model.shape(member.target);
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(Typed { model, shape: target, raw_timestamps })? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
}

struct MapVisitor<'m>(Typed<'m>);

impl<'de> Visitor<'de> for MapVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object (map {})", self.0.shape.name)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Typed { model, shape, raw_timestamps } = self.0;
        let value = shape.value.as_ref().ok_or_else(|| de::Error::custom("map without a value"))?;
        let target = model.shape(value.target);
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let v = map.next_value_seed(Typed { model, shape: target, raw_timestamps })?;
            if !v.is_null() || shape.traits.sparse {
                out.insert(key.into_string(), v);
            }
        }
        Ok(Value::Map(out))
    }
}

/// Scalars. Like botocore, a value of another JSON type than the shape's
/// is passed through rather than refused, except where a conversion is
/// defined (blobs, timestamps, special floats, numbers and booleans in
/// strings).
struct ScalarVisitor<'m>(&'m Shape, bool);

impl ScalarVisitor<'_> {
    fn text<E: de::Error>(self, v: &str) -> Result<Value, E> {
        let shape = self.0;
        Ok(match shape.kind {
            ShapeKind::Blob => Value::Blob(decode_base64(v).map_err(E::custom)?),
            ShapeKind::Timestamp if self.1 => Value::String(v.to_owned()),
            ShapeKind::Timestamp => super::timestamp_from_text(v).map_err(E::custom)?,
            ShapeKind::Float | ShapeKind::Double => Value::Float(
                special_float(v)
                    .or_else(|| v.trim().parse().ok())
                    .ok_or_else(|| E::custom(format!("invalid {} {v:?}", shape.kind.as_str())))?,
            ),
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
                super::int_from_text(v.trim()).map_err(E::custom)?
            }
            ShapeKind::Boolean => Value::Bool(v.eq_ignore_ascii_case("true")),
            _ => Value::String(v.to_owned()),
        })
    }

    fn number<E: de::Error>(self, v: f64, exact: impl FnOnce() -> Value) -> Result<Value, E> {
        Ok(match self.0.kind {
            ShapeKind::Timestamp if self.1 => exact(),
            ShapeKind::Timestamp => Value::Timestamp(
                timestamp::from_epoch_f64(v).ok_or_else(|| E::custom(format!("timestamp {v} out of range")))?,
            ),
            ShapeKind::Float | ShapeKind::Double => Value::Float(v),
            _ => exact(),
        })
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} ({})", self.0.kind.as_str(), self.0.name)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        if self.0.kind == ShapeKind::Timestamp && !self.1 {
            return timestamp::from_epoch_seconds(v)
                .map(Value::Timestamp)
                .ok_or_else(|| E::custom(format!("timestamp {v} out of range")));
        }
        self.number(v as f64, || Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(i) => self.visit_i64(i),
            Err(_) => self.number(v as f64, || Value::Number(v.to_string())),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.number(v, || Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.text(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        match self.0.kind {
            ShapeKind::String | ShapeKind::Character => Ok(Value::String(v)),
            _ => self.text(&v),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        Untyped.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        Untyped.visit_map(map)
    }
}

/// Untyped JSON: documents and error bodies. Integers beyond 64 bits keep
/// their digits as [`Value::Number`]; nulls are kept.
pub(crate) struct Untyped;

impl<'de> Visitor<'de> for Untyped {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Number(v.to_string()), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(UntypedSeed)? {
            items.push(v);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let v = map.next_value_seed(UntypedSeed)?;
            out.insert(key.into_string(), v);
        }
        Ok(Value::Map(out))
    }
}

struct UntypedSeed;

impl<'de> DeserializeSeed<'de> for UntypedSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(Untyped)
    }
}
