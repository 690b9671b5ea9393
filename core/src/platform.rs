//! The platform as a whole, and the context a plan is made in.
//!
//! A [`Platform`] holds the documents of a platform folder, grouped by kind, with the resource
//! definitions in one list that matching ranks. Definitions flagged [`Definition::builtin`]
//! come from goldpath's default platform and rank below every definition of the platform's own.
//!
//! ```
//! use goldpath::load::Loader;
//! use goldpath::platform::Platform;
//!
//! let docs = Loader::default().str(
//!     "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: development}\nspec: {}\n",
//!     None,
//! ).unwrap();
//! let platform = Platform::from_documents(docs.platform.into_iter().map(|l| l.document));
//! assert!(platform.environment_type("development").is_some());
//! ```

use std::collections::BTreeMap;

use crate::spec::platform::{
    EnvironmentSpec, EnvironmentTypeSpec, PlatformDocument, PolicySpec, ResourceDefinitionSpec,
    RoleBindingSpec,
};

/// The context of a plan: which application, which environment, which environment type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Context {
    /// The application id.
    pub app: String,
    /// The environment id (`qa-42`).
    pub env: String,
    /// The environment type (`qa-light`).
    pub env_type: String,
}

impl Context {
    /// A context from its three parts.
    #[must_use]
    pub fn new(
        app: impl Into<String>,
        env: impl Into<String>,
        env_type: impl Into<String>,
    ) -> Self {
        Self {
            app: app.into(),
            env: env.into(),
            env_type: env_type.into(),
        }
    }
}

/// A resource definition with its name and whether it is one of goldpath's built-ins.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// The definition's `metadata.name`.
    pub name: String,
    /// Its spec.
    pub spec: ResourceDefinitionSpec,
    /// Whether it comes from goldpath's default platform (ranks below user definitions).
    pub builtin: bool,
}

/// The documents of a platform, by kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Platform {
    definitions: Vec<Definition>,
    environment_types: BTreeMap<String, EnvironmentTypeSpec>,
    policies: BTreeMap<String, PolicySpec>,
    role_bindings: BTreeMap<String, RoleBindingSpec>,
    environments: Vec<(String, EnvironmentSpec)>,
    /// The folder of the document that defines each definition read from a file.
    folders: BTreeMap<String, std::path::PathBuf>,
}

impl Platform {
    /// A platform of the given documents (already validated by the loader).
    pub fn from_documents(documents: impl IntoIterator<Item = PlatformDocument>) -> Self {
        let mut platform = Self::default();
        for document in documents {
            platform.add(document);
        }
        platform
    }

    /// A platform of documents as the loader read them: each definition remembers the folder
    /// of its file ([`Platform::definition_folder`]).
    pub fn from_loaded(
        documents: impl IntoIterator<Item = crate::load::Loaded<PlatformDocument>>,
    ) -> Self {
        let mut platform = Self::default();
        platform.extend_loaded(documents);
        platform
    }

    /// Adds loaded documents, keeping the folder each definition was loaded from (see
    /// [`Platform::definition_folder`]).
    pub fn extend_loaded(
        &mut self,
        documents: impl IntoIterator<Item = crate::load::Loaded<PlatformDocument>>,
    ) {
        for loaded in documents {
            if let (PlatformDocument::ResourceDefinition(d), Some(folder)) =
                (&loaded.document, &loaded.origin.folder)
            {
                self.folders.insert(d.metadata.name.clone(), folder.clone());
            }
            self.add(loaded.document);
        }
    }

    /// The folder of the platform document that defines the definition `name`, when it was
    /// read from a file: the `cmd` driver resolves relative programs against it.
    #[must_use]
    pub fn definition_folder(&self, name: &str) -> Option<&std::path::Path> {
        self.folders.get(name).map(std::path::PathBuf::as_path)
    }

    /// Adds one document.
    pub fn add(&mut self, document: PlatformDocument) {
        match document {
            PlatformDocument::EnvironmentType(d) => {
                self.environment_types.insert(d.metadata.name, d.spec);
            }
            PlatformDocument::ResourceDefinition(d) => {
                self.definitions.push(Definition {
                    name: d.metadata.name,
                    spec: d.spec,
                    builtin: false,
                });
            }
            PlatformDocument::Policy(d) => {
                self.policies.insert(d.metadata.name, d.spec);
            }
            PlatformDocument::RoleBinding(d) => {
                self.role_bindings.insert(d.metadata.name, d.spec);
            }
            PlatformDocument::Environment(d) => self.environments.push((d.metadata.name, d.spec)),
        }
    }

    /// Adds a definition of goldpath's default platform.
    pub fn add_builtin(&mut self, name: impl Into<String>, spec: ResourceDefinitionSpec) {
        self.definitions.push(Definition {
            name: name.into(),
            spec,
            builtin: true,
        });
    }

    /// Every resource definition, in the order added.
    #[must_use]
    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    /// The environment type of that name.
    #[must_use]
    pub fn environment_type(&self, name: &str) -> Option<&EnvironmentTypeSpec> {
        self.environment_types.get(name)
    }

    /// The environment types by name.
    #[must_use]
    pub fn environment_types(&self) -> &BTreeMap<String, EnvironmentTypeSpec> {
        &self.environment_types
    }

    /// The names of the environment types, sorted (what the bindings list).
    #[must_use]
    pub fn environment_type_names(&self) -> Vec<String> {
        self.environment_types.keys().cloned().collect()
    }

    /// The names of the definitions in ranking order, the built-ins last.
    #[must_use]
    pub fn definition_names(&self) -> Vec<String> {
        self.definitions.iter().map(|d| d.name.clone()).collect()
    }

    /// The policies by name.
    #[must_use]
    pub fn policies(&self) -> &BTreeMap<String, PolicySpec> {
        &self.policies
    }

    /// The role bindings by name.
    #[must_use]
    pub fn role_bindings(&self) -> &BTreeMap<String, RoleBindingSpec> {
        &self.role_bindings
    }

    /// The environments, as `(name, spec)` in the order added.
    #[must_use]
    pub fn environments(&self) -> &[(String, EnvironmentSpec)] {
        &self.environments
    }
}
