//! The resources' manifests, once every resource is provisioned and the plan's secret check is
//! built: each resource's manifests are decoded and put through the checks of the output step
//! that depend on them alone on any thread ([`crate::plan::parallel`]), then through the rest
//! of the output step on the plan's thread, in graph order ([`Output::commit`]); their YAML
//! documents are written ahead too when the plan is written as YAML ([`written`]). On a pool
//! of one thread, one resource after the other.

use std::sync::{Mutex, PoisonError};

use super::ahead::written;
use super::{Checked, Keys, Origin, Output, Waiting, check};
use crate::plan::ledger::Spent;
use crate::{ResourceKey, Result};

/// Puts out the manifests of `provisioned` (in graph order, held with `keys`) through `out`,
/// adding what each resource's objects cost to its entry of the ledger (`order` and `spent`,
/// one entry per resource in the same order: what its provisioning charged is there already).
/// An entry that is not the resource's is an internal error, never a ledger silently
/// misaligned.
pub(super) fn emit_resources(
    provisioned: Vec<(ResourceKey, Waiting)>,
    keys: &Keys,
    (order, spent): (&[ResourceKey], &mut [Spent]),
    out: &mut Output<'_, '_>,
) -> Result<()> {
    if order.len() != spent.len() || order.len() != provisioned.len() {
        return Err(misaligned(None));
    }
    let mut ledger = order.iter().zip(spent.iter_mut());
    let mut record = |key: &ResourceKey, part: Spent| match ledger.next() {
        Some((own, entry)) if own == key => {
            entry.rendered = part.rendered;
            entry.objects = part.objects;
            entry.charged += part.charged;
            Ok(())
        }
        _ => Err(misaligned(Some(key))),
    };
    if !crate::plan::parallel::is_parallel() {
        for (key, waiting) in provisioned {
            record(&key, out.emit_resource(&key, waiting.release(keys)?)?)?;
        }
        return Ok(());
    }
    // Each resource's JSON is let go as soon as it is decoded, as one after the other would.
    let provisioned: Vec<(ResourceKey, Mutex<Waiting>)> = provisioned
        .into_iter()
        .map(|(key, waiting)| (key, Mutex::new(waiting)))
        .collect();
    let (guard, namespace, yaml) = (out.guard, out.namespace, out.yaml);
    crate::plan::parallel::ordered(
        &provisioned,
        |(key, waiting)| -> Result<Vec<Result<Checked>>> {
            let waiting =
                std::mem::take(&mut *waiting.lock().unwrap_or_else(PoisonError::into_inner));
            let objects = waiting.release(keys)?.into_iter().enumerate();
            let checked = objects.map(|(index, object)| {
                let checked = check(guard, namespace, object, &Origin::Resource(key, index));
                written(yaml, checked)
            });
            Ok(checked.collect())
        },
        |(key, _), checked| {
            let mut part = out.spending();
            for (index, object) in checked?.into_iter().enumerate() {
                part.rendered += 1;
                out.commit(object?, &Origin::Resource(key, index))?;
            }
            record(key, out.spent(part))
        },
    )
}

/// The internal error of a ledger whose entries are not the resources', one each in order.
fn misaligned(key: Option<&ResourceKey>) -> crate::Error {
    let what = key.map_or_else(
        || "one entry per resource".to_owned(),
        |key| format!("the entry of resource `{key}` in its place"),
    );
    crate::Error::new(
        crate::ErrorKind::Invalid,
        crate::Location::default(),
        format!("internal error: the ledger of the plan does not have {what}"),
    )
}
