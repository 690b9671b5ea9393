//! Jobs and CronJobs: the annotations that steer them, checked, and the object around the pod
//! template.

use serde_json::{Value, json};

use super::meta::Meta;
use super::problems::Problems;
use crate::spec::platform::JobDefaults;
use crate::spec::score::Workload;
use crate::validate::names::quoted;
use crate::{DocPath, ErrorKind};

/// A CronJob's schedule: five cron fields or a macro such as `@daily`.
const SCHEDULE: &str = "goldpath.dev/schedule";
/// A CronJob's time zone (a tz database name such as `Europe/Berlin`).
const TIME_ZONE: &str = "goldpath.dev/time-zone";
/// `true` suspends a CronJob.
const SUSPEND: &str = "goldpath.dev/suspend";
/// `Never` or `OnFailure` (the default): the pod's `restartPolicy`.
const RESTART_POLICY: &str = "goldpath.dev/restart-policy";

/// The annotations only Jobs and CronJobs read; they stay off the pod template.
pub(super) const BATCH_ANNOTATIONS: [&str; 4] = [SCHEDULE, TIME_ZONE, SUSPEND, RESTART_POLICY];

/// The annotations that apply to a CronJob only.
const CRON_ONLY: [&str; 4] = [
    SCHEDULE,
    TIME_ZONE,
    SUSPEND,
    "goldpath.dev/concurrency-policy",
];

/// The annotations that apply to a Job or a CronJob only (beside [`CRON_ONLY`]).
const JOB_ONLY: [&str; 4] = [
    RESTART_POLICY,
    "goldpath.dev/backoff-limit",
    "goldpath.dev/active-deadline-seconds",
    "goldpath.dev/ttl-seconds-after-finished",
];

/// The baseline overrides that mean nothing to a Job or CronJob, which runs its pods to
/// completion without replicas.
const NOT_FOR_BATCH: [&str; 2] = [
    "goldpath.dev/replicas",
    "goldpath.dev/pod-disruption-budget",
];

/// The macros a CronJob schedule may be.
const MACROS: [&str; 7] = [
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// What the batch annotations of a workload ask for.
#[derive(Debug, Default)]
pub(super) struct Batch {
    schedule: String,
    time_zone: Option<String>,
    suspend: bool,
    restart_never: bool,
}

/// The kind of batch object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BatchKind {
    Job,
    CronJob,
}

fn path(key: &str) -> DocPath {
    DocPath::root().key("metadata").key("annotations").key(key)
}

/// Records that `value` is not a value the annotation `key` takes.
fn bad(problems: &mut Problems, key: &str, value: &str, takes: &str) {
    let message = format!(
        "{} is not a value of the annotation {}: it takes {takes}",
        quoted(value),
        quoted(key)
    );
    problems.push(ErrorKind::Invalid, path(key), message);
}

/// Reads and checks the batch annotations of `workload` for a `kind` object (`None`: a
/// Deployment or StatefulSet, which may carry none of them); problems go to `problems`.
pub(super) fn settings(
    workload: &Workload,
    kind: Option<BatchKind>,
    kind_name: &str,
    problems: &mut Problems,
) -> Batch {
    let annotations = &workload.metadata.annotations;
    let misplaced = |key: &&&str| match kind {
        None => CRON_ONLY.contains(key) || JOB_ONLY.contains(key),
        Some(BatchKind::Job) => CRON_ONLY.contains(key),
        Some(BatchKind::CronJob) => false,
    };
    for key in CRON_ONLY.iter().chain(&JOB_ONLY).filter(misplaced) {
        if annotations.contains_key(*key) {
            let needs = if CRON_ONLY.contains(key) {
                "a CronJob"
            } else {
                "a Job or a CronJob"
            };
            let message = format!(
                "the annotation {} applies to {needs}, not to a {kind_name}: remove it or set `k8s.score.dev/kind`",
                quoted(key)
            );
            problems.push(ErrorKind::Invalid, path(key), message);
        }
    }
    let mut batch = Batch::default();
    if kind.is_none() {
        return batch;
    }
    for key in NOT_FOR_BATCH
        .iter()
        .filter(|key| annotations.contains_key(**key))
    {
        let message = format!(
            "the annotation {} does not apply to a {kind_name}: it runs its pods to completion, without replicas or a PodDisruptionBudget; remove it",
            quoted(key)
        );
        problems.push(ErrorKind::Invalid, path(key), message);
    }
    if let Some(value) = annotations.get(RESTART_POLICY) {
        match value.as_str() {
            "Never" => batch.restart_never = true,
            "OnFailure" => {}
            _ => bad(problems, RESTART_POLICY, value, "`Never` or `OnFailure`"),
        }
    }
    if kind != Some(BatchKind::CronJob) {
        return batch;
    }
    match annotations.get(SCHEDULE) {
        None => {
            let message = format!(
                "a CronJob needs the annotation {}: add a cron schedule such as \"0 2 * * *\" or \"@daily\"",
                quoted(SCHEDULE)
            );
            problems.push(ErrorKind::Invalid, path(SCHEDULE), message);
        }
        Some(value) => match check_schedule(value) {
            Ok(()) => batch.schedule.clone_from(value),
            Err(why) => bad(
                problems,
                SCHEDULE,
                value,
                &format!(
                    "five cron fields (minute hour day-of-month month day-of-week, such as \"0 2 * * *\") or one of {}; {why}",
                    MACROS.join(", ")
                ),
            ),
        },
    }
    if let Some(value) = annotations.get(TIME_ZONE) {
        if is_time_zone(value) {
            batch.time_zone = Some(value.clone());
        } else {
            bad(
                problems,
                TIME_ZONE,
                value,
                "a time zone database name such as \"Europe/Berlin\" or \"UTC\"",
            );
        }
    }
    if let Some(value) = annotations.get(SUSPEND) {
        match value.as_str() {
            "true" => batch.suspend = true,
            "false" => {}
            _ => bad(problems, SUSPEND, value, "`true` or `false`"),
        }
    }
    batch
}

