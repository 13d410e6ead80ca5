//! The dynamic value that carries operation parameters and results.
//!
//! Every AWS operation takes and returns a tree of [`Value`]s, shaped by the
//! service model. The type holds everything the models can describe without
//! loss: integers and floats (NaN and infinities included), exact decimal
//! text for big numbers, blobs, timestamps with nanosecond precision, lists,
//! structures and maps (one ordered [`Map`] type serves both) and streaming
//! bodies.
//!
//! Values convert to and from your own serde types with [`to_value`] and
//! [`from_value`], and are written literally with the [`params!`](crate::params)
//! macro:
//!
//! ```
//! use boto_core::{params, Value};
//!
//! let item = params!({
//!     "TableName": "users",
//!     "Key": { "id": { "S": "u-1" } },
//! });
//! assert_eq!(item["Key"]["id"]["S"].as_str(), Some("u-1"));
//! assert!(item["Missing"].is_null());
//! ```

mod access;
mod de;
mod from;
mod macros;
mod map;
pub(crate) mod python_json;
mod ser;
pub(crate) mod timestamp;

use std::fmt;

use bytes::Bytes;
pub use de::{from_value, ValueDeserializeError};
pub use map::{Map, MapHasher};
pub use ser::{to_value, ValueSerializeError};
use time::OffsetDateTime;
pub use timestamp::parse_timestamp_text;

use crate::body::Body;

/// A parameter or result value.
///
/// See the [module documentation](self) for an overview.
#[derive(Clone, Default)]
pub enum Value {
    /// No value (`None` in botocore). Members set to `Null` are treated as
    /// absent by the serializers.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (byte, short, integer and long shapes).
    Int(i64),
    /// A floating point number, NaN and infinities included.
    Float(f64),
    /// A number kept as exact decimal text (BigInteger and BigDecimal
    /// shapes, and integers that do not fit an `i64`).
    Number(String),
    /// A string.
    String(String),
    /// Binary data.
    Blob(Bytes),
    /// A point in time, with nanosecond precision.
    Timestamp(OffsetDateTime),
    /// A list.
    List(Vec<Value>),
    /// A structure or a map.
    Map(Map),
    /// A streaming body (for example S3 GetObject's `Body`), never buffered
    /// whole unless asked.
    Stream(Body),
}

impl Value {
    /// A blob value from anything that becomes [`Bytes`].
    ///
    /// ```
    /// let v = boto_core::Value::blob(b"\x00\x01".to_vec());
    /// assert_eq!(v.as_blob().map(|b| b.len()), Some(2));
    /// ```
    pub fn blob(data: impl Into<Bytes>) -> Value {
        Value::Blob(data.into())
    }

    /// An empty structure or map.
    pub fn map() -> Value {
        Value::Map(Map::new())
    }

    /// The name of this value's kind, for error messages (`"string"`,
    /// `"map"`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "float",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Blob(_) => "blob",
            Value::Timestamp(_) => "timestamp",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Stream(_) => "stream",
        }
    }

    /// Converts the value to a `serde_json::Value` the way results are
    /// printed: blobs as base64, timestamps as ISO 8601 text, NaN and
    /// infinities as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`,
    /// exact numbers beyond 64 bits as their text, streams as `null`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null | Value::Stream(_) => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Number(n) => match (n.parse::<i64>(), n.parse::<u64>()) {
                (Ok(i), _) => J::from(i),
                (_, Ok(u)) => J::from(u),
                _ => J::String(n.clone()),
            },
            Value::List(l) => J::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            // Floats, strings, blobs and timestamps: as `Serialize` writes them.
            other => serde_json::to_value(other).unwrap_or(J::Null),
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Int(a), Float(b)) | (Float(b), Int(a)) => (*a as f64) == *b,
            (Number(a), Number(b)) => a == b,
            (Number(a), Int(b)) | (Int(b), Number(a)) => a.parse::<i64>().ok() == Some(*b),
            (String(a), String(b)) => a == b,
            (Blob(a), Blob(b)) => a == b,
            (Timestamp(a), Timestamp(b)) => a == b,
            (List(a), List(b)) => a == b,
            (Map(a), Map(b)) => a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v)),
            (Stream(a), Stream(b)) => a.same_stream(b),
            _ => false,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Number(n) => write!(f, "Number({n})"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Blob(b) => write!(f, "Blob({} bytes)", b.len()),
            Value::Timestamp(t) => write!(f, "Timestamp({t})"),
            Value::List(l) => f.debug_list().entries(l).finish(),
            Value::Map(m) => f.debug_map().entries(m).finish(),
            Value::Stream(s) => write!(f, "{s:?}"),
        }
    }
}

/// Shows the value as compact JSON (see [`Value::to_json`]).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

#[cfg(test)]
mod tests;
