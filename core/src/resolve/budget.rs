//! The budgets of one plan ([`Limits`] `max_value_bytes`, `max_object_bytes`,
//! `max_plan_bytes`), counted while the plan produces values, so an input that amplifies (a
//! chain of resources that each double a string, a value referenced thousands of times) is
//! refused with a [`ErrorKind::Limit`] error as soon as it passes a budget, not after it has
//! exhausted memory.
//!
//! Where each budget is charged:
//! - one substituted string: [`crate::placeholder::substitute`] (through
//!   [`crate::placeholder::Resolver::max_value_bytes`]) and a workload's pieces, while the
//!   string grows;
//! - one driver output value and one driver manifest: when the driver returns
//!   ([`Meter::measure`], called for every driver; its outputs charged in graph order);
//! - one object and the whole plan: on the way out of the plan (the sink every object passes),
//!   plus each workload's resolved values against what is left of the plan's budget.
//!
//! A meter is shared by reference with the threads that resolve workloads in parallel
//! ([`crate::plan`]): each workload is resolved on a meter of its own and folded into the
//! plan's, in plan order, with [`Meter::absorb`].

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use serde_json::Value;

use crate::canonical_json::canonical_json_len;
use crate::drivers::Provisioned;
use crate::load::Limits;
use crate::sensitive::SecretValue;
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// What a plan has produced so far, against its limits.
/// The number of workloads `max_plan_bytes` is the budget of ([`Meter::for_workloads`]).
pub(crate) const SCALED_FROM: usize = 4096;

#[derive(Debug)]
pub(crate) struct Meter {
    limits: Limits,
    produced: AtomicUsize,
    /// The most any check asked of the plan's budget: what was produced then, plus the bytes
    /// checked.
    peak: AtomicUsize,
}

/// The `max_plan_bytes` in force for a plan of `workloads` workloads (see
/// [`Meter::for_workloads`]).
pub(crate) fn plan_budget(limits: &Limits, workloads: usize) -> usize {
    let share = limits.max_plan_bytes / SCALED_FROM;
    limits.max_plan_bytes.max(share.saturating_mul(workloads))
}