/// The Job or CronJob around `template` (a pod template), with `jobs` (the effective
/// defaults) on the Job spec.
pub(super) fn object(
    kind: BatchKind,
    name: &str,
    meta: &Meta<'_>,
    mut template: Value,
    jobs: &JobDefaults,
    batch: &Batch,
) -> Value {
    let restart = if batch.restart_never {
        "Never"
    } else {
        "OnFailure"
    };
    template["spec"]["restartPolicy"] = restart.into();
    let mut job = super::object([("template", template)]);
    if let Some(n) = jobs.backoff_limit {
        job["backoffLimit"] = n.into();
    }
    if let Some(n) = jobs.active_deadline_seconds {
        job["activeDeadlineSeconds"] = n.into();
    }
    if let Some(n) = jobs.ttl_seconds_after_finished {
        job["ttlSecondsAfterFinished"] = n.into();
    }
    let spec = match kind {
        BatchKind::Job => job,
        BatchKind::CronJob => {
            let job_template =
                super::object([("metadata", json!({"labels": meta.labels})), ("spec", job)]);
            let mut spec = super::object([
                ("schedule", json!(batch.schedule)),
                ("jobTemplate", job_template),
            ]);
            if let Some(zone) = &batch.time_zone {
                spec["timeZone"] = zone.as_str().into();
            }
            if let Some(policy) = jobs.concurrency_policy {
                spec["concurrencyPolicy"] = policy.as_str().into();
            }
            if batch.suspend {
                spec["suspend"] = true.into();
            }
            spec
        }
    };
    let kind = match kind {
        BatchKind::Job => "Job",
        BatchKind::CronJob => "CronJob",
    };
    super::object([
        ("apiVersion", "batch/v1".into()),
        ("kind", kind.into()),
        ("metadata", meta.owned_metadata(name, name)),
        ("spec", spec),
    ])
}

/// Checks a CronJob schedule as Kubernetes parses it (the standard five fields, names of
/// months and weekdays, `*`, `?`, ranges, lists and steps, or a macro); the reason when not.
pub(super) fn check_schedule(schedule: &str) -> Result<(), String> {
    if schedule.starts_with('@') {
        return if MACROS.contains(&schedule) {
            Ok(())
        } else {
            Err(format!("{} is not a known macro", quoted(schedule)))
        };
    }
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("it has {} fields", fields.len()));
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let specs: [(&str, u32, u32, &[&str], u32); 5] = [
        ("minute", 0, 59, &[], 0),
        ("hour", 0, 23, &[], 0),
        ("day of month", 1, 31, &[], 0),
        ("month", 1, 12, &MONTHS, 1),
        ("day of week", 0, 6, &DAYS, 0),
    ];
    for (field, (what, low, high, names, first)) in fields.iter().zip(specs) {
        let question = what.starts_with("day");
        check_field(field, low, high, names, first, question)
            .map_err(|why| format!("the {what} field {}: {why}", quoted(field)))?;
    }
    Ok(())
}

