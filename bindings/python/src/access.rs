//! Access control: `goldpath.Principal`, `goldpath.Decision` and `goldpath.authorize`.

use goldpath::rbac::{self, Action, Target};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::to_python;
use crate::errors::engine_error;
use crate::platform::Platform;

/// Who acts: a user id and the user's groups, as the caller's identity provider gives them.
/// goldpath does not authenticate; it trusts the caller for these. Wherever a principal is
/// taken, a plain `str` means that user without groups.
#[pyclass(module = "goldpath", frozen)]
#[derive(Clone)]
pub struct Principal {
    inner: rbac::Principal,
}

#[pymethods]
impl Principal {
    #[new]
    #[pyo3(signature = (user, groups = Vec::new()))]
    fn new(user: String, groups: Vec<String>) -> Self {
        Self {
            inner: rbac::Principal { user, groups },
        }
    }

    /// The user's id.
    #[getter]
    fn user(&self) -> String {
        self.inner.user.clone()
    }

    /// The ids of the user's groups.
    #[getter]
    fn groups(&self) -> Vec<String> {
        self.inner.groups.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "goldpath.Principal({:?}, groups={:?})",
            self.inner.user, self.inner.groups
        )
    }
}

/// The principal argument: None, a `str` user or a `Principal`.
pub fn principal_of(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<rbac::Principal>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(user) = value.cast::<PyString>() {
        return Ok(Some(rbac::Principal::user(user.to_cow()?.into_owned())));
    }
    if let Ok(principal) = value.cast::<Principal>() {
        return Ok(Some(principal.get().inner.clone()));
    }
    Err(PyTypeError::new_err(
        "principal must be a goldpath.Principal or a str (the user id)",
    ))
}

/// What `authorize` decided: `allowed`, the `binding` that granted it (for deploy-like actions
/// the `deployer` binding), every binding the grant needed (`bindings`) and the `reason`.
/// `bool(decision)` is `allowed`.
#[pyclass(module = "goldpath", frozen)]
pub struct Decision {
    inner: rbac::Decision,
}

#[pymethods]
impl Decision {
    /// Whether the action may go ahead.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed
    }

    /// The binding that granted the action, or None when denied.
    #[getter]
    fn binding(&self) -> Option<String> {
        self.inner.binding.clone()
    }

    /// Every binding the grant needed, by name.
    #[getter]
    fn bindings(&self) -> Vec<String> {
        self.inner.bindings.clone()
    }

    /// Why: the roles that granted it, or what is missing.
    #[getter]
    fn reason(&self) -> String {
        self.inner.reason.clone()
    }

    /// The decision as a dict (what `goldpath authorize --format json` prints).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &serde_json::to_value(&self.inner).unwrap_or_default())
    }

    fn __bool__(&self) -> bool {
        self.inner.allowed
    }

    fn __repr__(&self) -> String {
        let verdict = if self.inner.allowed {
            "allowed"
        } else {
            "denied"
        };
        format!("<goldpath.Decision {verdict}: {}>", self.inner.reason)
    }
}

/// Decides whether `principal` may perform `action` (`view`, `plan`, `deploy`, `rollback`,
/// `promote`, `create-environment`, `delete-environment`, `manage-members`,
/// `manage-platform`, `read-secrets`) on the target under the platform's `RoleBinding`
/// documents. Nothing is allowed unless a binding grants it. An unknown action raises
/// `goldpath.InvalidValueError`.
#[pyfunction]
#[pyo3(signature = (platform, principal, action, *, app = None, env = None, env_type = None))]
pub fn authorize(
    py: Python<'_>,
    platform: PyRef<'_, Platform>,
    principal: &Bound<'_, PyAny>,
    action: &str,
    app: Option<String>,
    env: Option<String>,
    env_type: Option<String>,
) -> PyResult<Decision> {
    let Some(principal) = principal_of(Some(principal))? else {
        return Err(PyTypeError::new_err("authorize needs a principal"));
    };
    let action: Action = action.parse().map_err(|e| engine_error(py, &e))?;
    let target = Target { app, env, env_type };
    let engine = platform.engine();
    let inner = py.detach(|| rbac::authorize(engine.platform(), &principal, action, &target));
    Ok(Decision { inner })
}
