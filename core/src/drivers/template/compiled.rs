//! Every template source seen so far, compiled once: the minijinja template and, when its
//! structure does not depend on the data, its [`Skeleton`]. Compiling takes a write lock;
//! rendering holds no lock (each compiled source is shared through an `Arc`), so resources
//! render on several threads at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde_json::Value;

use super::rendered::Which;
use super::skeleton::{FAST, Skeleton};
use crate::hash::sampled_hash;

/// The compiled templates, by source text.
pub(super) struct Cache {
    fuel: u64,
    /// Whether sources get a skeleton (off only to compare both paths in tests).
    fast: bool,
    /// By [`sampled_hash`] of the source: hashing each whole source on every render cost more
    /// than comparing it with the one or two sources that share its sampled hash.
    entries: RwLock<HashMap<u64, Vec<Arc<Compiled>>>>,
}

/// After this many fills that fell back to the full render, a skeleton that falls back four
/// times as often as it fills is no longer tried (the data of its definition does not suit
/// it, and trying costs a second render).
pub(super) const GIVE_UP_AFTER: u32 = 64;

/// One compiled source, in an environment of its own.
pub(super) struct Compiled {
    source: String,
    environment: Environment<'static>,
    name: String,
    skeleton: Option<Skeleton>,
    pub(super) filled: AtomicU32,
    pub(super) fell_back: AtomicU32,
}

impl Cache {
    /// An empty cache whose renders each get `fuel`.
    pub(super) fn new(fuel: u64, fast: bool) -> Self {
        Self {
            fuel,
            fast,
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// `source` compiled, on first use only: a definition's templates are parsed once however
    /// many resources it provisions. A source that does not compile is not kept.
    pub(super) fn get(
        &self,
        which: Which,
        source: &str,
    ) -> std::result::Result<Arc<Compiled>, minijinja::Error> {
        let hash = sampled_hash(source);
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(compiled) = find(&entries, hash, source) {
            return Ok(compiled);
        }
        drop(entries);
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(compiled) = find(&entries, hash, source) {
            return Ok(compiled);
        }
        let count: usize = entries.values().map(Vec::len).sum();
        let name = format!("{}#{count}", which.name());
        let mut environment = environment(self.fuel);
        environment.add_template_owned(name.clone(), source.to_owned())?;
        let skeleton = Skeleton::compile(source)
            .filter(|_| self.fast)
            .filter(|skeleton| {
                environment
                    .add_template_owned(FAST, skeleton.fast_source.clone())
                    .is_ok()
            });
        let compiled = Arc::new(Compiled {
            source: source.to_owned(),
            environment,
            name,
            skeleton,
            filled: AtomicU32::new(0),
            fell_back: AtomicU32::new(0),
        });
        entries.entry(hash).or_default().push(Arc::clone(&compiled));
        Ok(compiled)
    }
}

/// The compiled `source` among `entries`, if it is there.
fn find(
    entries: &HashMap<u64, Vec<Arc<Compiled>>>,
    hash: u64,
    source: &str,
) -> Option<Arc<Compiled>> {
    let bucket = entries.get(&hash)?;
    bucket
        .iter()
        .find(|compiled| compiled.source == source)
        .map(Arc::clone)
}

impl Compiled {
    /// The template rendered to text.
    pub(super) fn render(
        &self,
        vars: &minijinja::Value,
    ) -> std::result::Result<String, minijinja::Error> {
        self.environment
            .get_template(&self.name)?
            .render(vars.clone())
    }

    /// The template rendered and parsed through its skeleton; `None` when it has none, on
    /// any error or doubt, or when its fills mostly fall back.
    pub(super) fn fill(&self, vars: &minijinja::Value) -> Option<Value> {
        let skeleton = self.skeleton.as_ref()?;
        let fell_back = self.fell_back.load(Ordering::Relaxed);
        if fell_back >= GIVE_UP_AFTER && fell_back / 4 > self.filled.load(Ordering::Relaxed) {
            return None;
        }
        let fast = self.environment.get_template(FAST).ok()?;
        let value = skeleton.fill(&fast, vars);
        let counter = if value.is_some() {
            &self.filled
        } else {
            &self.fell_back
        };
        counter.fetch_add(1, Ordering::Relaxed);
        value
    }

    /// How many slots its skeleton's fast template renders (none without a skeleton).
    #[cfg(test)]
    pub(super) fn slots(&self) -> usize {
        self.skeleton.as_ref().map_or(0, Skeleton::slots)
    }

    /// Whether the source has a skeleton.
    #[cfg(test)]
    pub(super) fn has_skeleton(&self) -> bool {
        self.skeleton.is_some()
    }
}

/// An environment with the driver's settings: undefined values are errors, blocks trim their
/// newline and leading spaces, nothing is escaped, renders have `fuel`.
fn environment(fuel: u64) -> Environment<'static> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.set_fuel(Some(fuel));
    // Debug mode would copy the variables (secrets included) into every error.
    environment.set_debug(false);
    environment.set_auto_escape_callback(|_| AutoEscape::None);
    let mut syntax = SyntaxConfig::builder();
    syntax.trim_blocks(true).lstrip_blocks(true);
    environment.set_syntax(syntax.build().unwrap_or_default());
    environment
}