impl Meter {
    /// A meter with nothing produced yet.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            produced: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// A meter for a plan of `workloads` workloads: `max_plan_bytes` is the budget of a plan
    /// of up to [`SCALED_FROM`] workloads; a larger plan gets the same share per workload
    /// (`max_plan_bytes / SCALED_FROM` each), so the budget still bounds what one input can
    /// amplify to while an application of 100,000 workloads plans with the defaults.
    pub fn for_workloads(mut limits: Limits, workloads: usize) -> Self {
        limits.max_plan_bytes = plan_budget(&limits, workloads);
        Self::new(limits)
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The bytes charged so far.
    pub fn produced(&self) -> usize {
        self.produced.load(Relaxed)
    }

    /// The most any check has asked of the plan's budget so far (what was produced then plus
    /// the bytes checked): the plan fits its budget while this is at most `max_plan_bytes`.
    pub fn peak(&self) -> usize {
        self.peak.load(Relaxed)
    }

    /// Checks one value of `bytes` bytes (`what` names it in the error).
    pub fn value(&self, bytes: usize, what: &str) -> Result<()> {
        let max = self.limits.max_value_bytes;
        if bytes > max {
            return Err(limit(format!(
                "{what} is {bytes} bytes, more than the limit of {max} (`Limits::max_value_bytes`): a value that grows at each step (a resource whose params repeat another's output) is refused; shorten it"
            )));
        }
        Ok(())
    }

    /// Checks one object of `bytes` bytes and charges it to the plan.
    pub fn object(&self, bytes: usize, what: &str) -> Result<()> {
        let max = self.limits.max_object_bytes;
        if bytes > max {
            return Err(limit(format!(
                "{what} is {bytes} bytes as JSON, more than the limit of {max} (`Limits::max_object_bytes`; the Kubernetes API refuses requests over 3 MiB): make it smaller"
            )));
        }
        self.charge(bytes, what)
    }

    /// Charges `bytes` the plan keeps (objects, resource outputs).
    pub fn charge(&self, bytes: usize, what: &str) -> Result<()> {
        self.room_for(bytes, what)?;
        self.produced.fetch_add(bytes, Relaxed);
        Ok(())
    }

    /// Folds in what a workload resolved on a meter of its own (`task`, new, with this
    /// meter's limits, charged nothing) asked of the plan's budget, as if it had asked this
    /// meter at this point of the plan: `false`, changing nothing, when one of its asks would
    /// not have fit here (resolve the workload again on this meter, for the error the plan
    /// gives at this point).
    ///
    /// A workload's asks ([`Meter::room_for`]) grow with what it has resolved and charge
    /// nothing, so they fit here exactly when the largest of them does.
    pub fn absorb(&self, task: &Meter) -> bool {
        debug_assert_eq!(task.produced(), 0, "a workload's meter charges nothing");
        let asked = self.produced().saturating_add(task.peak());
        if asked > self.limits.max_plan_bytes {
            return false;
        }
        self.peak.fetch_max(asked, Relaxed);
        true
    }

    /// Checks that `bytes` more would still fit in the plan's budget, without charging them
    /// (a workload's values, which are charged again as the objects they become).
    pub fn room_for(&self, bytes: usize, what: &str) -> Result<()> {
        let max = self.limits.max_plan_bytes;
        let asked = self.produced().saturating_add(bytes);
        self.peak.fetch_max(asked, Relaxed);
        if asked > max {
            return Err(limit(format!(
                "the plan's output passes the limit of {max} bytes (`Limits::max_plan_bytes`) at {what}: plan fewer workloads at once, or make their values smaller"
            )));
        }
        Ok(())
    }

    /// Checks what a driver returned: each output (a string's text, another value as compact
    /// JSON) and secret value against `max_value_bytes`, each manifest against
    /// `max_object_bytes`. Gives the bytes of its outputs, which the plan charges
    /// ([`Meter::charge`]) at the resource's turn; these checks depend on the driver's result
    /// alone (any thread may make them). Errors name the output or manifest (never a value).
    pub fn measure(&self, provisioned: &Provisioned) -> Result<usize> {
        let mut outputs = 0;
        for (name, value) in &provisioned.outputs {
            let bytes = json_bytes(value);
            // What names the output is made only for an error.
            if bytes > self.limits.max_value_bytes {
                self.value(bytes, &format!("the output `{name}`"))
                    .map_err(|e| e.at_path(&DocPath::root().key("outputs").key(name.clone())))?;
            }
            outputs += bytes;
        }
        for (name, value) in &provisioned.secrets {
            let bytes = match value {
                SecretValue::Value(text) => text.expose().len(),
                SecretValue::Ref { name, key } => name.len() + key.len(),
            };
            if bytes > self.limits.max_value_bytes {
                self.value(bytes, &format!("the secret output `{name}`"))
                    .map_err(|e| e.at_path(&DocPath::root().key("secrets").key(name.clone())))?;
            }
        }
        for (i, manifest) in provisioned.manifests.iter().enumerate() {
            let max = self.limits.max_object_bytes;
            if fits_surely(manifest, max) {
                continue;
            }
            let bytes = json_bytes(manifest);
            if bytes > max {
                let message = format!(
                    "the manifest is {bytes} bytes as JSON, more than the limit of {max} (`Limits::max_object_bytes`): make it smaller"
                );
                return Err(limit(message).at_path(&DocPath::root().key("manifests").index(i)));
            }
        }
        Ok(outputs)
    }
}

/// The size of `value`: a string's text, anything else as compact JSON.
fn json_bytes(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len(),
        other => canonical_json_len(other),
    }
}

/// Whether the compact JSON of `value` surely has at most `max` bytes: a bound that counts
/// every byte of a string or key as six (the longest escape, `\u00XX`) and every number as
/// 24 characters, made without writing or scanning any text. `false` means "count it".
fn fits_surely(value: &Value, max: usize) -> bool {
    /// The most bytes a number takes (`-1.7976931348623157e308` has 23).
    const NUMBER: usize = 24;
    let mut bound = 0usize;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        bound += match value {
            Value::Null | Value::Bool(_) => 5,
            Value::Number(_) => NUMBER,
            Value::String(text) => 2 + 6 * text.len(),
            Value::Array(items) => {
                stack.extend(items);
                2 + items.len()
            }
            Value::Object(map) => {
                stack.extend(map.values());
                2 + map.keys().map(|key| 4 + 6 * key.len()).sum::<usize>()
            }
        };
        if bound > max {
            return false;
        }
    }
    true
}

