//! What a plan's secret check is made of, counted: how many registrations of secrets give each
//! run and short secret, and how many public names give each run. A session keeps one, so that
//! after an edit that adds and removes resources and names, the new check is the old one with
//! the runs that changed put in or taken out ([`Book::edit`]): the check
//! [`SecretRegistry::guard_with_public`](super::SecretRegistry::guard_with_public) builds for a
//! full plan of the same inputs, made without deriving every secret and name again.
//!
//! A run is looked for when some registration gives it and no public name does; its owner is
//! the first resource, in the plan's order, whose registration gives it. Where the counts
//! cannot say who that is (a run an added resource shares with a kept one, a run a removed
//! resource owned that another still gives, a run that stops being public while a secret
//! gives it), [`Book::edit`] gives `None` and the caller builds the check in full.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::guard::{PublicWords, SecretGuard};
use super::patterns::{Derived, derive};
use super::windows::Counts;
use crate::ResourceKey;
use crate::sensitive::Sensitive;

/// The makings of a plan's secret check, counted.
pub(crate) struct Book {
    secret: Counts,
    whole: HashMap<String, u32>,
    public: Counts,
    /// What each resource registered, in order.
    by_owner: HashMap<ResourceKey, Vec<Sensitive<String>>>,
}

/// What an edit of a plan changes in what its secret check is made of.
#[derive(Default)]
pub(crate) struct Changes {
    /// What the resources the edit adds registered, in the new plan's order.
    pub added: Vec<(ResourceKey, Sensitive<String>)>,
    /// The resources the edit removes.
    pub removed: Vec<ResourceKey>,
    /// The public names the edit adds.
    pub public_added: Vec<String>,
    /// The public names the edit removes.
    pub public_removed: Vec<String>,
}

/// A check made by [`Book::edit`], and what to record in the book once the edit is made.
pub(crate) struct Edited {
    /// The new check.
    pub guard: std::sync::Arc<SecretGuard>,
    /// What it looks for that the old one did not.
    pub beyond: SecretGuard,
    deltas: Deltas,
    changes: Changes,
}

/// How the counts change.
#[derive(Default)]
struct Deltas {
    secret: BTreeMap<String, i64>,
    whole: BTreeMap<String, i64>,
    public: BTreeMap<String, i64>,
    /// The first added resource (its key) giving each run.
    first_run: HashMap<String, ResourceKey>,
    first_whole: HashMap<String, ResourceKey>,
}

