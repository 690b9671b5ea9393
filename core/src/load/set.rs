//! One loader call for a list of [`Source`]s: each is read alone, the rules across documents
//! run once over the whole set, and every problem of every source is reported.

use rayon::iter::{IntoParallelIterator, ParallelIterator};

use super::budget;
use super::document::{self, Documents, Origin};
use super::{Loader, Source, WorkloadInput, yaml};
use crate::spec::platform::PlatformDocument;
use crate::{Error, ErrorKind, Location, Result};

impl Loader {
    /// Loads `sources` as one set: paths (files and folders), texts and values, in order.
    /// Each source is read and checked alone; the rules across documents (unique names,
    /// identical criteria, environment types named by criteria, one workload per name) run
    /// once at the end over all of them. Every problem is reported, each naming its source.
    /// Sources are read on rayon's threads (the pool the call runs in, else the global one)
    /// and joined in their order, so the result does not depend on scheduling.
    ///
    /// # Errors
    /// Every problem of every source, and of the set.
    pub fn load(&self, sources: Vec<Source>) -> Result<Documents> {
        let mut all = Documents::default();
        let mut errors = Vec::new();
        for loaded in self.load_each(sources) {
            match loaded {
                Ok(docs) => all.extend(docs),
                Err(e) => errors.push(e),
            }
        }
        errors.extend(all.check_set().err());
        Error::join(errors).map_or(Ok(all), Err)
    }

    /// Loads `sources` as the Score workloads of one application: at least one, no platform
    /// documents among them, names unique.
    ///
    /// # Errors
    /// As [`Loader::load`] and [`Documents::into_workloads`].
    pub fn workloads(&self, sources: Vec<Source>) -> Result<Vec<WorkloadInput>> {
        self.load(sources)?.into_workloads()
    }

    /// Loads `sources` as the documents of a platform: no Score workloads among them.
    ///
    /// # Errors
    /// As [`Loader::load`] and [`Documents::into_platform`].
    pub fn platform_documents(
        &self,
        sources: Vec<Source>,
    ) -> Result<Vec<super::Loaded<PlatformDocument>>> {
        self.load(sources)?.into_platform()
    }

    /// Each source loaded alone, in order: on rayon's threads when there are enough of them
    /// to be worth it (a list of Score files from a binding, for instance).
    fn load_each(&self, sources: Vec<Source>) -> Vec<Result<Documents>> {
        const PARALLEL_FROM: usize = 16;
        if sources.len() < PARALLEL_FROM || rayon::current_num_threads() < 2 {
            return sources.into_iter().map(|s| self.load_one(s)).collect();
        }
        sources
            .into_par_iter()
            .map(|source| self.load_one(source))
            .collect()
    }

    /// One source, without the rules across documents.
    fn load_one(&self, source: Source) -> Result<Documents> {
        match source {
            Source::Path(path) => self.paths_unchecked(std::slice::from_ref(&path)),
            Source::Text { name, text } => {
                self.documents_from_text(&text, &Origin::new(Some(name), None))
            }
            Source::Value { name, value } => self.value_unchecked(value, Some(&name)),
        }
    }

    /// One document given as a value, without the rules across documents.
    pub(super) fn value_unchecked(
        &self,
        value: serde_json::Value,
        name: Option<&str>,
    ) -> Result<Documents> {
        let origin = Origin::new(name.map(str::to_owned), None);
        budget::check_value(&value, self.limits()).map_err(|e| origin.locate(e))?;
        let docs = document::build("", vec![yaml::ParsedDocument::from_value(value)], &origin)?;
        budget::check_workloads(&docs, self.limits())?;
        Ok(docs)
    }
}

impl Documents {
    /// The workloads of one application: at least one, and no platform documents.
    ///
    /// # Errors
    /// An [`ErrorKind::Invalid`] error for a platform document among them or for no workload.
    pub fn into_workloads(self) -> Result<Vec<WorkloadInput>> {
        if let Some(doc) = self.platform.first() {
            return Err(misplaced(
                &format!("the platform document `{}`", doc.document.name()),
                doc.origin.file.as_deref(),
                "workloads are Score documents (`apiVersion: score.dev/v1b1`); give platform documents to the platform",
            ));
        }
        if self.workloads.is_empty() {
            return Err(Error::new(
                ErrorKind::Invalid,
                Location::default(),
                "no Score workload given: an application needs at least one",
            ));
        }
        Ok(self
            .workloads
            .into_iter()
            .map(WorkloadInput::from_loaded)
            .collect())
    }

    /// The documents of a platform: no Score workloads among them.
    ///
    /// # Errors
    /// An [`ErrorKind::Invalid`] error for a Score workload among them.
    pub fn into_platform(self) -> Result<Vec<super::Loaded<PlatformDocument>>> {
        if let Some(workload) = self.workloads.first() {
            return Err(misplaced(
                &format!("the Score workload `{}`", workload.document.metadata.name),
                workload.origin.file.as_deref(),
                "a platform holds platform documents (`apiVersion: goldpath.dev/v1alpha1`); plan workloads with the engine",
            ));
        }
        Ok(self.platform)
    }
}

/// A document of the wrong family where the caller expected the other.
fn misplaced(what: &str, file: Option<&str>, instead: &str) -> Error {
    let location = Location {
        file: file.map(str::to_owned),
        ..Location::default()
    };
    Error::new(
        ErrorKind::Invalid,
        location,
        format!("{what} is not accepted here: {instead}"),
    )
}
