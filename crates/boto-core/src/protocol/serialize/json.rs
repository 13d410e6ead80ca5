//! JSON bodies (shared by `json` and `rest-json`) and the `json` protocol
//! (awsJson1_0 / awsJson1_1): `POST /` with `X-Amz-Target:
//! {targetPrefix}.{Operation}` and `Content-Type:
//! application/x-amz-json-{jsonVersion}`.
//!
//! Members are written under their `locationName` (else their name), in
//! the order the caller gave them; null members are left out. Blobs are
//! base64 strings, timestamps epoch seconds unless the member says
//! otherwise, NaN and the infinities the strings `"NaN"`, `"Infinity"`,
//! `"-Infinity"`, documents written as they are.

use super::encode::base64_into_vec;
use super::scalar::{float_value, is_number_text, write_py_float, FloatValue};
use super::shape_ref::Ref;
use super::timestamp::{self, Epoch};
use super::{expect_map, member_named, method, Fail, Res};
use crate::body::Body;
use crate::model::{Operation, ServiceModel, Shape, ShapeKind, TimestampFormat};
use crate::request::HttpRequest;
use crate::value::{Map, Value};

pub(crate) fn serialize(model: &ServiceModel, operation: &Operation, params: Option<&Map>) -> Res<HttpRequest> {
    let meta = model.metadata();
    let prefix = meta
        .target_prefix
        .as_deref()
        .ok_or_else(|| Fail::new("the service model has no targetPrefix for the X-Amz-Target header"))?;
    let content_type = match meta.json_version.as_deref().unwrap_or("1.0") {
        "1.0" => http::HeaderValue::from_static("application/x-amz-json-1.0"),
        "1.1" => http::HeaderValue::from_static("application/x-amz-json-1.1"),
        other => super::header_value(format!("application/x-amz-json-{other}").as_bytes())?,
    };
    let mut target = String::with_capacity(prefix.len() + 1 + operation.name.len());
    target.push_str(prefix);
    target.push('.');
    target.push_str(&operation.name);

    let mut w = JsonWriter::new(model);
    match (&operation.input, params) {
        (Some(input), Some(params)) => w.structure(model.shape(input.shape), params, |_| true)?,
        _ => w.out.extend_from_slice(b"{}"),
    }

    let mut request = HttpRequest::new(method(operation)?, "/");
    request.headers.insert("x-amz-target", super::header_value(target.as_bytes())?);
    request.headers.insert(http::header::CONTENT_TYPE, content_type);
    if meta.aws_query_compatible {
        request.headers.insert("x-amzn-query-mode", http::HeaderValue::from_static("true"));
    }
    request.body = Body::from(w.out);
    Ok(request)
}

/// Writes JSON for shapes straight into a byte buffer.
pub(crate) struct JsonWriter<'a> {
    model: &'a ServiceModel,
    /// The JSON written so far.
    pub out: Vec<u8>,
}

