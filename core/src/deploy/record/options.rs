//! The plan options as records keep them: [`PlanOptions`] serializes in the record's form
//! (camelCase keys, unset fields left out). Record ids are digests of this form, so it must not
//! change: `core/tests/deploy.rs` pins an id. A field added to `PlanOptions` does not compile
//! here until it is given a recorded form (skipped when unset keeps old ids).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::plan::PlanOptions;

/// The recorded form of [`PlanOptions`] (serde's remote derive: no second options type).
#[derive(Serialize, Deserialize)]
#[serde(remote = "PlanOptions", deny_unknown_fields, rename_all = "camelCase")]
struct Recorded {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    create_namespace: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image: Option<String>,
}

impl Serialize for PlanOptions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Recorded::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for PlanOptions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Recorded::deserialize(deserializer)
    }
}
