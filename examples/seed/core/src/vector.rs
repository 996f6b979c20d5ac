//! A persistent vector: every update returns a new vector and leaves the receiver as it was,
//! as persistent-collection libraries (rpds, im) do. It exercises the scenario forms that need
//! objects: results that are objects (`push`, `concat`, `of`), objects as arguments
//! (`concat(other)`), a classmethod constructor (`of`), a function returning one
//! (`vector_range`), a callback (`filter(keep)`), and a result the binding gives a subclass
//! of its own (`sorted`, a `SortedVec` in Python, a `PVec` here).

/// A vector of ints that is never changed in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PVec {
    items: Vec<i64>,
}

impl PVec {
    /// The empty vector.
    pub fn new() -> Self {
        Self::default()
    }

    /// A vector of `items`, in order.
    pub fn of(items: Vec<i64>) -> Self {
        Self { items }
    }

    /// A new vector: this one with `value` appended.
    pub fn push(&self, value: i64) -> Self {
        let mut items = self.items.clone();
        items.push(value);
        Self { items }
    }

    /// A new vector: this one followed by `other`.
    pub fn concat(&self, other: &PVec) -> Self {
        let mut items = self.items.clone();
        items.extend_from_slice(&other.items);
        Self { items }
    }

    /// A new vector of the items `keep` accepts, in order; `keep` is called once per item.
    pub fn filter(&self, mut keep: impl FnMut(i64) -> bool) -> Self {
        Self {
            items: self.items.iter().copied().filter(|&x| keep(x)).collect(),
        }
    }

    /// A new vector of the same items in ascending order.
    pub fn sorted(&self) -> Self {
        let mut items = self.items.clone();
        items.sort_unstable();
        Self { items }
    }

    /// How many items are less than `value` (where `value` would be inserted in a sorted
    /// vector).
    pub fn rank(&self, value: i64) -> usize {
        self.items.iter().filter(|&&x| x < value).count()
    }

    /// The items, in order.
    pub fn items(&self) -> &[i64] {
        &self.items
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// The largest capacity a `Store` should be given (a module constant in Python).
pub const MAX_CAPACITY: usize = 1024;

/// The vector `start, start + 1, ..., stop - 1` (empty when `stop <= start`).
pub fn vector_range(start: i64, stop: i64) -> PVec {
    PVec::of((start..stop.max(start)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_leave_the_receiver_as_it_was() {
        let empty = PVec::new();
        let one = empty.push(1);
        let both = one.concat(&vector_range(2, 4));
        assert!(empty.is_empty());
        assert_eq!(one.items(), [1]);
        assert_eq!(both.items(), [1, 2, 3]);
        assert_eq!(vector_range(3, 1).len(), 0);
        assert_eq!(both.filter(|x| x % 2 == 1).items(), [1, 3]);
        assert_eq!(PVec::of(vec![3, 1, 2]).sorted().items(), [1, 2, 3]);
        assert_eq!(PVec::of(vec![3, 1, 2]).rank(3), 2);
    }
}