impl<'a> JsonWriter<'a> {
    pub fn new(model: &'a ServiceModel) -> JsonWriter<'a> {
        JsonWriter { model, out: Vec::with_capacity(256) }
    }

    /// Writes the members of `map` that `keep` accepts (by member) as a
    /// JSON object.
    pub fn structure(&mut self, shape: &Shape, map: &Map, keep: impl Fn(Ref<'_>) -> bool) -> Res<()> {
        self.out.push(b'{');
        let mut first = true;
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            let member = member_named(shape, key)?;
            let r = Ref::member(self.model, member);
            if !keep(r) {
                continue;
            }
            if !first {
                self.out.push(b',');
            }
            first = false;
            write_str(&mut self.out, r.location_name().unwrap_or(key));
            self.out.push(b':');
            self.value(r, value).map_err(|e| e.at(key))?;
        }
        self.out.push(b'}');
        Ok(())
    }

    /// Writes `value` as the shape `r` says.
    pub fn value(&mut self, r: Ref<'_>, value: &Value) -> Res<()> {
        if r.is_document() {
            return write_document(&mut self.out, value, false);
        }
        match r.kind() {
            ShapeKind::Structure => self.structure(r.shape, expect_map(value)?, |_| true),
            ShapeKind::List => {
                let Value::List(items) = value else { return Err(Fail::expected("a list", value)) };
                let Some(member) = r.shape.member.as_ref() else {
                    return Err(Fail::new("list shape without a member"));
                };
                let item = Ref::member(self.model, member);
                self.out.push(b'[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    if v.is_null() {
                        self.out.extend_from_slice(b"null");
                    } else {
                        self.value(item, v).map_err(|e| e.at_index(i))?;
                    }
                }
                self.out.push(b']');
                Ok(())
            }
            ShapeKind::Map => {
                let Value::Map(entries) = value else { return Err(Fail::expected("a map", value)) };
                let Some(member) = r.shape.value.as_ref() else { return Err(Fail::new("map shape without a value")) };
                let item = Ref::member(self.model, member);
                self.out.push(b'{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    write_str(&mut self.out, k);
                    self.out.push(b':');
                    if v.is_null() {
                        self.out.extend_from_slice(b"null");
                    } else {
                        self.value(item, v).map_err(|e| e.at(k))?;
                    }
                }
                self.out.push(b'}');
                Ok(())
            }
            ShapeKind::String | ShapeKind::Character => {
                match value {
                    Value::String(s) => write_str(&mut self.out, s),
                    // A `jsonvalue` string given as a structure: send its
                    // JSON text.
                    other if r.json_value() => {
                        let mut text = Vec::new();
                        write_document(&mut text, other, false)?;
                        write_str(&mut self.out, std::str::from_utf8(&text).unwrap_or_default());
                    }
                    other => return Err(Fail::expected("a string", other)),
                }
                Ok(())
            }
            ShapeKind::Boolean => match value {
                Value::Bool(b) => {
                    self.out.extend_from_slice(if *b { b"true" } else { b"false" });
                    Ok(())
                }
                other => Err(Fail::expected("a boolean", other)),
            },
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => {
                match value {
                    Value::Int(i) => write_int(&mut self.out, *i),
                    Value::Number(n) if is_number_text(n) => self.out.extend_from_slice(n.as_bytes()),
                    other => return Err(Fail::expected("an integer", other)),
                }
                Ok(())
            }
            ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => {
                match float_value(value)? {
                    FloatValue::Int(i) => write_int(&mut self.out, i),
                    FloatValue::Float(x) => write_float(&mut self.out, x),
                    FloatValue::Text(t) => self.out.extend_from_slice(t.as_bytes()),
                }
                Ok(())
            }
            ShapeKind::Blob => {
                let bytes = super::scalar::blob_bytes(value)?;
                self.out.push(b'"');
                base64_into_vec(&mut self.out, bytes);
                self.out.push(b'"');
                Ok(())
            }
            ShapeKind::Timestamp => {
                let t = timestamp::to_datetime(value)?;
                match r.timestamp_format().unwrap_or(TimestampFormat::UnixTimestamp) {
                    TimestampFormat::UnixTimestamp => match timestamp::epoch(t, false) {
                        Epoch::Int(i) => write_int(&mut self.out, i),
                        Epoch::Float(x) => write_float(&mut self.out, x),
                    },
                    format => {
                        let mut text = String::with_capacity(32);
                        timestamp::write(&mut text, t, format, false);
                        write_str(&mut self.out, &text);
                    }
                }
                Ok(())
            }
        }
    }
}

