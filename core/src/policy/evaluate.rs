//! Running the rules of a plan's environment type over its objects as they are rendered.

use std::collections::BTreeMap;

use serde_json::Value;

use super::rules::{self, Finding};
use super::{LOCKED_BASELINE, Violation};
use crate::baseline;
use crate::platform::{Context, Platform};
use crate::resolve::WorkloadInput;
use crate::spec::platform::{PolicyRule, Severity};

/// The annotation goldpath puts on the objects of a workload.
const WORKLOAD_ANNOTATION: &str = "goldpath.dev/workload";

/// Collects the violations of one plan: feed it every object with [`Evaluator::object`], then
/// [`Evaluator::finish`].
pub struct Evaluator<'a> {
    rules: Vec<(&'a str, &'a PolicyRule)>,
    workloads: BTreeMap<&'a str, &'a WorkloadInput>,
    violations: Vec<Violation>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of the policies attached to the context's environment type; the locks
    /// of that type that refuse an override of `workloads` are reported at once.
    #[must_use]
    pub fn new(platform: &'a Platform, context: &Context, workloads: &'a [WorkloadInput]) -> Self {
        let rules = platform
            .policies()
            .iter()
            .filter(|(_, p)| p.env_types.contains(&context.env_type))
            .flat_map(|(name, p)| p.rules.iter().map(move |r| (name.as_str(), r)))
            .collect();
        let workloads: BTreeMap<&str, &WorkloadInput> = workloads
            .iter()
            .map(|w| (w.workload.metadata.name.as_str(), w))
            .collect();
        let mut evaluator = Self {
            rules,
            workloads,
            violations: Vec::new(),
        };
        if let Some(env_type) = platform.environment_type(&context.env_type) {
            evaluator.refusals(env_type);
        }
        evaluator
    }

    fn refusals(&mut self, env_type: &crate::spec::platform::EnvironmentTypeSpec) {
        for (name, input) in &self.workloads {
            let Ok((_, refusals)) = baseline::for_workload(env_type, &input.workload) else {
                continue;
            };
            for refusal in refusals {
                self.violations.push(Violation {
                    rule: LOCKED_BASELINE.to_owned(),
                    severity: Severity::Warning,
                    policy: None,
                    workload: Some((*name).to_owned()),
                    file: input.file.clone(),
                    path: refusal.path.to_json_pointer(),
                    message: refusal.message,
                });
            }
        }
    }

    /// Checks one object of the plan: a workload's Deployment, StatefulSet, Job or CronJob
    /// against every rule; other objects are let through.
    pub fn object(&mut self, object: &Value) {
        let kind = object["kind"].as_str();
        if !matches!(kind, Some("Deployment" | "StatefulSet" | "Job" | "CronJob")) {
            return;
        }
        let Some(workload) = object
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(WORKLOAD_ANNOTATION))
            .and_then(Value::as_str)
        else {
            return;
        };
        for (policy, rule) in self.rules.clone() {
            let findings = rules::object(rule, object);
            self.record(policy, rule, workload, findings);
        }
    }

    /// Checks the resource requests of every workload and returns every violation, in the
    /// order found: locks, then objects in plan order, then resource requests by workload.
    #[must_use]
    pub fn finish(mut self) -> Vec<Violation> {
        for (policy, rule) in self.rules.clone() {
            let PolicyRule::AllowedResources(allowed) = rule else {
                continue;
            };
            for (name, input) in self.workloads.clone() {
                let findings = rules::resources(allowed, &input.workload);
                self.record(policy, rule, name, findings);
            }
        }
        self.violations
    }

    fn record(&mut self, policy: &str, rule: &PolicyRule, workload: &str, findings: Vec<Finding>) {
        let file = self.workloads.get(workload).and_then(|w| w.file.clone());
        for finding in findings {
            self.violations.push(Violation {
                rule: rule.id().to_owned(),
                severity: rule.severity(),
                policy: Some(policy.to_owned()),
                workload: Some(workload.to_owned()),
                file: file.clone(),
                path: finding.path.to_json_pointer(),
                message: finding.message,
            });
        }
    }
}
