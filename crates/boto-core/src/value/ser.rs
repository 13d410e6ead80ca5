//! `Serialize for Value` (how values print as JSON) and `to_value`, a serde
//! serializer that turns any `Serialize` type into a [`Value`].

use base64::Engine as _;
use bytes::Bytes;
use serde::ser::{self, Serialize, SerializeMap as _};
use time::format_description::well_known::Rfc3339;

use super::{Map, Value};

impl Serialize for Value {
    /// Blobs serialize as base64 text, timestamps as ISO 8601 text, NaN and
    /// infinities as `"NaN"`, `"Infinity"` and `"-Infinity"`, exact numbers
    /// as numbers when the format can hold them, streams as `null`.
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::Stream(_) => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(x) if x.is_nan() => s.serialize_str("NaN"),
            Value::Float(x) if x.is_infinite() => s.serialize_str(if *x > 0.0 { "Infinity" } else { "-Infinity" }),
            Value::Float(x) => s.serialize_f64(*x),
            Value::Number(n) => match (n.parse::<i128>(), n.parse::<u128>()) {
                (Ok(i), _) => s.serialize_i128(i),
                (_, Ok(u)) => s.serialize_u128(u),
                _ => s.serialize_str(n),
            },
            Value::String(v) => s.serialize_str(v),
            Value::Blob(b) => s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b)),
            Value::Timestamp(t) => match t.format(&Rfc3339) {
                Ok(text) => s.serialize_str(&text),
                Err(e) => Err(ser::Error::custom(e)),
            },
            Value::List(l) => s.collect_seq(l),
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Why a Rust value could not become a [`Value`].
#[derive(Debug, thiserror::Error)]
#[error("cannot convert to a boto value: {0}")]
pub struct ValueSerializeError(String);

impl ser::Error for ValueSerializeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ValueSerializeError(msg.to_string())
    }
}

/// Converts any `Serialize` type into a [`Value`].
///
/// Structs and maps become [`Value::Map`] (field order kept), sequences
/// [`Value::List`], byte buffers (`serde_bytes`, `Bytes`) [`Value::Blob`],
/// integers that do not fit an `i64` exact [`Value::Number`] text, unit and
/// `None` [`Value::Null`]. Enum unit variants become their name; other
/// variants a one-entry map, as in serde_json.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Key { id: String, n: u32 }
/// let v = boto_core::to_value(&Key { id: "a".into(), n: 3 }).unwrap();
/// assert_eq!(v["id"].as_str(), Some("a"));
/// assert_eq!(v["n"].as_i64(), Some(3));
/// ```
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, ValueSerializeError> {
    value.serialize(ValueSerializer)
}

/// The serde serializer behind [`to_value`].
pub struct ValueSerializer;

fn key_error() -> ValueSerializeError {
    ValueSerializeError("map keys must be strings, numbers, booleans or chars".into())
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ValueSerializeError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Value, Self::Error> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Self::Error> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Self::Error> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Self::Error> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Self::Error> {
        Ok(Value::Int(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, Self::Error> {
        Ok(Value::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Self::Error> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Self::Error> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Self::Error> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Self::Error> {
        Ok(Value::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, Self::Error> {
        Ok(Value::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Self::Error> {
        Ok(Value::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Self::Error> {
        Ok(Value::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, Self::Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Self::Error> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Self::Error> {
        Ok(Value::Blob(Bytes::copy_from_slice(v)))
    }
    fn serialize_none(self) -> Result<Value, Self::Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Self::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Self::Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Self::Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, Self::Error> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Self::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Self::Error> {
        let mut m = Map::new();
        m.insert(variant.to_owned(), value.serialize(self)?);
        Ok(Value::Map(m))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, Self::Error> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, Self::Error> {
        Ok(VariantBuilder(variant, SeqBuilder(Vec::with_capacity(len))))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Self::Error> {
        Ok(MapBuilder(Map::with_capacity(len.unwrap_or(0)), None))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, Self::Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<MapBuilder>, Self::Error> {
        Ok(VariantBuilder(variant, MapBuilder(Map::with_capacity(len), None)))
    }
}

#[doc(hidden)]
pub struct SeqBuilder(Vec<Value>);

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = ValueSerializeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Self::Error> {
        self.0.push(v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::List(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = ValueSerializeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Self::Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, Self::Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = ValueSerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Self::Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, Self::Error> {
        ser::SerializeSeq::end(self)
    }
}

#[doc(hidden)]
pub struct MapBuilder(Map, Option<String>);

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = ValueSerializeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        let key = match key.serialize(ValueSerializer)? {
            Value::String(s) => s,
            Value::Int(i) => i.to_string(),
            Value::Number(n) => n,
            Value::Bool(b) => b.to_string(),
            _ => return Err(key_error()),
        };
        self.1 = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Self::Error> {
        let key = self.1.take().ok_or_else(|| ValueSerializeError("map value without a key".into()))?;
        self.0.insert(key, v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::Map(self.0))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = ValueSerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Self::Error> {
        self.0.insert(key.to_owned(), v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn skip_field(&mut self, _key: &'static str) -> Result<(), Self::Error> {
        Ok(())
    }
    fn end(self) -> Result<Value, Self::Error> {
        Ok(Value::Map(self.0))
    }
}

#[doc(hidden)]
pub struct VariantBuilder<B>(&'static str, B);

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Value;
    type Error = ValueSerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Self::Error> {
        ser::SerializeSeq::serialize_element(&mut self.1, v)
    }
    fn end(self) -> Result<Value, Self::Error> {
        let mut m = Map::new();
        m.insert(self.0.to_owned(), ser::SerializeSeq::end(self.1)?);
        Ok(Value::Map(m))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Value;
    type Error = ValueSerializeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Self::Error> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, v)
    }
    fn end(self) -> Result<Value, Self::Error> {
        let mut m = Map::new();
        m.insert(self.0.to_owned(), Value::Map(self.1 .0));
        Ok(Value::Map(m))
    }
}