/// Checks one cron field: a comma-separated list of `*`, `N`, `N-M`, each with an optional
/// `/STEP`.
fn check_field(
    field: &str,
    low: u32,
    high: u32,
    names: &[&str],
    first: u32,
    question: bool,
) -> Result<(), String> {
    let value = |text: &str| -> Result<u32, String> {
        let named = names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(text))
            .and_then(|i| u32::try_from(i).ok())
            .map(|i| i + first);
        let n = named
            .or_else(|| {
                text.bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| text.parse().ok())
                    .flatten()
            })
            .ok_or_else(|| format!("{} is not a number", quoted(text)))?;
        if n < low || n > high {
            return Err(format!("{n} is outside {low}-{high}"));
        }
        Ok(n)
    };
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (part, None),
        };
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(n) if n > 0 && step.bytes().all(|b| b.is_ascii_digit()) => {}
                _ => {
                    return Err(format!(
                        "the step {} is not a whole number above zero",
                        quoted(step)
                    ));
                }
            }
        }
        if range == "*" || (question && range == "?") {
            continue;
        }
        match range.split_once('-') {
            Some((from, to)) => {
                if value(from)? > value(to)? {
                    return Err(format!("the range {} runs backwards", quoted(range)));
                }
            }
            None => {
                value(range)?;
            }
        }
    }
    Ok(())
}

/// Whether `zone` looks like a tz database name (`UTC`, `Europe/Berlin`, `Etc/GMT+1`):
/// letters, digits, `_`, `+`, `-` in `/`-separated parts, none empty, `.` or `..`.
fn is_time_zone(zone: &str) -> bool {
    !zone.is_empty()
        && zone.len() <= 255
        && zone.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
        })
        && zone.as_bytes()[0].is_ascii_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_kubernetes_takes_pass() {
        for ok in [
            "0 2 * * *",
            "*/15 * * * *",
            "0 0 1,15 * MON-FRI",
            "30 4 ? jan-mar sun",
            "0-59/5 0-23 1-31 1-12 0-6",
            "@daily",
            "@annually",
            "@midnight",
        ] {
            assert_eq!(check_schedule(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn bad_schedules_say_why() {
        for (bad, why) in [
            ("0 2 * *", "it has 4 fields"),
            ("60 * * * *", "60 is outside 0-59"),
            ("* 24 * * *", "24 is outside 0-23"),
            ("* * 0 * *", "0 is outside 1-31"),
            ("* * * 13 *", "13 is outside 1-12"),
            ("* * * * 7", "7 is outside 0-6"),
            ("*/0 * * * *", "not a whole number above zero"),
            ("5-1 * * * *", "runs backwards"),
            ("x * * * *", "is not a number"),
            ("? * * * *", "is not a number"),
            ("@every 5m", "not a known macro"),
            ("@sometimes", "not a known macro"),
        ] {
            let got = check_schedule(bad).unwrap_err();
            assert!(got.contains(why), "{bad}: {got}");
        }
    }

    /// One cron field within `low..=high`: `*`, a value, a range or a list, with a step.
    fn field(low: u32, high: u32) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let value = low..=high;
        let item = prop_oneof![
            Just("*".to_owned()),
            value.clone().prop_map(|n| n.to_string()),
            (value.clone(), value.clone()).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b))),
        ];
        (
            proptest::collection::vec(item, 1..4),
            proptest::option::of(1u32..60),
        )
            .prop_map(|(items, step)| {
                let list = items.join(",");
                match step {
                    Some(step) if !list.contains(',') => format!("{list}/{step}"),
                    _ => list,
                }
            })
    }

    proptest::proptest! {
        /// Every schedule made of in-range fields passes; one value out of its range fails,
        /// naming the field.
        #[test]
        fn in_range_fields_pass_and_an_out_of_range_value_fails(
            minute in field(0, 59), hour in field(0, 23), day in field(1, 31),
            month in field(1, 12), weekday in field(0, 6),
            which in 0usize..5, over in 0u32..100,
        ) {
            let mut fields = [minute, hour, day, month, weekday];
            let schedule = fields.join(" ");
            proptest::prop_assert_eq!(check_schedule(&schedule), Ok(()), "{}", schedule);
            let highs = [59, 23, 31, 12, 6];
            fields[which] = (highs[which] + 1 + over).to_string();
            let broken = fields.join(" ");
            let why = check_schedule(&broken).unwrap_err();
            proptest::prop_assert!(why.contains("is outside"), "{}: {}", broken, why);
        }
    }

    #[test]
    fn time_zones_are_tz_database_names() {
        for ok in [
            "UTC",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+1",
        ] {
            assert!(is_time_zone(ok), "{ok}");
        }
        for bad in [
            "",
            "/UTC",
            "Europe//Berlin",
            "../etc",
            "UTC ",
            "Europe/Berlin\n",
            "1UTC",
        ] {
            assert!(!is_time_zone(bad), "{bad:?}");
        }
    }
}
