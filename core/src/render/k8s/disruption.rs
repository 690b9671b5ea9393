//! The PodDisruptionBudget of a workload that runs more than one replica.

use serde_json::{Map, Value, json};

use super::meta::Meta;
use crate::render::input::Target;
use crate::spec::platform::{IntOrPercent, PodDisruptionBudget};

/// `<workload>` (policy/v1) when the environment type asks for a budget and the workload runs
/// more than one replica (with one, any budget that keeps a pod blocks node drains). `true`
/// means `maxUnavailable: 1`.
pub(super) fn disruption_budget(name: &str, meta: &Meta<'_>, target: &Target<'_>) -> Option<Value> {
    let env_type = target.env_type.filter(|t| t.replicas > 1)?;
    let mut spec = budget_bounds(&env_type.pod_disruption_budget)?;
    spec.insert("selector".into(), meta.label_selector());
    Some(json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": meta.owned_metadata(name, name),
        "spec": spec,
    }))
}

/// The bounds of a budget (`minAvailable`, `maxUnavailable`) as its PodDisruptionBudget
/// writes them; `None` when the budget is off.
pub(crate) fn budget_bounds(budget: &PodDisruptionBudget) -> Option<Map<String, Value>> {
    let mut spec = Map::new();
    match budget {
        PodDisruptionBudget::Enabled(false) => return None,
        PodDisruptionBudget::Enabled(true) => {
            spec.insert("maxUnavailable".into(), 1.into());
        }
        PodDisruptionBudget::Custom(budget) => {
            let bounds = [
                ("minAvailable", &budget.min_available),
                ("maxUnavailable", &budget.max_unavailable),
            ];
            for (field, bound) in bounds {
                match bound {
                    Some(IntOrPercent::Count(n)) => spec.insert(field.into(), (*n).into()),
                    Some(IntOrPercent::Percent(p)) => spec.insert(field.into(), p.clone().into()),
                    None => None,
                };
            }
        }
    }
    Some(spec)
}