impl Book {
    /// The book of a plan whose registry registered `registrations` (in order) and whose
    /// public names are `public`.
    pub fn new<'a>(
        registrations: Vec<(ResourceKey, Sensitive<String>)>,
        public: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut book = Self {
            secret: Counts::default(),
            whole: HashMap::new(),
            public: Counts::default(),
            by_owner: HashMap::new(),
        };
        for (owner, value) in registrations {
            each_pattern(value.expose(), &mut |pattern| match pattern {
                Pattern::Run(run) => book.secret.add(run, 1),
                Pattern::Whole(text) => *book.whole.entry(text.to_owned()).or_default() += 1,
            });
            book.by_owner.entry(owner).or_default().push(value);
        }
        for text in public {
            each_public_run(text, &mut |run| book.public.add(run, 1));
        }
        book
    }

    /// What `owner` registered, in order.
    pub fn registered_by(&self, owner: &ResourceKey) -> &[Sensitive<String>] {
        self.by_owner.get(owner).map_or(&[], Vec::as_slice)
    }

    /// The check of the plan made from the one `guard` checks by `changes`; `None` when the
    /// counts cannot say it for certain (see the module).
    pub fn edit(&self, guard: &SecretGuard, changes: Changes) -> Option<Edited> {
        let deltas = self.deltas(&changes);
        let removed: HashSet<String> = changes.removed.iter().map(owner_name).collect();
        let mut new = guard.copied();
        let mut beyond = SecretGuard::empty();
        let mut owners: HashMap<ResourceKey, usize> = HashMap::new();
        let mut owner = |new: &mut SecretGuard, key: &ResourceKey| {
            *owners
                .entry(key.clone())
                .or_insert_with(|| new.owner_index(owner_name(key)))
        };
        let runs = deltas.secret.keys().chain(deltas.public.keys());
        for run in runs.collect::<std::collections::BTreeSet<_>>() {
            let before = (self.secret.get(run), self.public.get(run));
            let change = (
                deltas.secret.get(run).copied().unwrap_or(0),
                deltas.public.get(run).copied().unwrap_or(0),
            );
            let owner_now = new.run_owner(run).map(str::to_owned);
            let step = Step::of(
                before,
                change,
                deltas.first_run.get(run),
                owner_now,
                &removed,
            )?;
            match step {
                Step::Remove => new.remove_run(run),
                Step::Put(key) => {
                    let at = owner(&mut new, key);
                    new.put_run(run, at);
                    beyond.put_run(run, at);
                }
                Step::Keep => {}
            }
        }
        for (text, delta) in &deltas.whole {
            let before = (self.whole.get(text).copied().unwrap_or(0), 0);
            let owner_now = new.whole_owner(text).map(str::to_owned);
            let added = deltas.first_whole.get(text);
            match Step::of(before, (*delta, 0), added, owner_now, &removed)? {
                Step::Remove => new.remove_whole(text),
                Step::Put(key) => {
                    let at = owner(&mut new, key);
                    new.put_whole(text, at);
                    beyond.put_whole(text, at);
                }
                Step::Keep => {}
            }
        }
        beyond.seal_with_owners_of(&new);
        Some(Edited {
            guard: std::sync::Arc::new(new),
            beyond,
            deltas,
            changes,
        })
    }

    /// Records the edit `edited` was made for (it was made).
    pub fn record(&mut self, edited: Edited) {
        let Edited {
            deltas, changes, ..
        } = edited;
        for (run, delta) in deltas.secret {
            self.secret.add(&run, delta);
        }
        for (run, delta) in deltas.public {
            self.public.add(&run, delta);
        }
        for (text, delta) in deltas.whole {
            let now = i64::from(self.whole.get(&text).copied().unwrap_or(0)) + delta;
            match u32::try_from(now) {
                Ok(0) | Err(_) => {
                    self.whole.remove(&text);
                }
                Ok(now) => {
                    self.whole.insert(text, now);
                }
            }
        }
        for key in &changes.removed {
            self.by_owner.remove(key);
        }
        for (owner, value) in changes.added {
            self.by_owner.entry(owner).or_default().push(value);
        }
    }

    fn deltas(&self, changes: &Changes) -> Deltas {
        let mut deltas = Deltas::default();
        for (owner, value) in &changes.added {
            each_pattern(value.expose(), &mut |pattern| match pattern {
                Pattern::Run(run) => {
                    *deltas.secret.entry(run.to_owned()).or_default() += 1;
                    deltas
                        .first_run
                        .entry(run.to_owned())
                        .or_insert_with(|| owner.clone());
                }
                Pattern::Whole(text) => {
                    *deltas.whole.entry(text.to_owned()).or_default() += 1;
                    deltas
                        .first_whole
                        .entry(text.to_owned())
                        .or_insert_with(|| owner.clone());
                }
            });
        }
        for key in &changes.removed {
            for value in self.registered_by(key) {
                each_pattern(value.expose(), &mut |pattern| match pattern {
                    Pattern::Run(run) => *deltas.secret.entry(run.to_owned()).or_default() -= 1,
                    Pattern::Whole(text) => *deltas.whole.entry(text.to_owned()).or_default() -= 1,
                });
            }
        }
        for (texts, by) in [(&changes.public_added, 1), (&changes.public_removed, -1)] {
            for text in texts {
                each_public_run(text, &mut |run| {
                    *deltas.public.entry(run.to_owned()).or_default() += by;
                });
            }
        }
        deltas
    }
}

/// What an edit does to one run or short secret of the check.
enum Step<'a> {
    /// No longer looked for.
    Remove,
    /// Looked for now, owned by this resource.
    Put(&'a ResourceKey),
    /// As it was.
    Keep,
}

impl<'a> Step<'a> {
    /// The step of a run or short secret that `(secrets, public names)` gave `before` and
    /// give `change` more (fewer when negative), first given among the resources added by
    /// `added`, and owned `owner_now` in the old check; `None` when the owner cannot be told
    /// (see the module).
    fn of(
        before: (u32, u32),
        change: (i64, i64),
        added: Option<&'a ResourceKey>,
        owner_now: Option<String>,
        removed: &HashSet<String>,
    ) -> Option<Self> {
        let (s0, p0) = (i64::from(before.0), i64::from(before.1));
        let (s1, p1) = (s0 + change.0, p0 + change.1);
        if added.is_some() && s0 > 0 {
            return None;
        }
        match (s0 > 0 && p0 == 0, s1 > 0 && p1 == 0) {
            (true, false) => Some(Self::Remove),
            (false, true) => added.map(Self::Put),
            (true, true) if owner_now.is_some_and(|o| removed.contains(&o)) => None,
            _ => Some(Self::Keep),
        }
    }
}

/// How messages name the owner `key` (as the registry names it).
fn owner_name(key: &ResourceKey) -> String {
    format!("resource `{key}`")
}

