//! CBOR (RFC 8949) bodies of the smithy-rpc-v2-cbor protocol, and the
//! protocol itself.
//!
//! Bodies are read straight into [`Value`]s guided by the shapes
//! (`parse_body`); [`decode_item`] decodes any CBOR into a generic
//! [`Item`] (for tests and diagnostics). Both accept definite and
//! indefinite lengths, half/single/double floats, and refuse truncated
//! input, reserved additional information, unassigned simple values, a
//! stray break, nested indefinite strings and nesting deeper than 100
//! levels.
//!
//! Typed reading follows botocore's `RpcV2CBORParser`: structure members
//! are keyed by member name, null members are absent, tag 1 is an epoch
//! timestamp (seconds, integer or float), integers beyond 64 bits and
//! bignums (tags 2, 3) keep their exact digits, other tags are looked
//! through.

use std::borrow::Cow;

use super::error::{self, RawError};
use super::{
    event_stream, event_stream_member, header_text, special_float, timestamp, union_error, unknown_union_member, Ctx,
    ParseError, Parsed, MAX_DEPTH,
};
use crate::model::{ServiceModel, Shape, ShapeKind};
use crate::request::HttpResponse;
use crate::value::{Map, Value};

/// Why CBOR could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: {message}")]
pub struct CborError {
    /// The byte offset where decoding stopped.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// A generic CBOR data item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Major type 0.
    Unsigned(u64),
    /// Major type 1: the value is `-1 - n`.
    Negative(u64),
    /// Major type 2 (indefinite-length chunks joined).
    Bytes(Vec<u8>),
    /// Major type 3 (indefinite-length chunks joined).
    Text(String),
    /// Major type 4.
    Array(Vec<Item>),
    /// Major type 5, entries in order.
    Map(Vec<(Item, Item)>),
    /// Major type 6: a tag and its content.
    Tag(u64, Box<Item>),
    /// `false` / `true`.
    Bool(bool),
    /// `null`.
    Null,
    /// `undefined`.
    Undefined,
    /// A half-precision float, as its bits.
    Float16(u16),
    /// A single-precision float.
    Float32(f32),
    /// A double-precision float.
    Float64(f64),
}

/// Decodes one CBOR data item that must span all of `bytes`.
///
/// ```
/// use boto_core::protocol::parse::cbor::{decode_item, Item};
/// assert_eq!(decode_item(&[0x82, 0x01, 0x20]).unwrap(), Item::Array(vec![Item::Unsigned(1), Item::Negative(0)]));
/// assert!(decode_item(&[0x18]).is_err());
/// ```
pub fn decode_item(bytes: &[u8]) -> Result<Item, CborError> {
    let mut r = Reader { buf: bytes, pos: 0, depth: 0 };
    let head = r.head()?;
    let item = r.item(head)?;
    r.end()?;
    Ok(item)
}

/// The head of a data item: its major type and argument.
#[derive(Debug, Clone, Copy)]
enum Head {
    Uint(u64),
    Neg(u64),
    Bytes(Option<u64>),
    Text(Option<u64>),
    Array(Option<u64>),
    Map(Option<u64>),
    Tag(u64),
    Bool(bool),
    Null,
    Undefined,
    F16(u16),
    F32(f32),
    F64(f64),
    Break,
}

impl Head {
    fn describe(self) -> &'static str {
        match self {
            Head::Uint(_) | Head::Neg(_) => "an integer",
            Head::Bytes(_) => "a byte string",
            Head::Text(_) => "a text string",
            Head::Array(_) => "an array",
            Head::Map(_) => "a map",
            Head::Tag(_) => "a tag",
            Head::Bool(_) => "a boolean",
            Head::Null | Head::Undefined => "null",
            Head::F16(_) | Head::F32(_) | Head::F64(_) => "a float",
            Head::Break => "a break",
        }
    }
}

