//! `Deserialize for Value` (values from JSON and other serde formats) and
//! `from_value`, a serde deserializer that fills any `Deserialize` type from a
//! [`Value`].

use std::fmt;

use bytes::Bytes;
use serde::de::{
    self, value::StringDeserializer, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess,
    SeqAccess, Visitor,
};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;

use super::{Map, Value};

impl<'de> Deserialize<'de> for Value {
    /// Reads plain data: numbers become `Int` (or exact `Number` text when
    /// wider than `i64`) or `Float`, byte buffers `Blob`, sequences `List`,
    /// maps `Map`, unit and none `Null`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Blob(Bytes::copy_from_slice(v)))
    }
    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Blob(v.into()))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            out.insert(k, v);
        }
        Ok(Value::Map(out))
    }
}

/// Why a [`Value`] could not fill a Rust type.
#[derive(Debug, thiserror::Error)]
#[error("cannot convert from a boto value: {0}")]
pub struct ValueDeserializeError(String);

impl de::Error for ValueDeserializeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ValueDeserializeError(msg.to_string())
    }
}

/// Fills any `Deserialize` type from a [`Value`].
///
/// Timestamps arrive as RFC 3339 text (use
/// `#[serde(with = "time::serde::rfc3339")]` or chrono's default), blobs as
/// bytes (`serde_bytes`, `Bytes`) or as a sequence of `u8` (`Vec<u8>`),
/// exact numbers as whatever numeric type asks for them.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Item { id: String, n: u32 }
/// let v = boto_core::params!({ "id": "a", "n": 3 });
/// let item: Item = boto_core::from_value(v).unwrap();
/// assert_eq!((item.id.as_str(), item.n), ("a", 3));
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ValueDeserializeError> {
    T::deserialize(value)
}

fn timestamp_text(t: &time::OffsetDateTime) -> Result<String, ValueDeserializeError> {
    t.format(&Rfc3339).map_err(de::Error::custom)
}

impl Value {
    fn invalid_type<E: de::Error>(&self, exp: &dyn de::Expected) -> E {
        let unexpected = match self {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Int(i) => de::Unexpected::Signed(*i),
            Value::Float(x) => de::Unexpected::Float(*x),
            Value::Number(n) | Value::String(n) => de::Unexpected::Str(n),
            Value::Blob(b) => de::Unexpected::Bytes(b),
            Value::Timestamp(_) => de::Unexpected::Other("timestamp"),
            Value::List(_) => de::Unexpected::Seq,
            Value::Map(_) => de::Unexpected::Map,
            Value::Stream(_) => de::Unexpected::Other("streaming body"),
        };
        de::Error::invalid_type(unexpected, exp)
    }
}

macro_rules! deserialize_number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self {
                Value::Number(n) => visit_number_text(n, visitor),
                Value::String(s) => match s.as_str() {
                    "NaN" => visitor.visit_f64(f64::NAN),
                    "Infinity" => visitor.visit_f64(f64::INFINITY),
                    "-Infinity" => visitor.visit_f64(f64::NEG_INFINITY),
                    _ => Value::String(s).deserialize_any(visitor),
                },
                other => other.deserialize_any(visitor),
            }
        }
    )*};
}

fn visit_number_text<'de, V: Visitor<'de>>(n: String, visitor: V) -> Result<V::Value, ValueDeserializeError> {
    if let Ok(i) = n.parse::<i64>() {
        visitor.visit_i64(i)
    } else if let Ok(u) = n.parse::<u64>() {
        visitor.visit_u64(u)
    } else if let Ok(i) = n.parse::<i128>() {
        visitor.visit_i128(i)
    } else if let Ok(u) = n.parse::<u128>() {
        visitor.visit_u128(u)
    } else if let Ok(x) = n.parse::<f64>() {
        visitor.visit_f64(x)
    } else {
        visitor.visit_string(n)
    }
}

impl<'de> Deserializer<'de> for Value {
    type Error = ValueDeserializeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Int(i) => visitor.visit_i64(i),
            Value::Float(x) => visitor.visit_f64(x),
            Value::Number(n) => visit_number_text(n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Blob(b) => visitor.visit_byte_buf(b.to_vec()),
            Value::Timestamp(t) => visitor.visit_string(timestamp_text(&t)?),
            Value::List(l) => visit_list(l, visitor),
            Value::Map(m) => visit_map(m, visitor),
            Value::Stream(_) => {
                Err(de::Error::custom("a streaming body cannot be deserialized; take it out of the result first"))
            }
        }
    }

    deserialize_number!(
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Blob(b) => visit_list(b.iter().map(|&x| Value::Int(x.into())).collect(), visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Blob(b) => visitor.visit_bytes(&b),
            Value::String(s) => visitor.visit_string(s),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Map(m) if m.len() == 1 => {
                let (variant, value) = m.into_iter().next().expect("one entry");
                visitor.visit_enum(EnumAccess { variant, value })
            }
            other => Err(other.invalid_type(&"a string or a map with one entry")),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Null => visitor.visit_unit(),
            other => Err(other.invalid_type(&"null")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool char str string unit_struct tuple tuple_struct map struct identifier
    }
}

fn visit_list<'de, V: Visitor<'de>>(l: Vec<Value>, visitor: V) -> Result<V::Value, ValueDeserializeError> {
    let len = l.len();
    let mut seq = SeqAccessor(l.into_iter());
    let out = visitor.visit_seq(&mut seq)?;
    if seq.0.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in the list"))
    }
}

fn visit_map<'de, V: Visitor<'de>>(m: Map, visitor: V) -> Result<V::Value, ValueDeserializeError> {
    let mut access = MapAccessor { iter: m.into_iter(), value: None };
    visitor.visit_map(&mut access)
}

struct SeqAccessor(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for SeqAccessor {
    type Error = ValueDeserializeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Self::Error> {
        self.0.next().map(|v| seed.deserialize(v)).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapAccessor {
    iter: indexmap::map::IntoIter<String, Value>,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for MapAccessor {
    type Error = ValueDeserializeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                let key: StringDeserializer<ValueDeserializeError> = k.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Self::Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(v),
            None => Err(de::Error::custom("map value requested before its key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct EnumAccess {
    variant: String,
    value: Value,
}

impl<'de> de::EnumAccess<'de> for EnumAccess {
    type Error = ValueDeserializeError;
    type Variant = VariantAccess;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, VariantAccess), Self::Error> {
        let key: StringDeserializer<ValueDeserializeError> = self.variant.into_deserializer();
        Ok((seed.deserialize(key)?, VariantAccess(self.value)))
    }
}

struct VariantAccess(Value);

impl<'de> de::VariantAccess<'de> for VariantAccess {
    type Error = ValueDeserializeError;
    fn unit_variant(self) -> Result<(), Self::Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(other.invalid_type(&"a unit variant")),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Self::Error> {
        seed.deserialize(self.0)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::List(l) => visit_list(l, visitor),
            other => Err(other.invalid_type(&"a tuple variant")),
        }
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Map(m) => visit_map(m, visitor),
            other => Err(other.invalid_type(&"a struct variant")),
        }
    }
}
