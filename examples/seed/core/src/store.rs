//! A small bounded key-value store: the stateful component, whose behaviour depends on the
//! sequence of calls made before.

use std::collections::BTreeMap;

use crate::SeedError;

/// A string-keyed store of integers with a fixed capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    capacity: usize,
    entries: BTreeMap<String, i64>,
}

impl Store {
    /// An empty store that holds at most `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Result<Self, SeedError> {
        if capacity == 0 {
            return Err(SeedError::InvalidArgument(
                "capacity must be at least 1".to_owned(),
            ));
        }
        Ok(Self {
            capacity,
            entries: BTreeMap::new(),
        })
    }

    /// Sets `key` to `value`, returning the previous value; fails when a new key finds no room.
    pub fn put(&mut self, key: &str, value: i64) -> Result<Option<i64>, SeedError> {
        if !self.entries.contains_key(key) && self.entries.len() == self.capacity {
            return Err(SeedError::StoreFull {
                capacity: self.capacity,
            });
        }
        Ok(self.entries.insert(key.to_owned(), value))
    }

    /// The value of `key`, or `default`.
    pub fn get(&self, key: &str, default: Option<i64>) -> Option<i64> {
        self.entries.get(key).copied().or(default)
    }

    /// Removes `key` and returns its value; fails if it is absent.
    pub fn remove(&mut self, key: &str) -> Result<i64, SeedError> {
        self.entries
            .remove(key)
            .ok_or_else(|| SeedError::MissingKey(key.to_owned()))
    }

    /// The keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }

    /// The `(key, value)` pairs, sorted by key.
    pub fn items(&self) -> Vec<(String, i64)> {
        self.entries
            .iter()
            .map(|(key, value)| (key.clone(), *value))
            .collect()
    }

    /// How many keys are stored.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the store holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The capacity the store was built with.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
