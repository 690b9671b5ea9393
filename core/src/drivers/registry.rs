//! The drivers known by name.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::{
    Driver, ProvisionRequest, Provisioned, StaticDriver, TemplateDriver, WORKLOAD_LINK_DRIVER,
    WorkloadLinkDriver,
};
use crate::spec::platform::{STATIC_DRIVER, TEMPLATE_DRIVER};
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// The drivers a plan may use, by name: the built-ins and those of the host.
///
/// ```
/// use std::sync::Arc;
/// use goldpath::drivers::{Driver, DriverRegistry, ProvisionRequest, Provisioned};
///
/// struct Nothing;
/// impl Driver for Nothing {
///     fn provision(&self, _: &ProvisionRequest<'_>) -> goldpath::Result<Provisioned> {
///         Ok(Provisioned::default())
///     }
/// }
///
/// let mut registry = DriverRegistry::with_builtins();
/// registry.register("nothing", Arc::new(Nothing));
/// let names: Vec<&str> = registry.names().collect();
/// assert!(names.starts_with(&["cmd"]) && names.ends_with(&["nothing", "static", "template", "workload-link"]));
/// let err = registry.get("terraform").err().unwrap();
/// assert!(err.message().contains("nothing, static, template"), "{}", err.message());
/// ```
#[derive(Clone, Default)]
pub struct DriverRegistry {
    drivers: BTreeMap<String, Arc<dyn Driver>>,
    /// The names whose driver is still the built-in one.
    builtin: std::collections::BTreeSet<String>,
}

impl DriverRegistry {
    /// A registry without any driver.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A registry with the built-in drivers `template`, `static`, `workload-link`, `cmd` and
    /// (feature `http-driver`) `http`.
    #[must_use]
    pub fn with_builtins() -> Self {
        let mut registry = Self::new();
        registry.register(TEMPLATE_DRIVER, Arc::new(TemplateDriver::new()));
        registry.register(STATIC_DRIVER, Arc::new(StaticDriver));
        registry.register(WORKLOAD_LINK_DRIVER, Arc::new(WorkloadLinkDriver));
        registry.register(super::cmd::CMD_DRIVER, Arc::new(super::cmd::CmdDriver));
        #[cfg(feature = "http-driver")]
        registry.register(super::http::HTTP_DRIVER, Arc::new(super::http::HttpDriver));
        registry.builtin = registry.drivers.keys().cloned().collect();
        registry
    }

    /// Whether the driver named `name` is goldpath's built-in one (no host replaced it).
    pub(crate) fn is_builtin(&self, name: &str) -> bool {
        self.builtin.contains(name)
    }

    /// Whether the driver named `name` may be called on any thread, ahead of graph order
    /// ([`Driver::runs_anywhere`]); `false` when there is no such driver.
    pub(crate) fn runs_anywhere(&self, name: &str) -> bool {
        self.drivers
            .get(name)
            .is_some_and(|d| d.runs_anywhere() && d.world().is_none())
    }

    /// Registers `driver` under `name`, replacing any driver of that name (a host may replace
    /// a built-in).
    pub fn register(&mut self, name: impl Into<String>, driver: Arc<dyn Driver>) {
        let name = name.into();
        self.builtin.remove(&name);
        self.drivers.insert(name, driver);
    }

    /// The driver named `name`.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Driver`] error listing the registered names when there is none.
    pub fn get(&self, name: &str) -> Result<&Arc<dyn Driver>> {
        self.drivers.get(name).ok_or_else(|| {
            Error::new(
                ErrorKind::Driver,
                Location::default().with_path(DocPath::root().key("spec").key("driver")),
                format!(
                    "no driver named `{name}`; the registered drivers are: {}. Use one of them, \
                     or register `{name}` with the host before planning",
                    self.names().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    }

    /// The registered names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.drivers.keys().map(String::as_str)
    }

    /// Provisions `req` with the driver its definition names.
    ///
    /// # Errors
    ///
    /// The error of [`get`](Self::get), naming the definition, or the driver's error.
    pub fn provision(&self, req: &ProvisionRequest<'_>) -> Result<Provisioned> {
        let driver = self
            .get(&req.definition.spec.driver)
            .map_err(|e| super::substitution::in_definition(req.definition, e))?;
        driver.provision(req)
    }
}

impl fmt::Debug for DriverRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}
