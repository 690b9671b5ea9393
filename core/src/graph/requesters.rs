//! The workloads that request a resource node: a sorted set kept in one vector.
//!
//! Most resources have one requester, a shared one a few: a `BTreeSet` gave each node a B-tree
//! leaf with room for eleven entries (about 540 bytes, 16 MB for the 30,000 resource nodes of a
//! plan of 10,000 workloads); a vector holds what it has. It iterates in the same order (sorted,
//! no duplicates) and offers the set operations the graph uses.

/// The workloads that request a resource, by name, with the name each uses for it: sorted,
/// without duplicates, as a `BTreeSet<(String, String)>` would hold them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Requesters(Vec<(String, String)>);

impl Requesters {
    /// No requester.
    #[must_use]
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// Adds `entry`; whether it was not there yet.
    pub fn insert(&mut self, entry: (String, String)) -> bool {
        // Workloads are met by name: a new entry nearly always goes last.
        match self.0.last() {
            Some(last) if *last < entry => {
                self.0.push(entry);
                true
            }
            None => {
                // Room for one: most resources keep a single requester (a vector's first
                // push makes room for four).
                self.0.reserve_exact(1);
                self.0.push(entry);
                true
            }
            Some(_) => match self.0.binary_search(&entry) {
                Ok(_) => false,
                Err(at) => {
                    self.0.insert(at, entry);
                    true
                }
            },
        }
    }

    /// Whether `entry` is there.
    #[must_use]
    pub fn contains(&self, entry: &(String, String)) -> bool {
        self.0.binary_search(entry).is_ok()
    }

    /// Removes `entry`; whether it was there.
    pub fn remove(&mut self, entry: &(String, String)) -> bool {
        match self.0.binary_search(entry) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Keeps the entries `keep` holds for.
    pub fn retain(&mut self, keep: impl FnMut(&(String, String)) -> bool) {
        self.0.retain(keep);
    }

    /// The entries, sorted.
    pub fn iter(&self) -> std::slice::Iter<'_, (String, String)> {
        self.0.iter()
    }

    /// How many entries there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Requesters {
    type Item = &'a (String, String);
    type IntoIter = std::slice::Iter<'a, (String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Requesters {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Extend<(String, String)> for Requesters {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, entries: I) {
        for entry in entries {
            self.insert(entry);
        }
    }
}

impl FromIterator<(String, String)> for Requesters {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(entries: I) -> Self {
        let mut set = Self::new();
        set.extend(entries);
        set
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(String, String),
        Remove(String, String),
        RetainNot(String),
    }

    fn op() -> impl Strategy<Value = Op> {
        let name = "[a-d]{0,2}";
        prop_oneof![
            4 => (name, name).prop_map(|(a, b)| Op::Insert(a, b)),
            1 => (name, name).prop_map(|(a, b)| Op::Remove(a, b)),
            1 => name.prop_map(Op::RetainNot),
        ]
    }

    proptest! {
        /// Any sequence of operations leaves the entries a `BTreeSet` would hold, in its
        /// order, and gives the same answers.
        #[test]
        fn behaves_as_a_btreeset(ops in proptest::collection::vec(op(), 0..60)) {
            let mut set = Requesters::new();
            let mut model = BTreeSet::new();
            for op in ops {
                match op {
                    Op::Insert(a, b) => {
                        prop_assert_eq!(set.insert((a.clone(), b.clone())), model.insert((a, b)));
                    }
                    Op::Remove(a, b) => {
                        let entry = (a, b);
                        prop_assert_eq!(set.contains(&entry), model.contains(&entry));
                        prop_assert_eq!(set.remove(&entry), model.remove(&entry));
                    }
                    Op::RetainNot(name) => {
                        set.retain(|(by, _)| *by != name);
                        model.retain(|(by, _)| *by != name);
                    }
                }
                prop_assert!(set.iter().eq(model.iter()));
                prop_assert_eq!(set.len(), model.len());
                prop_assert_eq!(set.is_empty(), model.is_empty());
            }
            let collected: Requesters = model.iter().rev().cloned().collect();
            prop_assert_eq!(&collected, &set);
            prop_assert!(set.into_iter().eq(model.into_iter()));
        }
    }
}
