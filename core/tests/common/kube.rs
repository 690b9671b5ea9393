//! Reading rendered objects into the `k8s_openapi` types, shared by the rendering tests.

use k8s_openapi::api::{apps, batch, core, networking, policy};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The object as `k8s_openapi` writes it back: claim templates always carry their
/// `apiVersion` and `kind` there, which manifests may omit.
fn normalized(object: &Value) -> Value {
    let mut object = object.clone();
    if let Some(Value::Array(claims)) = object.pointer_mut("/spec/volumeClaimTemplates") {
        for claim in claims.iter_mut().filter_map(Value::as_object_mut) {
            claim.entry("apiVersion").or_insert_with(|| "v1".into());
            claim
                .entry("kind")
                .or_insert_with(|| "PersistentVolumeClaim".into());
        }
    }
    object
}

/// Reads `object` into the `k8s_openapi` type of its kind and checks that writing it back
/// gives the same value, so no field is unknown to Kubernetes and none has the wrong type.
pub fn kube_check(object: &Value) {
    fn round_trip<T: DeserializeOwned + Serialize>(object: &Value) {
        let typed: T =
            serde_json::from_value(object.clone()).unwrap_or_else(|e| panic!("{e}: {object:#}"));
        assert_eq!(serde_json::to_value(typed).unwrap(), normalized(object));
    }
    match object["kind"].as_str() {
        Some("Deployment") => round_trip::<apps::v1::Deployment>(object),
        Some("StatefulSet") => round_trip::<apps::v1::StatefulSet>(object),
        Some("Service") => round_trip::<core::v1::Service>(object),
        Some("ConfigMap") => round_trip::<core::v1::ConfigMap>(object),
        Some("Secret") => round_trip::<core::v1::Secret>(object),
        Some("ServiceAccount") => round_trip::<core::v1::ServiceAccount>(object),
        Some("Namespace") => round_trip::<core::v1::Namespace>(object),
        Some("NetworkPolicy") => round_trip::<networking::v1::NetworkPolicy>(object),
        Some("Ingress") => round_trip::<networking::v1::Ingress>(object),
        Some("Job") => round_trip::<batch::v1::Job>(object),
        Some("CronJob") => round_trip::<batch::v1::CronJob>(object),
        Some("PodDisruptionBudget") => round_trip::<policy::v1::PodDisruptionBudget>(object),
        other => panic!("unexpected kind {other:?}"),
    }
}