/// One thing the check looks for to find a secret.
enum Pattern<'a> {
    /// A run, lower-cased.
    Run(&'a str),
    /// A short secret, found whole.
    Whole(&'a str),
}

/// What the check looks for to find `secret`, as [`SecretGuard::with_public`] derives it.
fn each_pattern(secret: &str, each: &mut dyn FnMut(Pattern<'_>)) {
    match derive(secret) {
        Derived::Nothing => {}
        Derived::Whole(text) => each(Pattern::Whole(&text)),
        Derived::Windows(windows) => {
            for window in windows {
                each(Pattern::Run(&window.to_ascii_lowercase()));
            }
        }
    }
}

/// The runs [`PublicWords`] takes from `text` (each once).
fn each_public_run(text: &str, each: &mut dyn FnMut(&str)) {
    PublicWords::new([text]).each_run(each);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::SecretRegistry;
    use proptest::prelude::*;

    fn key(i: usize) -> ResourceKey {
        ResourceKey::new("redis", None, Some(&format!("app.r{i}")))
    }

    /// The check a full plan builds of `registrations` (in order) and `public`.
    fn built(registrations: &[(ResourceKey, Sensitive<String>)], public: &[String]) -> SecretGuard {
        let registry = SecretRegistry::default();
        for (owner, value) in registrations {
            registry.register(owner, value);
        }
        let public = PublicWords::new(public.iter().map(String::as_str));
        registry.guard_with_public(&public).unwrap()
    }

    proptest! {
        /// Whenever the book makes the check of an edit, it is the check a full plan of the
        /// edited inputs builds: the same runs and short secrets, each with the same owner.
        #[test]
        fn an_edited_check_is_the_check_a_full_plan_builds(
            old in proptest::collection::vec((0..6usize, "[ab]{3,11}"), 0..8),
            fresh in proptest::collection::vec((0..8usize, "[a-f]{3,14}"), 0..4),
            removed in proptest::collection::btree_set(0..6usize, 0..3),
            public in proptest::collection::vec("[ab.-]{6,12}", 0..4),
            public_added in proptest::collection::vec("[abc.-]{6,12}", 0..3),
            public_removed in 0..3usize,
        ) {
            // Resources 0..6 are the plan's, in order; the edit removes some and adds
            // resources 6 and 7 (each after every kept one or between, as `fresh` says).
            let mut old: Vec<(usize, String)> = old;
            old.sort_by_key(|(owner, _)| *owner);
            let registrations: Vec<(ResourceKey, Sensitive<String>)> = old
                .iter()
                .map(|(o, v)| (key(*o), Sensitive::new(v.clone())))
                .collect();
            let book = Book::new(registrations.clone(), public.iter().map(String::as_str));
            let guard = built(&registrations, &public);
            let added: Vec<(ResourceKey, Sensitive<String>)> = {
                let mut fresh: Vec<(usize, String)> = fresh
                    .into_iter()
                    .map(|(o, v)| (6 + o % 2, v))
                    .collect();
                fresh.sort_by_key(|(owner, _)| *owner);
                fresh.into_iter().map(|(o, v)| (key(o), Sensitive::new(v))).collect()
            };
            let kept_public: Vec<String> = public.iter().skip(public_removed).cloned().collect();
            let changes = Changes {
                added: added.clone(),
                removed: removed.iter().map(|&i| key(i)).collect(),
                public_added: public_added.clone(),
                public_removed: public.iter().take(public_removed).cloned().collect(),
            };
            let mut new_registrations: Vec<(ResourceKey, Sensitive<String>)> = registrations
                .iter()
                .filter(|(owner, _)| !removed.iter().any(|&i| key(i) == *owner))
                .cloned()
                .collect();
            // The added resources come after the kept ones in the new order.
            new_registrations.extend(added);
            let new_public: Vec<String> = kept_public.into_iter().chain(public_added).collect();
            if let Some(edited) = book.edit(&guard, changes) {
                let full = built(&new_registrations, &new_public);
                prop_assert_eq!(edited.guard.listing(), full.listing());
                let beyond: Vec<String> = edited.beyond.listing().into_keys().collect();
                let before = guard.listing();
                for item in &beyond {
                    prop_assert!(!before.contains_key(item), "{item} was looked for already");
                }
                let mut book = book;
                book.record(edited);
                let again = Book::new(new_registrations, new_public.iter().map(String::as_str));
                prop_assert_eq!(book.secret.get("aaaaaaaa"), again.secret.get("aaaaaaaa"));
                prop_assert_eq!(&book.whole, &again.whole);
            }
        }
    }
}
