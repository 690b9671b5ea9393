//! The workloads' part of a plan, on every core ([`crate::plan::parallel`]): each workload is
//! resolved, rendered and put through the checks of the output step that depend on its
//! objects alone ([`check`]) on any thread; then, on the plan's thread and in plan order (by
//! workload name), what it asked of the plan's budget is folded in and its objects go through
//! the rest of the output step ([`Output::commit`]: locks, budget, duplicates, the sink; the
//! objects' YAML documents are written ahead when the plan is written as YAML). Every
//! check, error and budget peak is what a plan on one thread gives: on a pool of one thread
//! the plan runs the same steps one workload after the other.

use serde_json::Value;

use super::ahead::written;
use super::{Checked, Origin, Output, check};
use crate::render::input::{ResolvedWorkload, Target};
use crate::render::k8s::workload_objects;
use crate::resolve::{Meter, ResolveInput, Resources, WorkloadInput, by_name_order, in_file};
use crate::secrets::SecretGuard;
use crate::spec::score::Workload;
use crate::{ResourceKey, Result};

/// What one workload puts out, checked as far as it can be on any thread, in the order the
/// output step takes it: its Secrets, then what rendering gave.
struct Prepared {
    /// The workload as resolved (its image filled in), as the origins of its objects name it.
    spec: Workload,
    secrets: Vec<Result<Checked>>,
    rendered: Result<Rendered>,
}

/// A workload's objects, its primary object patched by the definition named in `patched`.
struct Rendered {
    patched: Option<String>,
    objects: Vec<Result<Checked>>,
}

/// Each workload's Secrets and objects, by workload name, through `out`.
pub(super) fn emit_workloads(
    input: &ResolveInput<'_>,
    resources: &Resources,
    target: &Target<'_>,
    out: &mut Output<'_, '_>,
) -> Result<()> {
    let workloads = by_name_order(input.workloads);
    if !crate::plan::parallel::is_parallel() || workloads.len() < 2 {
        return workloads
            .into_iter()
            .try_for_each(|w| emit_one(input, resources, target, out, w));
    }
    let checks = (out.guard, out.namespace, out.yaml);
    crate::plan::parallel::ordered(
        &workloads,
        |w| {
            // Each workload asks the budget on a meter of its own, folded in in order.
            let meter = Meter::new(input.meter.limits().clone());
            let prepared = prepare(input, resources, target, checks, w, &meter);
            (meter, prepared)
        },
        |w, (meter, prepared)| {
            if input.meter.absorb(&meter) {
                commit(out, prepared).map_err(|e| in_file(w, e))
            } else {
                // Its values would not fit here: resolved again on the plan's meter, for the
                // error the plan gives at this point.
                emit_one(input, resources, target, out, w)
            }
        },
    )
}

/// One workload resolved on the plan's meter and put out.
fn emit_one(
    input: &ResolveInput<'_>,
    resources: &Resources,
    target: &Target<'_>,
    out: &mut Output<'_, '_>,
    w: &WorkloadInput,
) -> Result<()> {
    // On this thread, the taker writes each object's YAML itself.
    let checks = (out.guard, out.namespace, false);
    let prepared = prepare(input, resources, target, checks, w, input.meter);
    commit(out, prepared).map_err(|e| in_file(w, e))
}

/// The secret check and the namespace of the plan (what [`check`] needs), and whether each
/// object's YAML document is written ahead ([`written`]).
type Checks<'a> = (&'a SecretGuard, Option<&'a str>, bool);

/// Resolves `w` (its values asked of `meter`), renders it and checks its objects.
fn prepare(
    input: &ResolveInput<'_>,
    resources: &Resources,
    target: &Target<'_>,
    checks: Checks<'_>,
    w: &WorkloadInput,
    meter: &Meter,
) -> Result<Prepared> {
    let (guard, namespace, yaml) = checks;
    let (resolved, secrets) = crate::resolve::resolve_one(input, resources, w, meter)?;
    let origin = Origin::WorkloadSecret(&resolved.workload);
    let secrets = secrets
        .into_iter()
        .map(|secret| written(yaml, check(guard, namespace, secret, &origin)))
        .collect();
    let rendered = render(input, resources, &resolved, target, checks);
    Ok(Prepared {
        spec: resolved.workload,
        secrets,
        rendered,
    })
}

/// The objects of one workload, its primary object patched by the definition of its
/// `workload#NAME` resource ([`crate::patches`]) before they go out: a patched object passes
/// every check of the output step, and its errors name the patching definition.
fn render(
    input: &ResolveInput<'_>,
    resources: &Resources,
    workload: &ResolvedWorkload,
    target: &Target<'_>,
    (guard, namespace, yaml): Checks<'_>,
) -> Result<Rendered> {
    let mut objects = workload_objects(workload, target)?;
    let updates = |key: &ResourceKey| {
        let outputs = &resources.get(key)?.outputs;
        outputs.get(crate::patches::UPDATE_OUTPUT).cloned()
    };
    let patch = crate::patches::patch_of(input.graph, input.platform, updates, &workload.workload);
    if let Some(patch) = &patch {
        patch.apply(&workload.workload, &mut objects)?;
        // The patched object passes the renderer's object checks again (labels, annotations,
        // pod names and mounts), as a definition's rendering would.
        let origin = Origin::Patched(&workload.workload, &patch.definition);
        crate::render::k8s::check_objects(&objects[..1.min(objects.len())])
            .map_err(|e| origin.name_in(e))?;
    }
    let patched = patch.map(|p| p.definition);
    let objects = objects
        .into_iter()
        .enumerate()
        .map(|(index, object): (usize, Value)| {
            let origin = origin_of(&workload.workload, patched.as_deref(), index);
            written(yaml, check(guard, namespace, object, &origin))
        })
        .collect();
    Ok(Rendered { patched, objects })
}

/// Where the object at `index` of a workload's objects comes from.
fn origin_of<'a>(workload: &'a Workload, patched: Option<&'a str>, index: usize) -> Origin<'a> {
    match patched {
        Some(definition) if index == 0 => Origin::Patched(workload, definition),
        _ => Origin::Workload(workload),
    }
}

/// A prepared workload through the rest of the output step, in order: the first error is the
/// one a plan on one thread meets first.
fn commit(out: &mut Output<'_, '_>, prepared: Result<Prepared>) -> Result<()> {
    let prepared = prepared?;
    let origin = Origin::WorkloadSecret(&prepared.spec);
    for secret in prepared.secrets {
        out.commit(secret?, &origin)?;
    }
    let rendered = prepared.rendered?;
    for (index, object) in rendered.objects.into_iter().enumerate() {
        let origin = origin_of(&prepared.spec, rendered.patched.as_deref(), index);
        out.commit(object?, &origin)?;
    }
    Ok(())
}