fn limit(message: String) -> Error {
    Error::new(ErrorKind::Limit, Location::default(), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The bound is never below the true size: whenever it says a value fits, it does.
        #[test]
        fn a_value_that_surely_fits_fits(text in "\\PC{0,12}|[\u{0}-\u{1f}\"\\\\]{0,12}", n in proptest::num::f64::ANY, i in proptest::num::i64::ANY, max in 0usize..200) {
            let mut inner = serde_json::Map::new();
            inner.insert(text.clone(), serde_json::json!([text]));
            let value = serde_json::json!({"k\u{1}": [text, n, i, null, true, inner]});
            let bytes = canonical_json_len(&value);
            if fits_surely(&value, max) {
                proptest::prop_assert!(bytes <= max, "{} > {}", bytes, max);
            }
            proptest::prop_assert!(fits_surely(&value, bytes * 24));
        }
    }
    use serde_json::json;

    fn meter(value: usize, object: usize, plan: usize) -> Meter {
        Meter::new(Limits {
            max_value_bytes: value,
            max_object_bytes: object,
            max_plan_bytes: plan,
            ..Limits::default()
        })
    }

    #[test]
    fn the_plan_budget_grows_with_the_workloads_past_the_scaled_count() {
        let limits = Limits {
            max_plan_bytes: 4096 * 10,
            ..Limits::default()
        };
        let small = Meter::for_workloads(limits.clone(), 3);
        assert_eq!(small.limits().max_plan_bytes, 4096 * 10);
        let large = Meter::for_workloads(limits, 3 * 4096);
        assert_eq!(large.limits().max_plan_bytes, 3 * 4096 * 10);
    }

    #[test]
    fn objects_are_charged_until_the_plan_budget_is_spent() {
        let m = meter(10, 100, 250);
        m.object(100, "a").unwrap();
        m.object(100, "b").unwrap();
        m.room_for(50, "c").unwrap();
        let err = m.object(100, "the third").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit);
        assert!(err.message().contains("at the third"), "{err}");
        assert!(err.message().contains("max_plan_bytes"), "{err}");
        let err = m.object(101, "big").unwrap_err();
        assert!(err.message().contains("max_object_bytes"), "{err}");
    }

    #[test]
    fn a_workloads_meter_folds_in_as_if_it_had_asked_the_plans() {
        let plan = meter(10, 100, 250);
        plan.object(100, "a").unwrap();
        let task = meter(10, 100, 250);
        task.room_for(50, "v").unwrap();
        task.room_for(120, "v").unwrap();
        assert!(plan.absorb(&task));
        assert_eq!((plan.produced(), plan.peak()), (100, 220));
        plan.object(100, "b").unwrap();
        // 200 produced: an ask of 120 would not fit, so nothing changes.
        assert!(!plan.absorb(&task));
        assert_eq!((plan.produced(), plan.peak()), (200, 220));
        let idle = meter(10, 100, 250);
        assert!(plan.absorb(&idle));
        assert_eq!(plan.peak(), 220);
    }

    #[test]
    fn driver_results_are_checked_by_output_and_manifest() {
        let m = meter(10, 40, 1000);
        let mut provisioned = Provisioned::default();
        provisioned
            .outputs
            .insert("host".into(), json!("x".repeat(20)));
        let err = m.measure(&provisioned).unwrap_err();
        assert_eq!(err.location().path.to_string(), "outputs.host");
        assert!(!err.message().contains("xxxx"), "{err}");
        provisioned.outputs.insert("host".into(), json!("short"));
        provisioned
            .manifests
            .push(json!({"kind": "ConfigMap", "data": {"a": "y".repeat(50)}}));
        let err = m.measure(&provisioned).unwrap_err();
        assert_eq!(err.location().path.to_string(), "manifests[0]");
    }
}
