//! Serde support: your own types to and from DynamoDB items.
//!
//! ```
//! use boto::dynamodb::{from_item, to_item, Number, StringSet};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct User {
//!     id: String,
//!     age: u32,
//!     balance: Number,   // exact decimal
//!     tags: StringSet,   // stays a string set (SS)
//!     nickname: Option<String>,
//! }
//!
//! let user = User {
//!     id: "u-1".into(),
//!     age: 42,
//!     balance: Number::new("10.25").unwrap(),
//!     tags: StringSet::from(["admin"]),
//!     nickname: None,
//! };
//! let item = to_item(&user).unwrap();
//! assert_eq!(item["balance"].as_number().unwrap().as_str(), "10.25");
//! assert_eq!(item["tags"].type_tag(), "SS");
//! let back: User = from_item(item).unwrap();
//! assert_eq!(back, user);
//! ```
//!
//! Mapping: integers are numbers (128-bit ones must fit 38 digits); floats
//! are numbers when their exact value fits (`0.5`), an error otherwise
//! (`0.1`: use [`Number`] or a string); strings and chars are `S`;
//! `serde_bytes`/[`bytes::Bytes`] are `B` (a plain `Vec<u8>` is a list of
//! numbers, as serde writes it); `None` and `()` are `NULL`; sequences
//! and tuples are `L`; maps and structs are `M` (map keys may be strings
//! or integers); enums are externally tagged (`"Variant"` or `{"Variant":
//! ...}`). [`Number`], [`StringSet`], [`NumberSet`] and [`BinarySet`]
//! keep their DynamoDB types. A field typed [`DynamoValue`] reads sets
//! back as lists.

use std::collections::BTreeSet;

use bytes::Bytes;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};
use serde::Deserialize;

use super::number::Number;
use super::types::{BinarySet, DynamoValue, Item, NumberSet, StringSet};
use super::DynamoDbError;

const NUMBER_TOKEN: &str = "$boto::dynamodb::Number";
const SS_TOKEN: &str = "$boto::dynamodb::StringSet";
const NS_TOKEN: &str = "$boto::dynamodb::NumberSet";
const BS_TOKEN: &str = "$boto::dynamodb::BinarySet";

/// Your value as an item: it must serialize to a map or struct.
pub fn to_item<T: Serialize + ?Sized>(value: &T) -> Result<Item, DynamoDbError> {
    match to_dynamo_value(value)? {
        DynamoValue::Map(m) => Ok(m),
        other => Err(DynamoDbError::Serde(format!("an item must be a map or struct, not {}", other.type_tag()))),
    }
}

/// Your value as a native DynamoDB value.
pub fn to_dynamo_value<T: Serialize + ?Sized>(value: &T) -> Result<DynamoValue, DynamoDbError> {
    value.serialize(ValueSerializer)
}

/// An item as your type.
pub fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, DynamoDbError> {
    T::deserialize(DynamoValue::Map(item))
}

/// A native DynamoDB value as your type.
pub fn from_dynamo_value<T: DeserializeOwned>(value: DynamoValue) -> Result<T, DynamoDbError> {
    T::deserialize(value)
}

impl ser::Error for DynamoDbError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DynamoDbError::Serde(msg.to_string())
    }
}

impl de::Error for DynamoDbError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DynamoDbError::Serde(msg.to_string())
    }
}

// ---- Serialize for the DynamoDB types ----

impl Serialize for Number {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(NUMBER_TOKEN, self.as_str())
    }
}

impl Serialize for StringSet {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let inner: Vec<&String> = self.iter().collect();
        s.serialize_newtype_struct(SS_TOKEN, &inner)
    }
}

impl Serialize for NumberSet {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let inner: Vec<&Number> = self.iter().collect();
        s.serialize_newtype_struct(NS_TOKEN, &inner)
    }
}

/// Bytes as a serde byte string.
struct ByteStr<'a>(&'a [u8]);

impl Serialize for ByteStr<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl Serialize for BinarySet {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let inner: Vec<ByteStr<'_>> = self.iter().map(|b| ByteStr(b)).collect();
        s.serialize_newtype_struct(BS_TOKEN, &inner)
    }
}

