//! [`Map`]: the ordered map of structures and maps.

use std::fmt;
use std::ops::{Deref, DerefMut};

use indexmap::IndexMap;

use super::Value;

/// The hasher of [`Map`]: foldhash, seeded per process (much faster than
/// SipHash on the short keys of AWS structures).
pub type MapHasher = foldhash::fast::RandomState;

/// An ordered string-keyed map: the representation of both structures and
/// maps. Keys keep their insertion order. It dereferences to an
/// [`IndexMap`], so every `IndexMap` method works on it.
///
/// ```
/// use boto_core::{Map, Value};
/// let mut m = Map::new();
/// m.insert("b".into(), Value::from(1));
/// m.insert("a".into(), Value::from(2));
/// assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["b", "a"]);
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct Map(IndexMap<String, Value, MapHasher>);

impl Map {
    /// An empty map.
    pub fn new() -> Map {
        Map::default()
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Map {
        Map(IndexMap::with_capacity_and_hasher(n, MapHasher::default()))
    }

    /// The `IndexMap` inside.
    pub fn into_inner(self) -> IndexMap<String, Value, MapHasher> {
        self.0
    }
}

impl Deref for Map {
    type Target = IndexMap<String, Value, MapHasher>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Map {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Map {
        let iter = iter.into_iter();
        let mut m = Map::with_capacity(iter.size_hint().0);
        m.extend(iter);
        m
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = indexmap::map::IntoIter<String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = indexmap::map::Iter<'a, String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = indexmap::map::IterMut<'a, String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

impl<S: std::hash::BuildHasher> From<IndexMap<String, Value, S>> for Map {
    fn from(m: IndexMap<String, Value, S>) -> Map {
        m.into_iter().collect()
    }
}
