//! The PodDisruptionBudget of a workload that runs more than one replica.

use serde_json::{Value, json};

use super::meta::Meta;
use crate::render::input::Target;
use crate::spec::platform::{IntOrPercent, PodDisruptionBudget};

/// `<workload>` (policy/v1) when the environment type asks for a budget and the workload runs
/// more than one replica (with one, any budget that keeps a pod blocks node drains). `true`
/// means `maxUnavailable: 1`.
pub(super) fn disruption_budget(name: &str, meta: &Meta<'_>, target: &Target<'_>) -> Option<Value> {
    let env_type = target.env_type.filter(|t| t.replicas > 1)?;
    let mut spec = json!({"selector": meta.label_selector()});
    match &env_type.pod_disruption_budget {
        PodDisruptionBudget::Enabled(false) => return None,
        PodDisruptionBudget::Enabled(true) => spec["maxUnavailable"] = 1.into(),
        PodDisruptionBudget::Custom(budget) => {
            let bounds = [
                ("minAvailable", &budget.min_available),
                ("maxUnavailable", &budget.max_unavailable),
            ];
            for (field, bound) in bounds {
                match bound {
                    Some(IntOrPercent::Count(n)) => spec[field] = (*n).into(),
                    Some(IntOrPercent::Percent(p)) => spec[field] = p.clone().into(),
                    None => {}
                }
            }
        }
    }
    Some(json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": meta.owned_metadata(name, name),
        "spec": spec,
    }))
}