impl Serialize for DynamoValue {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq};
        match self {
            DynamoValue::Null => s.serialize_unit(),
            DynamoValue::Bool(b) => s.serialize_bool(*b),
            DynamoValue::Number(n) => n.serialize(s),
            DynamoValue::String(x) => s.serialize_str(x),
            DynamoValue::Binary(b) => s.serialize_bytes(b),
            DynamoValue::StringSet(x) => x.serialize(s),
            DynamoValue::NumberSet(x) => x.serialize(s),
            DynamoValue::BinarySet(x) => x.serialize(s),
            DynamoValue::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for v in l {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            DynamoValue::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl Serialize for Item {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

// ---- Deserialize for the DynamoDB types ----

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Number;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a decimal number or its text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
        Number::new(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
        Ok(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
        Ok(v.into())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Number, E> {
        Number::try_from(v).map_err(E::custom)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Number, E> {
        Number::try_from(v).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
        Number::from_f64(v).map_err(E::custom)
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Number, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        d.deserialize_newtype_struct(NUMBER_TOKEN, NumberVisitor)
    }
}

/// Deserializes a set through a sequence of `T`.
struct SetVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de> + Ord> Visitor<'de> for SetVisitor<T> {
    type Value = BTreeSet<T>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a set")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeSet::new();
        while let Some(v) = seq.next_element()? {
            out.insert(v);
        }
        Ok(out)
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

/// Bytes from a byte string or a sequence of bytes.
struct BytesOf(Bytes);

impl<'de> Deserialize<'de> for BytesOf {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<BytesOf, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BytesOf;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<BytesOf, E> {
                Ok(BytesOf(Bytes::copy_from_slice(v)))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<BytesOf, E> {
                Ok(BytesOf(Bytes::from(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BytesOf, E> {
                Ok(BytesOf(Bytes::copy_from_slice(v.as_bytes())))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<BytesOf, A::Error> {
                let mut out = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(BytesOf(Bytes::from(out)))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

impl PartialEq for BytesOf {
    fn eq(&self, other: &BytesOf) -> bool {
        self.0 == other.0
    }
}
impl Eq for BytesOf {}
impl PartialOrd for BytesOf {
    fn partial_cmp(&self, other: &BytesOf) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for BytesOf {
    fn cmp(&self, other: &BytesOf) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl<'de> Deserialize<'de> for StringSet {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<StringSet, D::Error> {
        Ok(d.deserialize_newtype_struct(SS_TOKEN, SetVisitor::<String>(Default::default()))?.into_iter().collect())
    }
}

impl<'de> Deserialize<'de> for NumberSet {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<NumberSet, D::Error> {
        Ok(d.deserialize_newtype_struct(NS_TOKEN, SetVisitor::<Number>(Default::default()))?.into_iter().collect())
    }
}

impl<'de> Deserialize<'de> for BinarySet {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<BinarySet, D::Error> {
        Ok(d.deserialize_newtype_struct(BS_TOKEN, SetVisitor::<BytesOf>(Default::default()))?
            .into_iter()
            .map(|b| b.0)
            .collect())
    }
}

struct DynamoVisitor;

impl<'de> Visitor<'de> for DynamoVisitor {
    type Value = DynamoValue;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a DynamoDB value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<DynamoValue, E> {
        Ok(DynamoValue::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<DynamoValue, E> {
        Ok(DynamoValue::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<DynamoValue, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<DynamoValue, E> {
        Ok(DynamoValue::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DynamoValue, E> {
        Ok(DynamoValue::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DynamoValue, E> {
        Ok(DynamoValue::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<DynamoValue, E> {
        Number::try_from(v).map(DynamoValue::Number).map_err(E::custom)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<DynamoValue, E> {
        Number::try_from(v).map(DynamoValue::Number).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DynamoValue, E> {
        Number::from_f64(v).map(DynamoValue::Number).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<DynamoValue, E> {
        Ok(DynamoValue::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<DynamoValue, E> {
        Ok(DynamoValue::String(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<DynamoValue, E> {
        Ok(DynamoValue::Binary(Bytes::copy_from_slice(v)))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<DynamoValue, E> {
        Ok(DynamoValue::Binary(Bytes::from(v)))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<DynamoValue, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(DynamoValue::List(out))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<DynamoValue, A::Error> {
        let mut out = Item::new();
        while let Some((k, v)) = map.next_entry::<String, DynamoValue>()? {
            out.insert(k, v);
        }
        Ok(DynamoValue::Map(out))
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<DynamoValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Deserialize<'de> for DynamoValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<DynamoValue, D::Error> {
        d.deserialize_any(DynamoVisitor)
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Item, D::Error> {
        match DynamoValue::deserialize(d)? {
            DynamoValue::Map(m) => Ok(m),
            other => Err(de::Error::custom(format!("an item must be a map, not {}", other.type_tag()))),
        }
    }
}

// ---- the serializer ----

/// Serializes anything into a [`DynamoValue`].
struct ValueSerializer;

type R = Result<DynamoValue, DynamoDbError>;

impl ser::Serializer for ValueSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    type SerializeSeq = SeqSerializer;
    type SerializeTuple = SeqSerializer;
    type SerializeTupleStruct = SeqSerializer;
    type SerializeTupleVariant = SeqSerializer;
    type SerializeMap = MapSerializer;
    type SerializeStruct = MapSerializer;
    type SerializeStructVariant = MapSerializer;

    fn serialize_bool(self, v: bool) -> R {
        Ok(DynamoValue::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_i16(self, v: i16) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_i32(self, v: i32) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_i64(self, v: i64) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_i128(self, v: i128) -> R {
        Ok(DynamoValue::Number(Number::try_from(v)?))
    }
    fn serialize_u8(self, v: u8) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_u16(self, v: u16) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_u32(self, v: u32) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_u64(self, v: u64) -> R {
        Ok(DynamoValue::Number(v.into()))
    }
    fn serialize_u128(self, v: u128) -> R {
        Ok(DynamoValue::Number(Number::try_from(v)?))
    }
    fn serialize_f32(self, v: f32) -> R {
        Ok(DynamoValue::Number(Number::try_from(v)?))
    }
    fn serialize_f64(self, v: f64) -> R {
        Ok(DynamoValue::Number(Number::try_from(v)?))
    }
    fn serialize_char(self, v: char) -> R {
        Ok(DynamoValue::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(DynamoValue::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        Ok(DynamoValue::Binary(Bytes::copy_from_slice(v)))
    }
    fn serialize_none(self) -> R {
        Ok(DynamoValue::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(DynamoValue::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R {
        Ok(DynamoValue::Null)
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> R {
        Ok(DynamoValue::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, name: &'static str, value: &T) -> R {
        let inner = value.serialize(ValueSerializer)?;
        let elements = |v: DynamoValue| match v {
            DynamoValue::List(l) => Ok(l),
            other => Err(DynamoDbError::Serde(format!("{name} must hold a sequence, not {}", other.type_tag()))),
        };
        match name {
            NUMBER_TOKEN => match inner {
                DynamoValue::String(s) => Ok(DynamoValue::Number(Number::new(&s)?)),
                DynamoValue::Number(n) => Ok(DynamoValue::Number(n)),
                other => Err(DynamoDbError::Serde(format!("a Number holds {}", other.type_tag()))),
            },
            SS_TOKEN => elements(inner)?
                .into_iter()
                .map(|v| match v {
                    DynamoValue::String(s) => Ok(s),
                    other => Err(DynamoDbError::Serde(format!("a string set holds {}", other.type_tag()))),
                })
                .collect::<Result<StringSet, _>>()
                .map(DynamoValue::StringSet),
            NS_TOKEN => elements(inner)?
                .into_iter()
                .map(|v| match v {
                    DynamoValue::Number(n) => Ok(n),
                    other => Err(DynamoDbError::Serde(format!("a number set holds {}", other.type_tag()))),
                })
                .collect::<Result<NumberSet, _>>()
                .map(DynamoValue::NumberSet),
            BS_TOKEN => elements(inner)?
                .into_iter()
                .map(|v| match v {
                    DynamoValue::Binary(b) => Ok(b),
                    other => Err(DynamoDbError::Serde(format!("a binary set holds {}", other.type_tag()))),
                })
                .collect::<Result<BinarySet, _>>()
                .map(DynamoValue::BinarySet),
            _ => Ok(inner),
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        let mut m = Item::new();
        m.insert(variant, value.serialize(ValueSerializer)?);
        Ok(DynamoValue::Map(m))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSerializer, DynamoDbError> {
        Ok(SeqSerializer { items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSerializer, DynamoDbError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqSerializer, DynamoDbError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqSerializer, DynamoDbError> {
        Ok(SeqSerializer { items: Vec::with_capacity(len), variant: Some(variant) })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapSerializer, DynamoDbError> {
        Ok(MapSerializer { map: Item::new(), key: None, variant: None })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapSerializer, DynamoDbError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<MapSerializer, DynamoDbError> {
        Ok(MapSerializer { map: Item::new(), key: None, variant: Some(variant) })
    }
}

/// Collects a sequence (or a tuple variant's fields).
struct SeqSerializer {
    items: Vec<DynamoValue>,
    variant: Option<&'static str>,
}

impl SeqSerializer {
    fn finish(self) -> R {
        let list = DynamoValue::List(self.items);
        Ok(match self.variant {
            None => list,
            Some(v) => {
                let mut m = Item::new();
                m.insert(v, list);
                DynamoValue::Map(m)
            }
        })
    }
}

impl ser::SerializeSeq for SeqSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), DynamoDbError> {
        self.items.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> R {
        self.finish()
    }
}

impl ser::SerializeTuple for SeqSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), DynamoDbError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for SeqSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), DynamoDbError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for SeqSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), DynamoDbError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        self.finish()
    }
}

/// Collects a map, a struct or a struct variant.
struct MapSerializer {
    map: Item,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl MapSerializer {
    fn finish(self) -> R {
        let map = DynamoValue::Map(self.map);
        Ok(match self.variant {
            None => map,
            Some(v) => {
                let mut m = Item::new();
                m.insert(v, map);
                DynamoValue::Map(m)
            }
        })
    }
}

fn map_key(v: DynamoValue) -> Result<String, DynamoDbError> {
    match v {
        DynamoValue::String(s) => Ok(s),
        DynamoValue::Number(n) => Ok(n.as_str().to_owned()),
        DynamoValue::Bool(b) => Ok(b.to_string()),
        other => Err(DynamoDbError::Serde(format!("map keys must be strings, not {}", other.type_tag()))),
    }
}

impl ser::SerializeMap for MapSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), DynamoDbError> {
        self.key = Some(map_key(key.serialize(ValueSerializer)?)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), DynamoDbError> {
        let key = self.key.take().ok_or_else(|| DynamoDbError::Serde("a map value without a key".into()))?;
        self.map.insert(key, value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> R {
        self.finish()
    }
}

impl ser::SerializeStruct for MapSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), DynamoDbError> {
        self.map.insert(key, value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> R {
        self.finish()
    }
}

impl ser::SerializeStructVariant for MapSerializer {
    type Ok = DynamoValue;
    type Error = DynamoDbError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), DynamoDbError> {
        self.map.insert(key, value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> R {
        self.finish()
    }
}

// ---- the deserializer ----

impl<'de> de::Deserializer<'de> for DynamoValue {
    type Error = DynamoDbError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        match self {
            DynamoValue::Null => visitor.visit_unit(),
            DynamoValue::Bool(b) => visitor.visit_bool(b),
            DynamoValue::Number(n) => {
                if let Some(i) = n.to_i64() {
                    visitor.visit_i64(i)
                } else if let Some(u) = n.to_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.to_i128() {
                    visitor.visit_i128(i)
                } else {
                    visitor.visit_f64(n.to_f64())
                }
            }
            DynamoValue::String(s) => visitor.visit_string(s),
            DynamoValue::Binary(b) => visitor.visit_byte_buf(b.to_vec()),
            DynamoValue::StringSet(s) => visitor.visit_seq(SeqDe(s.into_iter().map(DynamoValue::String).collect())),
            DynamoValue::NumberSet(s) => visitor.visit_seq(SeqDe(s.into_iter().map(DynamoValue::Number).collect())),
            DynamoValue::BinarySet(s) => visitor.visit_seq(SeqDe(s.into_iter().map(DynamoValue::Binary).collect())),
            DynamoValue::List(l) => visitor.visit_seq(SeqDe(l.into_iter().collect())),
            DynamoValue::Map(m) => visitor.visit_map(MapDe { entries: m.into_iter().collect(), value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        match self {
            DynamoValue::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DynamoDbError> {
        match (name, self) {
            (NUMBER_TOKEN, DynamoValue::Number(n)) => visitor.visit_str(n.as_str()),
            (NUMBER_TOKEN | SS_TOKEN | NS_TOKEN | BS_TOKEN, other) => other.deserialize_any(visitor),
            (_, other) => visitor.visit_newtype_struct(other),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        match self {
            // A number into a string field keeps its exact text.
            DynamoValue::Number(n) => visitor.visit_str(n.as_str()),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        match self {
            DynamoValue::Number(n) => visitor.visit_f64(n.to_f64()),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DynamoDbError> {
        match self {
            DynamoValue::String(s) => visitor.visit_enum(s.into_deserializer()),
            DynamoValue::Map(m) if m.len() == 1 => {
                let (variant, value) =
                    m.into_iter().next().ok_or_else(|| DynamoDbError::Serde("empty enum map".into()))?;
                visitor.visit_enum(EnumDe { variant, value })
            }
            other => {
                Err(DynamoDbError::Serde(format!("an enum is a string or a one-entry map, not {}", other.type_tag())))
            }
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

struct SeqDe(std::collections::VecDeque<DynamoValue>);

impl<'de> de::SeqAccess<'de> for SeqDe {
    type Error = DynamoDbError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DynamoDbError> {
        match self.0.pop_front() {
            Some(v) => seed.deserialize(v).map(Some),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapDe {
    entries: std::collections::VecDeque<(String, DynamoValue)>,
    value: Option<DynamoValue>,
}

impl<'de> de::MapAccess<'de> for MapDe {
    type Error = DynamoDbError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DynamoDbError> {
        match self.entries.pop_front() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(KeyDe(k)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DynamoDbError> {
        let v = self.value.take().ok_or_else(|| DynamoDbError::Serde("a map value without a key".into()))?;
        seed.deserialize(v)
    }
}

/// A map key: a string, parsed when an integer or boolean is wanted.
struct KeyDe(String);

macro_rules! parse_key {
    ($($method:ident => $visit:ident: $t:ty),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
            match self.0.parse::<$t>() {
                Ok(v) => visitor.$visit(v),
                Err(_) => visitor.visit_string(self.0),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for KeyDe {
    type Error = DynamoDbError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DynamoDbError> {
        visitor.visit_string(self.0)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DynamoDbError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DynamoDbError> {
        visitor.visit_enum(self.0.into_deserializer())
    }

    parse_key! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
    }

    serde::forward_to_deserialize_any! {
        f32 f64 char str string bytes byte_buf option unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

struct EnumDe {
    variant: String,
    value: DynamoValue,
}

impl<'de> de::EnumAccess<'de> for EnumDe {
    type Error = DynamoDbError;
    type Variant = DynamoValue;
    fn variant_seed<S: de::DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, DynamoValue), DynamoDbError> {
        Ok((seed.deserialize(DynamoValue::String(self.variant))?, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for DynamoValue {
    type Error = DynamoDbError;
    fn unit_variant(self) -> Result<(), DynamoDbError> {
        Ok(())
    }
    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DynamoDbError> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DynamoDbError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DynamoDbError> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

impl<'de> IntoDeserializer<'de, DynamoDbError> for DynamoValue {
    type Deserializer = DynamoValue;
    fn into_deserializer(self) -> DynamoValue {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    enum Shape {
        Dot,
        Circle(u32),
        Rect { w: u32, h: u32 },
        Pair(u8, u8),
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Everything {
        s: String,
        c: char,
        b: bool,
        i: i64,
        u: u64,
        big: u128,
        half: f64,
        exact: Number,
        maybe: Option<i32>,
        nothing: Option<i32>,
        list: Vec<String>,
        tuple: (i32, String),
        map: BTreeMap<String, i32>,
        int_keys: BTreeMap<u32, bool>,
        bytes: bytes::Bytes,
        ss: StringSet,
        ns: NumberSet,
        bs: BinarySet,
        shapes: Vec<Shape>,
        nested: Option<Box<Everything>>,
        any: DynamoValue,
    }

    fn sample() -> Everything {
        Everything {
            s: "x".into(),
            c: 'y',
            b: true,
            i: -5,
            u: u64::MAX,
            big: 10u128.pow(37),
            half: 0.5,
            exact: Number::new("3.14159265358979323846264338327950288").unwrap(),
            maybe: Some(3),
            nothing: None,
            list: vec!["a".into()],
            tuple: (1, "t".into()),
            map: BTreeMap::from([("k".to_owned(), 1)]),
            int_keys: BTreeMap::from([(7, true)]),
            bytes: bytes::Bytes::from_static(b"\x00\x01"),
            ss: StringSet::from(["p", "q"]),
            ns: NumberSet::from([1, 2]),
            bs: BinarySet::from([bytes::Bytes::from_static(b"z")]),
            shapes: vec![Shape::Dot, Shape::Circle(2), Shape::Rect { w: 1, h: 2 }, Shape::Pair(3, 4)],
            nested: None,
            any: DynamoValue::List(vec![1.into(), "two".into()]),
        }
    }

    #[test]
    fn round_trip_through_items() {
        let value = sample();
        let item = to_item(&value).unwrap();
        assert_eq!(item["exact"].type_tag(), "N");
        assert_eq!(item["exact"].as_number().unwrap().as_str(), "3.14159265358979323846264338327950288");
        assert_eq!(item["ss"].type_tag(), "SS");
        assert_eq!(item["ns"].type_tag(), "NS");
        assert_eq!(item["bs"].type_tag(), "BS");
        assert_eq!(item["bytes"].type_tag(), "B");
        assert_eq!(item["nothing"], DynamoValue::Null);
        assert_eq!(item["half"].as_number().unwrap().as_str(), "0.5");
        assert_eq!(item["big"].as_number().unwrap().as_str(), "10000000000000000000000000000000000000");
        assert_eq!(item["int_keys"]["7"], DynamoValue::Bool(true));
        assert_eq!(item["shapes"][0], DynamoValue::from("Dot"));
        assert_eq!(item["shapes"][1]["Circle"].as_i64(), Some(2));
        // Through the wire form and back.
        let wire = super::super::TypeSerializer.serialize_item(&item).unwrap();
        let again = super::super::TypeDeserializer.deserialize_item(&wire).unwrap();
        let back: Everything = from_item(again).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn errors_are_clear() {
        #[derive(Serialize)]
        struct F {
            x: f64,
        }
        let err = to_item(&F { x: 0.1 }).unwrap_err();
        assert!(err.to_string().contains("not exactly representable"), "{err}");
        assert!(to_item(&F { x: f64::NAN }).unwrap_err().to_string().contains("NaN"));
        assert!(to_item(&5).is_err());
        assert!(to_dynamo_value(&u128::MAX).is_err());
        #[derive(Deserialize, Debug)]
        struct Need {
            #[allow(dead_code)]
            n: u8,
        }
        let item = crate::dynamodb::item! { "n" => 300 };
        assert!(from_item::<Need>(item).is_err());
    }

    #[test]
    fn json_interop() {
        // The DynamoDB types also serialize with other formats.
        let n = Number::new("1.50").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"1.50\"");
        let back: Number = serde_json::from_str("1.5").unwrap();
        assert_eq!(back, n);
        let ss: StringSet = serde_json::from_str("[\"a\",\"b\"]").unwrap();
        assert_eq!(ss.len(), 2);
    }
}
