//! Native DynamoDB values and the conversion to and from the wire's
//! AttributeValue maps (boto3's `TypeSerializer` and `TypeDeserializer`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use boto_core::{Map, Value};
use bytes::Bytes;
use indexmap::IndexMap;

use super::number::Number;
use super::DynamoDbError;

/// A DynamoDB value in native form (boto3's Python types): what items,
/// keys and condition values are made of.
///
/// | DynamoDB | boto3 | `DynamoValue` |
/// | --- | --- | --- |
/// | `NULL` | `None` | `Null` |
/// | `BOOL` | `bool` | `Bool` |
/// | `N` | `int`, `Decimal` | `Number` (exact, see [`Number`]) |
/// | `S` | `str` | `String` |
/// | `B` | `Binary`, `bytes` | `Binary` |
/// | `SS`, `NS`, `BS` | `set` | `StringSet`, `NumberSet`, `BinarySet` |
/// | `L` | `list`, `tuple` | `List` |
/// | `M` | `dict` | `Map` |
#[derive(Clone, PartialEq, Default)]
pub enum DynamoValue {
    /// `NULL`.
    #[default]
    Null,
    /// `BOOL`.
    Bool(bool),
    /// `N`.
    Number(Number),
    /// `S`.
    String(String),
    /// `B`.
    Binary(Bytes),
    /// `SS`.
    StringSet(StringSet),
    /// `NS`.
    NumberSet(NumberSet),
    /// `BS`.
    BinarySet(BinarySet),
    /// `L`.
    List(Vec<DynamoValue>),
    /// `M`.
    Map(Item),
}

impl fmt::Debug for DynamoValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DynamoValue::Null => f.write_str("Null"),
            DynamoValue::Bool(b) => write!(f, "{b}"),
            DynamoValue::Number(n) => write!(f, "{n}"),
            DynamoValue::String(s) => write!(f, "{s:?}"),
            DynamoValue::Binary(b) => write!(f, "Binary({b:?})"),
            DynamoValue::StringSet(s) => write!(f, "{s:?}"),
            DynamoValue::NumberSet(s) => write!(f, "{s:?}"),
            DynamoValue::BinarySet(s) => write!(f, "{s:?}"),
            DynamoValue::List(l) => f.debug_list().entries(l).finish(),
            DynamoValue::Map(m) => fmt::Debug::fmt(m, f),
        }
    }
}

static NULL: DynamoValue = DynamoValue::Null;

impl DynamoValue {
    /// A binary value.
    pub fn binary(data: impl Into<Bytes>) -> DynamoValue {
        DynamoValue::Binary(data.into())
    }

    /// A number from decimal text, checked (see [`Number::new`]).
    pub fn number(text: &str) -> Result<DynamoValue, DynamoDbError> {
        Ok(DynamoValue::Number(Number::new(text)?))
    }

