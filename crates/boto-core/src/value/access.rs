//! Ergonomic read and write access: `v["Item"]["id"]["S"].as_str()`.

use std::ops::{Index, IndexMut};

use bytes::Bytes;
use time::OffsetDateTime;

use super::{Map, Value};
use crate::body::Body;

static NULL: Value = Value::Null;

impl Value {
    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is an integer or an exact number that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The number as a float, if this is any kind of number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The bytes, if this is a blob.
    pub fn as_blob(&self) -> Option<&Bytes> {
        match self {
            Value::Blob(b) => Some(b),
            _ => None,
        }
    }

    /// The timestamp, if this is a timestamp.
    pub fn as_timestamp(&self) -> Option<OffsetDateTime> {
        match self {
            Value::Timestamp(t) => Some(*t),
            _ => None,
        }
    }

    /// The elements, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The elements, mutably, if this is a list.
    pub fn as_list_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The entries, if this is a structure or map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The entries, mutably, if this is a structure or map.
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The streaming body, if this is a stream.
    pub fn as_stream(&self) -> Option<&Body> {
        match self {
            Value::Stream(b) => Some(b),
            _ => None,
        }
    }

    /// The member `key` of a structure or map; `None` if absent or if this is
    /// not a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Mutable access to the member `key`, if present.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.as_map_mut().and_then(|m| m.get_mut(key))
    }

    /// Sets `key` in a structure or map (turning `Null` into an empty map
    /// first) and returns the previous value. Does nothing on other kinds
    /// and returns `None`.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        if self.is_null() {
            *self = Value::map();
        }
        match self {
            Value::Map(m) => m.insert(key.into(), value.into()),
            _ => None,
        }
    }

    /// Removes `key` from a structure or map, keeping the order of the rest.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.as_map_mut().and_then(|m| m.shift_remove(key))
    }

    /// Takes the value out, leaving `Null`.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }

    /// Follows a path of map keys: `v.pointer(&["Item", "id", "S"])`.
    pub fn pointer(&self, path: &[&str]) -> Option<&Value> {
        path.iter().try_fold(self, |v, k| v.get(k))
    }
}

impl Index<&str> for Value {
    type Output = Value;
    /// The member `key`, or `Null` when absent (never panics).
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl Index<String> for Value {
    type Output = Value;
    fn index(&self, key: String) -> &Value {
        &self[key.as_str()]
    }
}

impl Index<&String> for Value {
    type Output = Value;
    fn index(&self, key: &String) -> &Value {
        &self[key.as_str()]
    }
}

impl Index<usize> for Value {
    type Output = Value;
    /// The element at `i`, or `Null` when out of range or not a list.
    fn index(&self, i: usize) -> &Value {
        self.as_list().and_then(|l| l.get(i)).unwrap_or(&NULL)
    }
}

impl IndexMut<&str> for Value {
    /// The member `key`, inserted as `Null` when absent. A `Null` value
    /// becomes an empty map first.
    ///
    /// # Panics
    /// When the value is neither `Null` nor a map, like `serde_json`.
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if self.is_null() {
            *self = Value::map();
        }
        match self {
            Value::Map(m) => m.entry(key.to_owned()).or_insert(Value::Null),
            other => panic!("cannot index a {} with a string key", other.kind()),
        }
    }
}

impl IndexMut<usize> for Value {
    /// # Panics
    /// When the value is not a list or `i` is out of range, like `Vec`.
    fn index_mut(&mut self, i: usize) -> &mut Value {
        match self {
            Value::List(l) => &mut l[i],
            other => panic!("cannot index a {} with an integer", other.kind()),
        }
    }
}