/// A cursor over CBOR bytes.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, message: impl Into<String>) -> CborError {
        CborError { offset: self.pos, message: message.into() }
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], CborError> {
        let remaining = self.buf.len() - self.pos;
        if n > remaining as u64 {
            return Err(self.error(format!("length {n} is greater than the {remaining} bytes left")));
        }
        let out = &self.buf[self.pos..self.pos + n as usize];
        self.pos += n as usize;
        Ok(out)
    }

    fn uint(&mut self, n: usize) -> Result<u64, CborError> {
        Ok(self.take(n as u64)?.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn end(&self) -> Result<(), CborError> {
        if self.pos != self.buf.len() {
            return Err(self.error(format!("{} bytes after the data item", self.buf.len() - self.pos)));
        }
        Ok(())
    }

    fn peek_break(&mut self) -> Result<bool, CborError> {
        match self.buf.get(self.pos) {
            Some(0xff) => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(self.error("expected a break marker, found the end of the input")),
        }
    }

    fn head(&mut self) -> Result<Head, CborError> {
        let start = self.pos;
        let Some(&b) = self.buf.get(self.pos) else {
            return Err(self.error("unexpected end of the input"));
        };
        self.pos += 1;
        let major = b >> 5;
        let info = b & 0x1f;
        if major == 7 {
            return Ok(match info {
                20 => Head::Bool(false),
                21 => Head::Bool(true),
                22 => Head::Null,
                23 => Head::Undefined,
                25 => Head::F16(self.uint(2)? as u16),
                26 => Head::F32(f32::from_bits(self.uint(4)? as u32)),
                27 => Head::F64(f64::from_bits(self.uint(8)?)),
                31 => Head::Break,
                _ => {
                    self.pos = start;
                    return Err(self.error(format!("unsupported simple value (additional information {info})")));
                }
            });
        }
        let arg = match info {
            0..=23 => Some(u64::from(info)),
            24 => Some(self.uint(1)?),
            25 => Some(self.uint(2)?),
            26 => Some(self.uint(4)?),
            27 => Some(self.uint(8)?),
            31 => None,
            _ => {
                self.pos = start;
                return Err(self.error(format!("reserved additional information {info}")));
            }
        };
        let definite = |arg: Option<u64>| {
            arg.ok_or_else(|| CborError { offset: start, message: format!("major type {major} cannot be indefinite") })
        };
        Ok(match major {
            0 => Head::Uint(definite(arg)?),
            1 => Head::Neg(definite(arg)?),
            2 => Head::Bytes(arg),
            3 => Head::Text(arg),
            4 => Head::Array(arg),
            5 => Head::Map(arg),
            _ => Head::Tag(definite(arg)?),
        })
    }

    /// The content of a byte or text string (`major` 2 or 3) whose head
    /// gave `len`; indefinite strings are their definite chunks joined.
    fn string(&mut self, major: u8, len: Option<u64>) -> Result<Cow<'a, [u8]>, CborError> {
        if let Some(n) = len {
            return self.take(n).map(Cow::Borrowed);
        }
        let mut out = Vec::new();
        loop {
            if self.peek_break()? {
                return Ok(Cow::Owned(out));
            }
            let chunk = self.head()?;
            let len = match (major, chunk) {
                (2, Head::Bytes(Some(n))) | (3, Head::Text(Some(n))) => n,
                (2, Head::Bytes(None)) | (3, Head::Text(None)) => {
                    return Err(self.error("nested indefinite-length string"))
                }
                (_, other) => {
                    return Err(self.error(format!("{} inside an indefinite-length string", other.describe())))
                }
            };
            out.extend_from_slice(self.take(len)?);
        }
    }

    fn text(&mut self, len: Option<u64>) -> Result<Cow<'a, str>, CborError> {
        let at = self.pos;
        match self.string(3, len)? {
            Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed),
            Cow::Owned(v) => String::from_utf8(v).map(Cow::Owned).map_err(|e| e.utf8_error()),
        }
        .map_err(|_| CborError { offset: at, message: "text string is not valid UTF-8".into() })
    }

    fn enter(&mut self) -> Result<(), CborError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("data items nested more than {MAX_DEPTH} deep")));
        }
        Ok(())
    }

    /// A capacity for `n` announced elements that a hostile length cannot
    /// blow up (every element takes at least a byte).
    fn capacity(&self, n: Option<u64>) -> usize {
        n.map_or(0, |n| n.min((self.buf.len() - self.pos) as u64) as usize)
    }

    /// Calls `f` for each element of an array or each key of a map
    /// (`f` must read the key and its value), definite or indefinite.
    fn each(
        &mut self,
        len: Option<u64>,
        mut f: impl FnMut(&mut Self) -> Result<(), CborError>,
    ) -> Result<(), CborError> {
        self.enter()?;
        match len {
            Some(n) => {
                for _ in 0..n {
                    f(self)?;
                }
            }
            None => {
                while !self.peek_break()? {
                    f(self)?;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn item(&mut self, head: Head) -> Result<Item, CborError> {
        Ok(match head {
            Head::Uint(n) => Item::Unsigned(n),
            Head::Neg(n) => Item::Negative(n),
            Head::Bytes(len) => Item::Bytes(self.string(2, len)?.into_owned()),
            Head::Text(len) => Item::Text(self.text(len)?.into_owned()),
            Head::Array(len) => {
                let mut items = Vec::with_capacity(self.capacity(len));
                self.each(len, |r| {
                    let h = r.head()?;
                    items.push(r.item(h)?);
                    Ok(())
                })?;
                Item::Array(items)
            }
            Head::Map(len) => {
                let mut entries = Vec::with_capacity(self.capacity(len));
                self.each(len, |r| {
                    let h = r.head()?;
                    let k = r.item(h)?;
                    let h = r.head()?;
                    let v = r.item(h)?;
                    entries.push((k, v));
                    Ok(())
                })?;
                Item::Map(entries)
            }
            Head::Tag(tag) => {
                self.enter()?;
                let h = self.head()?;
                let inner = self.item(h)?;
                self.depth -= 1;
                Item::Tag(tag, Box::new(inner))
            }
            Head::Bool(b) => Item::Bool(b),
            Head::Null => Item::Null,
            Head::Undefined => Item::Undefined,
            Head::F16(bits) => Item::Float16(bits),
            Head::F32(x) => Item::Float32(x),
            Head::F64(x) => Item::Float64(x),
            Head::Break => return Err(self.error("unexpected break marker")),
        })
    }

    /// Reads past the item whose head was just read.
    fn skip(&mut self, head: Head) -> Result<(), CborError> {
        match head {
            Head::Bytes(len) => {
                self.string(2, len)?;
            }
            Head::Text(len) => {
                self.string(3, len)?;
            }
            Head::Array(len) => self.each(len, |r| {
                let h = r.head()?;
                r.skip(h)
            })?,
            Head::Map(len) => self.each(len, |r| {
                let h = r.head()?;
                r.skip(h)?;
                let h = r.head()?;
                r.skip(h)
            })?,
            Head::Tag(_) => {
                self.enter()?;
                let h = self.head()?;
                self.skip(h)?;
                self.depth -= 1;
            }
            Head::Break => return Err(self.error("unexpected break marker")),
            _ => {}
        }
        Ok(())
    }
}

/// A half-precision float's value.
pub(crate) fn f16_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((bits >> 10) & 0x1f);
    let mant = f64::from(bits & 0x3ff);
    match exp {
        0 => sign * mant * 2f64.powi(-24),
        31 if mant == 0.0 => sign * f64::INFINITY,
        31 => f64::NAN,
        _ => sign * (1.0 + mant / 1024.0) * 2f64.powi(exp - 15),
    }
}

/// Bignums (tags 2 and 3) longer than this are refused: converting them
/// to decimal takes time quadratic in their length.
const MAX_BIGNUM_BYTES: usize = 1024;

/// The decimal digits of an unsigned big-endian integer.
fn bignum_digits(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::new(); // little-endian base-10
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    if digits.is_empty() {
        return "0".into();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// `mantissa × 10^exp` as plain decimal text (`273.15`); exponents too
/// large to write out stay in `e` notation.
fn decimal_text(mantissa: &str, exp: i128) -> String {
    let (sign, digits) = match mantissa.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", mantissa),
    };
    if exp.unsigned_abs() > 1000 {
        return format!("{mantissa}e{exp}");
    }
    if exp >= 0 {
        return format!("{sign}{digits}{}", "0".repeat(exp as usize));
    }
    let point = exp.unsigned_abs() as usize;
    if digits.len() > point {
        let (int, frac) = digits.split_at(digits.len() - point);
        format!("{sign}{int}.{frac}")
    } else {
        format!("{sign}0.{}{digits}", "0".repeat(point - digits.len()))
    }
}

fn negative(n: u64) -> Value {
    match i64::try_from(n) {
        Ok(i) => Value::Int(-1 - i),
        Err(_) => Value::Number(format!("-{}", u128::from(n) + 1)),
    }
}

fn unsigned(n: u64) -> Value {
    i64::try_from(n).map_or_else(|_| Value::Number(n.to_string()), Value::Int)
}

/// Reads a body as values of shapes.
struct Typed<'a, 'm> {
    r: Reader<'a>,
    model: &'m ServiceModel,
    raw_timestamps: bool,
}

impl<'a, 'm> Typed<'a, 'm> {
    fn value(&mut self, shape: &'m Shape) -> Result<Value, CborError> {
        let head = self.r.head()?;
        self.value_with(shape, head)
    }

    fn value_with(&mut self, shape: &'m Shape, head: Head) -> Result<Value, CborError> {
        if matches!(head, Head::Null | Head::Undefined) {
            return Ok(Value::Null);
        }
        if shape.traits.document {
            return self.untyped(head);
        }
        match (shape.kind, head) {
            (ShapeKind::Structure | ShapeKind::List | ShapeKind::Map, Head::Tag(_)) => {
                // Tags mean nothing to aggregates: read what they tag.
                self.r.enter()?;
                let head = self.r.head()?;
                let value = self.value_with(shape, head)?;
                self.r.depth -= 1;
                Ok(value)
            }
            (_, Head::Tag(tag)) => self.tagged(shape, tag),
            (ShapeKind::Structure, Head::Map(len)) => self.structure(shape, len),
            (ShapeKind::List, Head::Array(len)) => {
                let member = shape.member.as_ref().ok_or_else(|| self.r.error("list without a member"))?;
                let target = self.model.shape(member.target);
                let mut items = Vec::with_capacity(self.r.capacity(len));
                self.each(len, |t| {
                    items.push(t.value(target)?);
                    Ok(())
                })?;
                Ok(Value::List(items))
            }
            (ShapeKind::Map, Head::Map(len)) => {
                let value = shape.value.as_ref().ok_or_else(|| self.r.error("map without a value"))?;
                let target = self.model.shape(value.target);
                let mut out = Map::new();
                self.each(len, |t| {
                    let key = t.key()?;
                    let v = t.value(target)?;
                    if !v.is_null() || shape.traits.sparse {
                        out.insert(key.into_owned(), v);
                    }
                    Ok(())
                })?;
                Ok(Value::Map(out))
            }
            (ShapeKind::Structure | ShapeKind::List | ShapeKind::Map, other) => Err(self.r.error(format!(
                "expected {} for {} {}, found {}",
                if shape.kind == ShapeKind::List { "an array" } else { "a map" },
                shape.kind.as_str(),
                shape.name,
                other.describe()
            ))),
            (_, head) => self.scalar(shape, head),
        }
    }

    fn each(
        &mut self,
        len: Option<u64>,
        mut f: impl FnMut(&mut Self) -> Result<(), CborError>,
    ) -> Result<(), CborError> {
        self.r.enter()?;
        match len {
            Some(n) => {
                for _ in 0..n {
                    f(self)?;
                }
            }
            None => {
                while !self.r.peek_break()? {
                    f(self)?;
                }
            }
        }
        self.r.depth -= 1;
        Ok(())
    }

    fn key(&mut self) -> Result<Cow<'a, str>, CborError> {
        match self.r.head()? {
            Head::Text(len) => self.r.text(len),
            other => Err(self.r.error(format!("expected a text key, found {}", other.describe()))),
        }
    }

    fn structure(&mut self, shape: &'m Shape, len: Option<u64>) -> Result<Value, CborError> {
        let mut found: Vec<(usize, Value)> = Vec::new();
        let mut unknown: Option<String> = None;
        let mut unknown_count = 0usize;
        self.each(len, |t| {
            let key = t.key()?;
            let index = shape.member_named(&key).and_then(|m| shape.members.iter().position(|x| std::ptr::eq(x, m)));
            match index {
                Some(i) => {
                    let v = t.value(t.model.shape(shape.members[i].target))?;
                    if !v.is_null() {
                        found.retain(|&(j, _)| j != i);
                        found.push((i, v));
                    }
                }
                None => {
                    let head = t.r.head()?;
                    let is_null = matches!(head, Head::Null | Head::Undefined);
                    t.r.skip(head)?;
                    if shape.traits.union && !is_null && key != "__type" {
                        unknown_count += 1;
                        unknown.get_or_insert_with(|| key.into_owned());
                    }
                }
            }
            Ok(())
        })?;
        if shape.traits.union {
            if found.len() + unknown_count != 1 {
                return Err(self.r.error(union_error(shape)));
            }
            if let Some(tag) = unknown {
                return Ok(unknown_union_member(&tag));
            }
        }
        found.sort_by_key(|&(i, _)| i);
        let mut out = Map::with_capacity(found.len());
        for (i, v) in found {
            out.insert(shape.members[i].name.to_string(), v);
        }
        Ok(Value::Map(out))
    }

    /// Tag 1 (epoch seconds) gives a timestamp, tags 2 and 3 (bignums)
    /// exact numbers, tag 4 (decimal fraction) exact decimal text; other
    /// tags are looked through.
    fn tagged(&mut self, shape: &'m Shape, tag: u64) -> Result<Value, CborError> {
        self.r.enter()?;
        let head = self.r.head()?;
        let value = match (tag, head) {
            (1, Head::Uint(n)) => self.epoch(n as f64, i64::try_from(n).ok())?,
            (1, Head::Neg(n)) => self.epoch(-1.0 - n as f64, i64::try_from(n).ok().map(|i| -1 - i))?,
            (1, Head::F16(bits)) => self.epoch(f16_to_f64(bits), None)?,
            (1, Head::F32(x)) => self.epoch(f64::from(x), None)?,
            (1, Head::F64(x)) => self.epoch(x, None)?,
            (1, other) => return Err(self.r.error(format!("tag 1 (epoch time) on {}", other.describe()))),
            (2 | 3, Head::Bytes(len)) => {
                let bytes = self.r.string(2, len)?;
                if bytes.len() > MAX_BIGNUM_BYTES {
                    return Err(self.r.error(format!("bignum of {} bytes is too large", bytes.len())));
                }
                let digits = bignum_digits(&bytes);
                if tag == 2 {
                    Value::Number(digits)
                } else {
                    // -1 - n: add one to the digits.
                    let n: u128 = digits.parse().unwrap_or(u128::MAX);
                    Value::Number(if n < u128::MAX { format!("-{}", n + 1) } else { format!("-{digits}") })
                }
            }
            (4, Head::Array(Some(2))) => {
                let exp = match self.r.head()? {
                    Head::Uint(n) => i128::from(n),
                    Head::Neg(n) => -1 - i128::from(n),
                    other => return Err(self.r.error(format!("decimal fraction exponent is {}", other.describe()))),
                };
                let head = self.r.head()?;
                let mantissa = match self.value_with(shape, head)? {
                    Value::Int(i) => i.to_string(),
                    Value::Number(n) => n,
                    _ => return Err(self.r.error("decimal fraction mantissa is not an integer")),
                };
                Value::Number(decimal_text(&mantissa, exp))
            }
            (_, head) => self.value_with(shape, head)?,
        };
        self.r.depth -= 1;
        Ok(value)
    }

    fn epoch(&self, secs: f64, whole: Option<i64>) -> Result<Value, CborError> {
        if self.raw_timestamps {
            return Ok(whole.map_or(Value::Float(secs), Value::Int));
        }
        let t = match whole {
            Some(i) => timestamp::from_epoch_seconds(i),
            None => timestamp::from_epoch_f64(secs),
        };
        t.map(Value::Timestamp).ok_or_else(|| self.r.error(format!("timestamp {secs} out of range")))
    }

    fn scalar(&mut self, shape: &'m Shape, head: Head) -> Result<Value, CborError> {
        let kind = shape.kind;
        let float = |x: f64| match kind {
            ShapeKind::Timestamp => None,
            ShapeKind::BigDecimal => Some(Value::Number(x.to_string())),
            _ => Some(Value::Float(x)),
        };
        Ok(match head {
            Head::Uint(n) => match kind {
                ShapeKind::Float | ShapeKind::Double => Value::Float(n as f64),
                ShapeKind::Timestamp => self.epoch(n as f64, i64::try_from(n).ok())?,
                ShapeKind::BigInteger | ShapeKind::BigDecimal => Value::Number(n.to_string()),
                _ => unsigned(n),
            },
            Head::Neg(n) => match kind {
                ShapeKind::Float | ShapeKind::Double => Value::Float(-1.0 - n as f64),
                ShapeKind::Timestamp => self.epoch(-1.0 - n as f64, i64::try_from(n).ok().map(|i| -1 - i))?,
                ShapeKind::BigInteger | ShapeKind::BigDecimal => match negative(n) {
                    Value::Int(i) => Value::Number(i.to_string()),
                    other => other,
                },
                _ => negative(n),
            },
            Head::F16(bits) => float(f16_to_f64(bits)).map_or_else(|| self.epoch(f16_to_f64(bits), None), Ok)?,
            Head::F32(x) => float(f64::from(x)).map_or_else(|| self.epoch(f64::from(x), None), Ok)?,
            Head::F64(x) => float(x).map_or_else(|| self.epoch(x, None), Ok)?,
            Head::Bool(b) => Value::Bool(b),
            Head::Bytes(len) => {
                let bytes = self.r.string(2, len)?;
                match kind {
                    ShapeKind::String | ShapeKind::Character => Value::String(
                        String::from_utf8(bytes.into_owned()).map_err(|_| self.r.error("string is not valid UTF-8"))?,
                    ),
                    _ => Value::Blob(bytes.into_owned().into()),
                }
            }
            Head::Text(len) => {
                let text = self.r.text(len)?;
                match kind {
                    ShapeKind::Blob => Value::Blob(bytes::Bytes::copy_from_slice(text.as_bytes())),
                    ShapeKind::Timestamp if self.raw_timestamps => Value::String(text.into_owned()),
                    ShapeKind::Timestamp => super::timestamp_from_text(&text).map_err(|m| self.r.error(m))?,
                    ShapeKind::Float | ShapeKind::Double => match special_float(&text) {
                        Some(x) => Value::Float(x),
                        None => return Err(self.r.error(format!("invalid {} {text:?}", kind.as_str()))),
                    },
                    _ => Value::String(text.into_owned()),
                }
            }
            other => return Err(self.r.error(format!("expected a {}, found {}", kind.as_str(), other.describe()))),
        })
    }

    /// Untyped values: documents and error bodies. Map keys must be text;
    /// null map values are dropped (as botocore does).
    fn untyped(&mut self, head: Head) -> Result<Value, CborError> {
        Ok(match head {
            Head::Uint(n) => unsigned(n),
            Head::Neg(n) => negative(n),
            Head::Bytes(len) => Value::Blob(self.r.string(2, len)?.into_owned().into()),
            Head::Text(len) => Value::String(self.r.text(len)?.into_owned()),
            Head::Array(len) => {
                let mut items = Vec::with_capacity(self.r.capacity(len));
                self.each(len, |t| {
                    let h = t.r.head()?;
                    items.push(t.untyped(h)?);
                    Ok(())
                })?;
                Value::List(items)
            }
            Head::Map(len) => {
                let mut out = Map::new();
                self.each(len, |t| {
                    let key = t.key()?;
                    let h = t.r.head()?;
                    let v = t.untyped(h)?;
                    if !v.is_null() {
                        out.insert(key.into_owned(), v);
                    }
                    Ok(())
                })?;
                Value::Map(out)
            }
            Head::Tag(1) => {
                let h = self.r.head()?;
                match h {
                    Head::Uint(n) => self.epoch(n as f64, i64::try_from(n).ok())?,
                    Head::Neg(n) => self.epoch(-1.0 - n as f64, i64::try_from(n).ok().map(|i| -1 - i))?,
                    Head::F16(b) => self.epoch(f16_to_f64(b), None)?,
                    Head::F32(x) => self.epoch(f64::from(x), None)?,
                    Head::F64(x) => self.epoch(x, None)?,
                    other => return Err(self.r.error(format!("tag 1 (epoch time) on {}", other.describe()))),
                }
            }
            Head::Tag(_) => {
                self.r.enter()?;
                let h = self.r.head()?;
                let v = self.untyped(h)?;
                self.r.depth -= 1;
                v
            }
            Head::Bool(b) => Value::Bool(b),
            Head::Null | Head::Undefined => Value::Null,
            Head::F16(bits) => Value::Float(f16_to_f64(bits)),
            Head::F32(x) => Value::Float(f64::from(x)),
            Head::F64(x) => Value::Float(x),
            Head::Break => return Err(self.r.error("unexpected break marker")),
        })
    }
}

fn cbor_error(ctx: &Ctx<'_>, e: CborError) -> ParseError {
    ctx.error(format!("byte {}", e.offset), format!("invalid CBOR: {}", e.message))
}

/// Parses a CBOR body as a value of `shape`; an empty body is an empty
/// structure.
pub(crate) fn parse_body(ctx: &Ctx<'_>, shape: &Shape, body: &[u8]) -> Result<Value, ParseError> {
    if body.is_empty() {
        return Ok(Value::map());
    }
    let mut t = Typed {
        r: Reader { buf: body, pos: 0, depth: 0 },
        model: ctx.model,
        raw_timestamps: ctx.options.raw_timestamps,
    };
    let value = t.value(shape).and_then(|v| t.r.end().map(|_| v)).map_err(|e| cbor_error(ctx, e))?;
    Ok(match value {
        Value::Null if shape.kind == ShapeKind::Structure => Value::map(),
        v => v,
    })
}

/// Decodes a CBOR body without a shape (error bodies).
fn parse_untyped(ctx: &Ctx<'_>, body: &[u8]) -> Result<Value, ParseError> {
    let mut t = Typed {
        r: Reader { buf: body, pos: 0, depth: 0 },
        model: ctx.model,
        raw_timestamps: ctx.options.raw_timestamps,
    };
    t.r.head().and_then(|h| t.untyped(h)).and_then(|v| t.r.end().map(|_| v)).map_err(|e| cbor_error(ctx, e))
}

// ---- the protocol ----

pub(crate) fn parse_rpc(ctx: &Ctx<'_>, response: &mut HttpResponse) -> Result<Parsed, ParseError> {
    if response.status >= 300 {
        let body = ctx.body(response)?;
        let raw = error_raw(ctx, response, body)?;
        return error::finish(ctx, response.status, raw, |shape| {
            Ok(match parse_body(ctx, shape, body)? {
                Value::Map(m) => m,
                _ => Map::new(),
            })
        });
    }
    let mut metadata = Map::new();
    if let Some(id) = header_text(&response.headers, "x-amzn-requestid") {
        metadata.insert("RequestId".into(), Value::String(id));
    }
    let mut result = match ctx.output() {
        None => Value::map(),
        Some(shape) if event_stream_member(ctx.model, shape).is_some() => {
            match event_stream::parse_rpc_output(ctx, shape, response, event_stream::Format::Cbor)? {
                Parsed::Ok(v) => v,
                err => return Ok(err),
            }
        }
        Some(shape) => parse_body(ctx, shape, ctx.body(response)?)?,
    };
    if !matches!(result, Value::Map(_)) {
        return Err(ctx.error("byte 0", format!("expected a map, found a {}", result.kind())));
    }
    result.insert("ResponseMetadata", Value::Map(metadata));
    Ok(Parsed::Ok(result))
}

/// As botocore's `RpcV2CBORParser._do_error_parse`: the code from
/// `__type` (else the status), the message from `message` / `Message`.
fn error_raw(ctx: &Ctx<'_>, response: &HttpResponse, body: &[u8]) -> Result<RawError, ParseError> {
    let status = response.status;
    let mut raw = if error::is_generic(status, body) {
        error::from_status(status)
    } else {
        let parsed = if body.is_empty() {
            Map::new()
        } else {
            match parse_untyped(ctx, body)? {
                Value::Map(m) => m,
                _ => Map::new(),
            }
        };
        let text = |key: &str| parsed.get(key).and_then(Value::as_str).map(str::to_owned);
        let message = text("message").or_else(|| text("Message")).unwrap_or_default();
        let code = text("__type").map(|c| error::sanitize_code(&c).to_owned()).unwrap_or_else(|| status.to_string());
        let mut raw = RawError { message, ..RawError::default() };
        raw.code = error::query_compatible(code, &response.headers, &mut raw.details);
        raw
    };
    if let Some(id) = header_text(&response.headers, "x-amzn-requestid") {
        raw.metadata.insert("RequestId".into(), Value::String(id));
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::{bignum_digits, decimal_text, f16_to_f64};

    #[test]
    fn decimal_fractions_and_bignums() {
        assert_eq!(decimal_text("27315", -2), "273.15");
        assert_eq!(decimal_text("-5", -3), "-0.005");
        assert_eq!(decimal_text("12", 3), "12000");
        assert_eq!(decimal_text("7", 0), "7");
        assert_eq!(decimal_text("1", 5000), "1e5000");
        assert_eq!(bignum_digits(&[]), "0");
        assert_eq!(bignum_digits(&[1, 0]), "256");
        assert_eq!(bignum_digits(&[0xff; 8]), u64::MAX.to_string());
        assert_eq!(f16_to_f64(0x3c00), 1.0);
        assert_eq!(f16_to_f64(0x0001), 2f64.powi(-24));
        assert!(f16_to_f64(0x7e00).is_nan());
    }
}