    /// DynamoDB's type tag (`S`, `N`, `SS`, `M`, ...).
    pub fn type_tag(&self) -> &'static str {
        match self {
            DynamoValue::Null => "NULL",
            DynamoValue::Bool(_) => "BOOL",
            DynamoValue::Number(_) => "N",
            DynamoValue::String(_) => "S",
            DynamoValue::Binary(_) => "B",
            DynamoValue::StringSet(_) => "SS",
            DynamoValue::NumberSet(_) => "NS",
            DynamoValue::BinarySet(_) => "BS",
            DynamoValue::List(_) => "L",
            DynamoValue::Map(_) => "M",
        }
    }

    /// True for `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, DynamoValue::Null)
    }

    /// The string, for `S`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            DynamoValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, for `N`.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            DynamoValue::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `i64`, for integral `N` values in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::to_i64)
    }

    /// The boolean, for `BOOL`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            DynamoValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The bytes, for `B`.
    pub fn as_binary(&self) -> Option<&Bytes> {
        match self {
            DynamoValue::Binary(b) => Some(b),
            _ => None,
        }
    }

    /// The elements, for `L`.
    pub fn as_list(&self) -> Option<&[DynamoValue]> {
        match self {
            DynamoValue::List(l) => Some(l),
            _ => None,
        }
    }

    /// The entries, for `M`.
    pub fn as_map(&self) -> Option<&Item> {
        match self {
            DynamoValue::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The member `key` of a map, if present.
    pub fn get(&self, key: &str) -> Option<&DynamoValue> {
        self.as_map().and_then(|m| m.get(key))
    }
}

impl std::ops::Index<&str> for DynamoValue {
    type Output = DynamoValue;
    /// The member `key` of a map, or `Null` (never panics).
    fn index(&self, key: &str) -> &DynamoValue {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for DynamoValue {
    type Output = DynamoValue;
    /// The element at `i` of a list, or `Null` (never panics).
    fn index(&self, i: usize) -> &DynamoValue {
        self.as_list().and_then(|l| l.get(i)).unwrap_or(&NULL)
    }
}

/// An item (or a key): attribute names to values, in insertion order.
///
/// Indexing with a missing name gives `Null` rather than panicking.
#[derive(Clone, PartialEq, Default)]
pub struct Item(IndexMap<String, DynamoValue>);

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl Item {
    /// An empty item.
    pub fn new() -> Item {
        Item::default()
    }

    /// The underlying map.
    pub fn into_inner(self) -> IndexMap<String, DynamoValue> {
        self.0
    }

    /// Sets an attribute, returning the previous value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<DynamoValue>) -> Option<DynamoValue> {
        self.0.insert(name.into(), value.into())
    }

    /// The attributes named in `names`, as a new item (a key out of an
    /// item, say). Missing names are skipped.
    pub fn project(&self, names: &[&str]) -> Item {
        names.iter().filter_map(|n| self.0.get(*n).map(|v| ((*n).to_owned(), v.clone()))).collect()
    }
}

impl std::ops::Deref for Item {
    type Target = IndexMap<String, DynamoValue>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Item {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl std::ops::Index<&str> for Item {
    type Output = DynamoValue;
    fn index(&self, key: &str) -> &DynamoValue {
        self.0.get(key).unwrap_or(&NULL)
    }
}

impl<K: Into<String>, V: Into<DynamoValue>> FromIterator<(K, V)> for Item {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Item {
        Item(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl IntoIterator for Item {
    type Item = (String, DynamoValue);
    type IntoIter = indexmap::map::IntoIter<String, DynamoValue>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Item {
    type Item = (&'a String, &'a DynamoValue);
    type IntoIter = indexmap::map::Iter<'a, String, DynamoValue>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<IndexMap<String, DynamoValue>> for Item {
    fn from(m: IndexMap<String, DynamoValue>) -> Item {
        Item(m)
    }
}

macro_rules! set_type {
    ($(#[$doc:meta])* $name:ident, $elem:ty, $tag:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name(BTreeSet<$elem>);

        impl $name {
            /// An empty set (DynamoDB refuses to store one).
            pub fn new() -> Self {
                Self(BTreeSet::new())
            }

            /// Adds an element; false if it was there.
            pub fn insert(&mut self, value: impl Into<$elem>) -> bool {
                self.0.insert(value.into())
            }

            /// True if the set holds `value`.
            pub fn contains(&self, value: &$elem) -> bool {
                self.0.contains(value)
            }

            /// The number of elements.
            pub fn len(&self) -> usize {
                self.0.len()
            }

            /// True when empty.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            /// The elements, in order.
            pub fn iter(&self) -> std::collections::btree_set::Iter<'_, $elem> {
                self.0.iter()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", $tag)?;
                f.debug_set().entries(self.0.iter()).finish()
            }
        }

        impl<T: Into<$elem>> FromIterator<T> for $name {
            fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
                Self(iter.into_iter().map(Into::into).collect())
            }
        }

        impl<T: Into<$elem>, const N: usize> From<[T; N]> for $name {
            fn from(items: [T; N]) -> Self {
                items.into_iter().collect()
            }
        }

        impl IntoIterator for $name {
            type Item = $elem;
            type IntoIter = std::collections::btree_set::IntoIter<$elem>;
            fn into_iter(self) -> Self::IntoIter {
                self.0.into_iter()
            }
        }

        impl<'a> IntoIterator for &'a $name {
            type Item = &'a $elem;
            type IntoIter = std::collections::btree_set::Iter<'a, $elem>;
            fn into_iter(self) -> Self::IntoIter {
                self.0.iter()
            }
        }

        impl From<$name> for DynamoValue {
            fn from(s: $name) -> DynamoValue {
                DynamoValue::$name(s)
            }
        }
    };
}

set_type!(
    /// A string set (`SS`).
    ///
    /// ```
    /// use boto::dynamodb::StringSet;
    /// let tags = StringSet::from(["b", "a", "b"]);
    /// assert_eq!(tags.len(), 2);
    /// ```
    StringSet,
    String,
    "SS"
);
set_type!(
    /// A number set (`NS`); numerically equal numbers are one element.
    ///
    /// ```
    /// use boto::dynamodb::{Number, NumberSet};
    /// let set: NumberSet = [1, 2, 2].into_iter().collect();
    /// assert_eq!(set.len(), 2);
    /// assert!(set.contains(&Number::new("2.0").unwrap()));
    /// ```
    NumberSet,
    Number,
    "NS"
);
set_type!(
    /// A binary set (`BS`).
    BinarySet,
    Bytes,
    "BS"
);

macro_rules! from_via {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl From<$t> for DynamoValue {
            fn from(v: $t) -> DynamoValue {
                DynamoValue::$variant(v.into())
            }
        }
    )*};
}
from_via!(
    bool => Bool,
    Number => Number,
    String => String,
    &str => String,
    &String => String,
    Bytes => Binary,
    Item => Map,
    i8 => Number, i16 => Number, i32 => Number, i64 => Number, isize => Number,
    u8 => Number, u16 => Number, u32 => Number, u64 => Number, usize => Number,
);

impl<T: Into<DynamoValue>> From<Vec<T>> for DynamoValue {
    fn from(v: Vec<T>) -> DynamoValue {
        DynamoValue::List(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<DynamoValue>> From<Option<T>> for DynamoValue {
    fn from(v: Option<T>) -> DynamoValue {
        v.map_or(DynamoValue::Null, Into::into)
    }
}

impl<K: Into<String>, V: Into<DynamoValue>> From<HashMap<K, V>> for DynamoValue {
    fn from(m: HashMap<K, V>) -> DynamoValue {
        DynamoValue::Map(m.into_iter().collect())
    }
}

impl<K: Into<String>, V: Into<DynamoValue>> From<BTreeMap<K, V>> for DynamoValue {
    fn from(m: BTreeMap<K, V>) -> DynamoValue {
        DynamoValue::Map(m.into_iter().collect())
    }
}

impl TryFrom<f64> for DynamoValue {
    type Error = DynamoDbError;
    /// The float's exact value (see [`Number::from_f64`]).
    fn try_from(v: f64) -> Result<DynamoValue, DynamoDbError> {
        Ok(DynamoValue::Number(Number::from_f64(v)?))
    }
}

impl TryFrom<&Value> for DynamoValue {
    type Error = DynamoDbError;
    /// A plain [`Value`] as a native value: integers, exact numbers and
    /// exact floats become numbers, blobs binary, lists and maps `L` and
    /// `M`. Timestamps and streams have no DynamoDB type.
    fn try_from(v: &Value) -> Result<DynamoValue, DynamoDbError> {
        Ok(match v {
            Value::Null => DynamoValue::Null,
            Value::Bool(b) => DynamoValue::Bool(*b),
            Value::Int(i) => DynamoValue::Number((*i).into()),
            Value::Float(x) => DynamoValue::Number(Number::from_f64(*x)?),
            Value::Number(n) => DynamoValue::Number(Number::new(n)?),
            Value::String(s) => DynamoValue::String(s.clone()),
            Value::Blob(b) => DynamoValue::Binary(b.clone()),
            Value::List(l) => DynamoValue::List(l.iter().map(DynamoValue::try_from).collect::<Result<_, _>>()?),
            Value::Map(m) => {
                DynamoValue::Map(m.iter().map(|(k, v)| Ok((k.clone(), DynamoValue::try_from(v)?))).collect::<Result<
                    Item,
                    DynamoDbError,
                >>(
                )?)
            }
            other => return Err(DynamoDbError::Unsupported(format!("a {} value has no DynamoDB type", other.kind()))),
        })
    }
}

/// Builds an [`Item`] from `name => value` pairs, values anything that
/// becomes a [`DynamoValue`] (strings, integers, [`Number`], sets, lists,
/// nested items).
///
/// ```
/// use boto::dynamodb::{item, Number, StringSet};
/// let it = item! {
///     "id" => "u-1",
///     "age" => 42,
///     "score" => Number::new("12.5").unwrap(),
///     "tags" => StringSet::from(["a", "b"]),
///     "address" => item! { "city" => "Oslo" },
/// };
/// assert_eq!(it["age"].as_i64(), Some(42));
/// assert_eq!(it["address"]["city"].as_str(), Some("Oslo"));
/// ```
#[macro_export]
macro_rules! __dynamodb_item {
    () => { $crate::dynamodb::Item::new() };
    ($($key:expr => $value:expr),+ $(,)?) => {{
        let mut item = $crate::dynamodb::Item::new();
        $( item.insert($key, $value); )+
        item
    }};
}

/// boto3's `TypeSerializer`: native values to AttributeValue maps
/// (`"x"` → `{"S": "x"}`), as [`Value`]s ready for a request.
///
/// ```
/// use boto::dynamodb::{DynamoValue, TypeSerializer, NumberSet};
/// use boto::params;
/// let s = TypeSerializer;
/// assert_eq!(s.serialize(&DynamoValue::from("foo")).unwrap(), params!({ "S": "foo" }));
/// assert_eq!(s.serialize(&DynamoValue::from(1)).unwrap(), params!({ "N": "1" }));
/// assert!(s.serialize(&DynamoValue::from(NumberSet::new())).is_err()); // empty sets
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TypeSerializer;

impl TypeSerializer {
    /// One value as an AttributeValue map.
    pub fn serialize(&self, value: &DynamoValue) -> Result<Value, DynamoDbError> {
        let mut m = Map::with_capacity(1);
        let payload = match value {
            DynamoValue::Null => Value::Bool(true),
            DynamoValue::Bool(b) => Value::Bool(*b),
            DynamoValue::Number(n) => Value::String(n.as_str().to_owned()),
            DynamoValue::String(s) => Value::String(s.clone()),
            DynamoValue::Binary(b) => Value::Blob(b.clone()),
            DynamoValue::StringSet(s) => {
                non_empty(s.is_empty(), "SS")?;
                Value::List(s.iter().map(|x| Value::String(x.clone())).collect())
            }
            DynamoValue::NumberSet(s) => {
                non_empty(s.is_empty(), "NS")?;
                Value::List(s.iter().map(|x| Value::String(x.as_str().to_owned())).collect())
            }
            DynamoValue::BinarySet(s) => {
                non_empty(s.is_empty(), "BS")?;
                Value::List(s.iter().map(|x| Value::Blob(x.clone())).collect())
            }
            DynamoValue::List(l) => Value::List(l.iter().map(|v| self.serialize(v)).collect::<Result<_, _>>()?),
            DynamoValue::Map(m) => self.serialize_item(m)?,
        };
        m.insert(value.type_tag().to_owned(), payload);
        Ok(Value::Map(m))
    }

    /// An item (or key) as a map of AttributeValue maps.
    pub fn serialize_item(&self, item: &Item) -> Result<Value, DynamoDbError> {
        let mut out = Map::with_capacity(item.len());
        for (k, v) in item {
            out.insert(k.clone(), self.serialize(v)?);
        }
        Ok(Value::Map(out))
    }
}

fn non_empty(empty: bool, tag: &str) -> Result<(), DynamoDbError> {
    if empty {
        Err(DynamoDbError::EmptySet(tag.to_owned()))
    } else {
        Ok(())
    }
}

/// boto3's `TypeDeserializer`: AttributeValue maps to native values.
///
/// ```
/// use boto::dynamodb::{DynamoValue, TypeDeserializer};
/// use boto::params;
/// let d = TypeDeserializer;
/// assert_eq!(d.deserialize(&params!({ "N": "1.25" })).unwrap().as_number().unwrap().as_str(), "1.25");
/// assert!(d.deserialize(&params!({})).is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TypeDeserializer;

impl TypeDeserializer {
    /// One AttributeValue map as a native value. Like boto3, the first key
    /// names the type.
    pub fn deserialize(&self, value: &Value) -> Result<DynamoValue, DynamoDbError> {
        let bad = |msg: String| DynamoDbError::Deserialize(msg);
        let Some((tag, payload)) = value.as_map().and_then(|m| m.iter().next()) else {
            return Err(bad("Value must be a nonempty dictionary whose key is a valid dynamodb type.".into()));
        };
        let shape = |what: &str| bad(format!("{tag} holds a {}, expected {what}", payload.kind()));
        let text = |v: &Value| match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(s) => Ok(s.clone()),
            Value::Int(i) => Ok(i.to_string()),
            other => Err(bad(format!("{tag} holds a {}, expected a string", other.kind()))),
        };
        let blob = |v: &Value| match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::String(s) => Ok(Bytes::from(s.clone().into_bytes())),
            other => Err(bad(format!("{tag} holds a {}, expected binary", other.kind()))),
        };
        let list = || payload.as_list().ok_or_else(|| shape("a list"));
        Ok(match tag.as_str() {
            "NULL" => DynamoValue::Null,
            "BOOL" => DynamoValue::Bool(payload.as_bool().ok_or_else(|| shape("a boolean"))?),
            "N" => DynamoValue::Number(Number::new(&text(payload)?)?),
            "S" => DynamoValue::String(text(payload)?),
            "B" => DynamoValue::Binary(blob(payload)?),
            "SS" => DynamoValue::StringSet(list()?.iter().map(text).collect::<Result<_, _>>()?),
            "NS" => DynamoValue::NumberSet(
                list()?
                    .iter()
                    .map(|v| Number::new(&text(v)?).map_err(DynamoDbError::from))
                    .collect::<Result<_, _>>()?,
            ),
            "BS" => DynamoValue::BinarySet(list()?.iter().map(blob).collect::<Result<_, _>>()?),
            "L" => DynamoValue::List(list()?.iter().map(|v| self.deserialize(v)).collect::<Result<_, _>>()?),
            "M" => DynamoValue::Map(self.deserialize_item(payload)?),
            other => return Err(bad(format!("Dynamodb type {other} is not supported"))),
        })
    }

    /// A map of AttributeValue maps (an item or key) as an [`Item`].
    pub fn deserialize_item(&self, value: &Value) -> Result<Item, DynamoDbError> {
        let Some(m) = value.as_map() else {
            return Err(DynamoDbError::Deserialize(format!("an item must be a map, not a {}", value.kind())));
        };
        m.iter().map(|(k, v)| Ok((k.clone(), self.deserialize(v)?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_core::params;

    // Vectors from boto3's tests/unit/dynamodb/test_types.py.
    #[test]
    fn serializer() {
        let s = TypeSerializer;
        let ser = |v: DynamoValue| s.serialize(&v).unwrap();
        assert_eq!(ser(DynamoValue::Null), params!({ "NULL": true }));
        assert_eq!(ser(false.into()), params!({ "BOOL": false }));
        assert_eq!(ser(1.into()), params!({ "N": "1" }));
        assert_eq!(ser(DynamoValue::number("1.25").unwrap()), params!({ "N": "1.25" }));
        assert_eq!(ser("foo".into()), params!({ "S": "foo" }));
        assert_eq!(ser(DynamoValue::binary(&b"\x01"[..])), params!({ "B": Value::blob(&b"\x01"[..]) }));
        assert_eq!(ser(NumberSet::from([1, 2, 3]).into()), params!({ "NS": ["1", "2", "3"] }));
        assert_eq!(ser(StringSet::from(["foo", "bar"]).into()), params!({ "SS": ["bar", "foo"] }));
        assert_eq!(
            ser(BinarySet::from([Bytes::from_static(b"\x01"), Bytes::from_static(b"\x02")]).into()),
            params!({ "BS": [Value::blob(&b"\x01"[..]), Value::blob(&b"\x02"[..])] })
        );
        assert_eq!(
            ser(vec![DynamoValue::from("foo"), 1.into(), vec![1].into()].into()),
            params!({ "L": [ { "S": "foo" }, { "N": "1" }, { "L": [ { "N": "1" } ] } ] })
        );
        let map = crate::dynamodb::item! { "foo" => "bar", "baz" => crate::dynamodb::item! { "biz" => 1 } };
        assert_eq!(
            ser(map.into()),
            params!({ "M": { "foo": { "S": "bar" }, "baz": { "M": { "biz": { "N": "1" } } } } })
        );
        // Not in boto3 (it sends them and DynamoDB refuses): empty sets.
        for empty in [StringSet::new().into(), NumberSet::new().into(), BinarySet::new().into()] {
            assert!(matches!(s.serialize(&empty), Err(DynamoDbError::EmptySet(_))));
        }
        // Floats: exact ones are numbers, others errors.
        assert_eq!(ser(DynamoValue::try_from(1.25).unwrap()), params!({ "N": "1.25" }));
        assert!(DynamoValue::try_from(0.1).is_err());
        assert!(DynamoValue::try_from(f64::NAN).unwrap_err().to_string().contains("Infinity and NaN not supported"));
    }

    #[test]
    fn deserializer() {
        let d = TypeDeserializer;
        let de = |v: Value| d.deserialize(&v);
        assert!(de(params!({ "FOO": "bar" })).unwrap_err().to_string().contains("FOO is not supported"));
        assert!(de(params!({})).unwrap_err().to_string().contains("Value must be a nonempty"));
        assert_eq!(de(params!({ "NULL": true })).unwrap(), DynamoValue::Null);
        assert_eq!(de(params!({ "BOOL": false })).unwrap(), DynamoValue::Bool(false));
        assert_eq!(de(params!({ "N": "1" })).unwrap(), DynamoValue::from(1));
        assert_eq!(de(params!({ "N": "1.25" })).unwrap(), DynamoValue::number("1.25").unwrap());
        assert_eq!(de(params!({ "S": "foo" })).unwrap(), DynamoValue::from("foo"));
        assert_eq!(de(params!({ "B": Value::blob(&b"\x00"[..]) })).unwrap(), DynamoValue::binary(&b"\x00"[..]));
        assert_eq!(
            de(params!({ "NS": ["1", "1.25"] })).unwrap(),
            DynamoValue::NumberSet([Number::from(1), Number::new("1.25").unwrap()].into_iter().collect())
        );
        assert_eq!(de(params!({ "SS": ["foo", "bar"] })).unwrap(), StringSet::from(["bar", "foo"]).into());
        assert_eq!(
            de(params!({ "BS": [Value::blob(&b"\x00"[..]), Value::blob(&b"\x01"[..])] })).unwrap(),
            BinarySet::from([Bytes::from_static(b"\x00"), Bytes::from_static(b"\x01")]).into()
        );
        assert_eq!(
            de(params!({ "L": [ { "N": "1" }, { "S": "foo" }, { "L": [ { "N": "1.25" } ] } ] })).unwrap(),
            DynamoValue::List(vec![
                1.into(),
                "foo".into(),
                DynamoValue::List(vec![DynamoValue::number("1.25").unwrap()])
            ])
        );
        assert_eq!(
            de(params!({ "M": { "foo": { "S": "mystring" }, "bar": { "M": { "baz": { "N": "1" } } } } })).unwrap(),
            DynamoValue::Map(
                crate::dynamodb::item! { "foo" => "mystring", "bar" => crate::dynamodb::item! { "baz" => 1 } }
            )
        );
        assert!(de(params!({ "N": "1e999" })).is_err());
        assert!(de(params!({ "SS": "not a list" })).is_err());
    }

    #[test]
    fn round_trips() {
        let item = crate::dynamodb::item! {
            "n" => Number::new("12345678901234567890123456789012345678").unwrap(),
            "tiny" => Number::new("-1.5E-100").unwrap(),
            "s" => "text",
            "b" => Bytes::from_static(b"\x00\xff"),
            "ss" => StringSet::from(["x", "y"]),
            "ns" => NumberSet::from([Number::new("0.5").unwrap(), Number::from(7)]),
            "bs" => BinarySet::from([Bytes::from_static(b"a")]),
            "l" => vec![DynamoValue::Null, true.into()],
            "m" => crate::dynamodb::item! { "deep" => crate::dynamodb::item! { "deeper" => 1 } },
        };
        let wire = TypeSerializer.serialize_item(&item).unwrap();
        assert_eq!(wire["n"]["N"].as_str(), Some("12345678901234567890123456789012345678"));
        assert_eq!(wire["tiny"]["N"].as_str(), Some("-1.5E-100"));
        let back = TypeDeserializer.deserialize_item(&wire).unwrap();
        assert_eq!(back, item);
        // Plain values convert too.
        let v = params!({ "a": 1, "b": [ "x" ], "c": Value::Number("123456789012345678901234567890".into()) });
        let d = DynamoValue::try_from(&v).unwrap();
        assert_eq!(d["c"].as_number().unwrap().as_str(), "123456789012345678901234567890");
        assert!(DynamoValue::try_from(&Value::from(std::time::SystemTime::now())).is_err());
    }
}