/// Writes a document (an untyped value): maps as objects, lists as arrays,
/// scalars as JSON scalars. With `ascii`, non-ASCII text is escaped as
/// `\uXXXX`, as Python's `json.dumps` does by default.
pub(crate) fn write_document(out: &mut Vec<u8>, value: &Value, ascii: bool) -> Res<()> {
    let text = |out: &mut Vec<u8>, s: &str| if ascii { write_str_ascii(out, s) } else { write_str(out, s) };
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(i) => write_int(out, *i),
        Value::Float(x) => write_float(out, *x),
        Value::Number(n) if is_number_text(n) => out.extend_from_slice(n.as_bytes()),
        Value::Number(n) => text(out, n),
        Value::String(s) => text(out, s),
        Value::Blob(b) => {
            out.push(b'"');
            base64_into_vec(out, b);
            out.push(b'"');
        }
        Value::Timestamp(_) => {
            let t = timestamp::to_datetime(value)?;
            match timestamp::epoch(t, false) {
                Epoch::Int(i) => write_int(out, i),
                Epoch::Float(x) => write_float(out, x),
            }
        }
        Value::List(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_document(out, v, ascii).map_err(|e| e.at_index(i))?;
            }
            out.push(b']');
        }
        Value::Map(m) => {
            out.push(b'{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                text(out, k);
                out.push(b':');
                write_document(out, v, ascii).map_err(|e| e.at(k))?;
            }
            out.push(b'}');
        }
        Value::Stream(_) => return Err(Fail::new("a stream cannot be part of a document")),
    }
    Ok(())
}

/// A JSON number for an integer.
pub(crate) fn write_int(out: &mut Vec<u8>, i: i64) {
    use std::io::Write as _;
    let _ = write!(out, "{i}");
}

/// A float as Python's `json.dumps` writes it; NaN and the infinities as
/// the strings botocore sends.
pub(crate) fn write_float(out: &mut Vec<u8>, x: f64) {
    let mut s = String::with_capacity(24);
    write_py_float(&mut s, x);
    if x.is_finite() {
        out.extend_from_slice(s.as_bytes());
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// Bytes that need escaping in a JSON string (`"`, `\` and controls).
static ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Writes `s` as a JSON string (UTF-8 kept as it is).
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !ESCAPE[b as usize] {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        escape_byte(out, b);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn escape_byte(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        _ => push_u_escape(out, u16::from(b)),
    }
}

fn push_u_escape(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((unit >> shift) & 15) as usize]);
    }
}

/// Writes `s` as a JSON string with everything outside printable ASCII
/// escaped, as Python's `json.dumps(ensure_ascii=True)`.
fn write_str_ascii(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            ' '..='~' if c != '"' && c != '\\' => out.push(c as u8),
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => escape_byte(out, c as u8),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_u_escape(out, *unit);
                }
            }
        }
    }
    out.push(b'"');
}

/// The text of a `jsonvalue` header: the value as compact, ASCII-only
/// JSON, as botocore's `json.dumps(value, separators=(',', ':'))`.
pub(crate) fn json_value_text(value: &Value) -> Res<Vec<u8>> {
    let mut out = Vec::with_capacity(64);
    write_document(&mut out, value, true)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(v: &Value, ascii: bool) -> String {
        let mut out = Vec::new();
        write_document(&mut out, v, ascii).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        write_str(&mut out, "a\"b\\c\nd\u{1}é😹");
        assert_eq!(String::from_utf8(out).unwrap(), "\"a\\\"b\\\\c\\nd\\u0001é😹\"");
        let v = Value::String("é😹\u{7f}".into());
        assert_eq!(doc(&v, true), r#""\u00e9\ud83d\ude39\u007f""#);
    }

    #[test]
    fn documents_and_floats() {
        let v = crate::params!({"a": [1, 2.5, true, null, "x"], "b": {"c": 1e300}});
        assert_eq!(doc(&v, false), r#"{"a":[1,2.5,true,null,"x"],"b":{"c":1e+300}}"#);
        let mut out = Vec::new();
        write_float(&mut out, f64::NAN);
        write_float(&mut out, 1.0);
        assert_eq!(out, b"\"NaN\"1.0");
    }
}
