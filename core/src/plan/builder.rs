//! [`EngineBuilder`]: an [`Engine`] from its parts (platform documents as [`Source`]s or
//! typed documents, built-ins on or off, the secret seed, limits, drivers), in one call that
//! every front door (the command line, Python, Node) makes.

use std::sync::Arc;

use super::Engine;
use crate::Result;
use crate::drivers::{Driver, SecretSeed};
use crate::load::{Limits, Loader, Source};
use crate::platform::Platform;
use crate::spec::platform::PlatformDocument;

/// Builds an [`Engine`]; see [`Engine::builder`].
///
/// ```
/// use goldpath::Engine;
/// use goldpath::load::Source;
///
/// let text = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: qa}\nspec: {}\n";
/// let engine = Engine::builder()
///     .source(Source::text("platform.yaml", text))
///     .builtins(false)
///     .build()
///     .unwrap();
/// assert!(engine.platform().environment_type("qa").is_some());
/// ```
#[derive(Default)]
#[must_use]
pub struct EngineBuilder {
    sources: Vec<Source>,
    documents: Vec<PlatformDocument>,
    no_builtins: bool,
    seed: Option<Vec<u8>>,
    limits: Limits,
    drivers: Vec<(String, Arc<dyn Driver>)>,
}

impl EngineBuilder {
    /// Adds a source of platform documents (a file or folder, text, or a value); all sources
    /// load as one set when the engine is built.
    pub fn source(mut self, source: Source) -> Self {
        self.sources.push(source);
        self
    }

    /// Adds sources of platform documents.
    pub fn sources(mut self, sources: impl IntoIterator<Item = Source>) -> Self {
        self.sources.extend(sources);
        self
    }

    /// Adds platform documents already loaded (they were checked by the loader that made
    /// them); they come before the sources'.
    pub fn documents(mut self, documents: impl IntoIterator<Item = PlatformDocument>) -> Self {
        self.documents.extend(documents);
        self
    }

    /// Keeps goldpath's built-in definitions beneath the platform's (`true`, the default), or
    /// switches them off (see [`Engine::without_builtins`]).
    pub fn builtins(mut self, on: bool) -> Self {
        self.no_builtins = !on;
        self
    }

    /// The bytes generated secrets derive from (at least 32); the development seed otherwise.
    pub fn seed(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.seed = Some(bytes.into());
        self
    }

    /// The limits the sources load under and every plan is held to.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Registers a driver under `name` (replacing a built-in of that name).
    pub fn driver(mut self, name: impl Into<String>, driver: Arc<dyn Driver>) -> Self {
        self.drivers.push((name.into(), driver));
        self
    }

    /// Loads the sources and builds the engine.
    ///
    /// # Errors
    /// Every problem of the sources (a Score workload among them included), and a seed
    /// shorter than 32 bytes.
    pub fn build(self) -> Result<Engine> {
        let loader = Loader::new(self.limits.clone());
        let seed = self.seed.map(SecretSeed::new).transpose();
        let loaded = loader.platform_documents(self.sources);
        let (seed, loaded) = match (seed, loaded) {
            (Ok(seed), Ok(loaded)) => (seed, loaded),
            (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
            (Err(seed), Err(loaded)) => return Err(loaded.and(seed)),
        };
        let mut platform = Platform::from_documents(self.documents);
        // Loaded documents keep their folder: a `cmd` definition's relative program resolves
        // against it.
        platform.extend_loaded(loaded);
        let mut engine = if self.no_builtins {
            Engine::without_builtins(platform)
        } else {
            Engine::new(platform)
        }
        .with_limits(self.limits);
        if let Some(seed) = seed {
            engine = engine.with_seed(seed);
        }
        for (name, driver) in self.drivers {
            engine.register_driver(name, driver);
        }
        Ok(engine)
    }
}
