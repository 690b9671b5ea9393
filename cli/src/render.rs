//! `goldpath render`: manifests to a file, standard output, or a folder for GitOps.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use goldpath::plan::Plan;
use goldpath::policy::Violation;
use serde_json::Value;

use crate::inputs::{PlanArgs, PreviewArgs, report};
use crate::output::{self, write_file};

/// Output formats of manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// YAML documents separated by `---`.
    Yaml,
    /// One JSON array.
    Json,
}

/// Arguments of `goldpath render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,
    #[command(flatten)]
    preview: PreviewArgs,
    /// The output file; `-` is standard output.
    #[arg(
        long,
        short = 'o',
        default_value = "manifests.yaml",
        value_name = "FILE",
        conflicts_with = "out_dir"
    )]
    output: PathBuf,
    /// Write one file per object and a kustomization.yaml into DIR instead.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    format: Format,
    /// Write the manifests and exit 0 even when a policy violation of severity `error` would
    /// block a deploy (the violations are still printed).
    #[arg(long)]
    allow_violations: bool,
}

/// Plans, then writes; nothing is written when planning fails.
pub fn run(args: &Args) -> ExitCode {
    let prepared = match args.plan.prepare_or_exit() {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let prepared = match args.preview.apply(prepared) {
        Ok(prepared) => prepared,
        Err(error) => {
            report(&error);
            return ExitCode::from(1);
        }
    };
    for warning in prepared.engine.warnings() {
        crate::hints::warn(&warning);
    }
    let allow = args.allow_violations;
    let written = match (&args.out_dir, args.format) {
        // YAML to one file streams: the plan's objects are never all held at once.
        (None, Format::Yaml) => stream_yaml(&prepared, &args.output, allow),
        (out_dir, format) => {
            match prepared
                .engine
                .plan(&prepared.workloads, &prepared.context, &prepared.options)
            {
                Ok(plan) if blocked(plan.violations(), allow) => Err(Written::Blocked),
                Ok(plan) => match out_dir {
                    Some(dir) => write_dir(&plan, dir, format).map_err(Written::Io),
                    None => write_file(&args.output, |out| write_plan(&plan, out, format))
                        .map_err(Written::Io),
                },
                Err(error) => Err(Written::Plan(error)),
            }
        }
    };
    // The output is written, flushed and in place (or refused): the process ends next, and
    // freeing the loaded workloads one allocation at a time would only delay that.
    std::mem::forget(prepared);
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(Written::Blocked) => {
            eprintln!(
                "error: policy violations of severity error block this plan: fix them, or pass --allow-violations to write the manifests anyway"
            );
            ExitCode::from(1)
        }
        Err(Written::Plan(error)) => {
            report(&error);
            ExitCode::from(1)
        }
        Err(Written::Io(e)) => {
            eprintln!("error: cannot write the manifests: {e}");
            ExitCode::from(1)
        }
    }
}

/// Why nothing (or only a temporary file, removed) was written.
enum Written {
    Plan(goldpath::Error),
    Io(std::io::Error),
    /// Error violations and no `--allow-violations`.
    Blocked,
}

/// Prints the violations on standard error; whether they block the output.
fn blocked(violations: &[Violation], allow: bool) -> bool {
    crate::inputs::report_violations(violations);
    !allow && violations.iter().any(Violation::is_blocking)
}

/// Streams YAML into a temporary file renamed on success, so a failed plan leaves nothing
/// (nor does a blocked one; on standard output the objects are out already).
fn stream_yaml(p: &crate::inputs::Prepared, path: &Path, allow: bool) -> Result<(), Written> {
    let mut failure = None;
    let mut block = false;
    let written = write_file(path, |out| {
        match p
            .engine
            .write_yaml(&p.workloads, &p.context, &p.options, out)
        {
            Ok(violations) if blocked(&violations, allow) => {
                block = true;
                Err(std::io::Error::other("the plan is blocked"))
            }
            Ok(_) => Ok(()),
            Err(e) => {
                failure = Some(e);
                Err(std::io::Error::other("the plan failed"))
            }
        }
    });
    match (written, failure) {
        (_, Some(error)) => Err(Written::Plan(error)),
        (_, None) if block => Err(Written::Blocked),
        (Err(e), None) => Err(Written::Io(e)),
        (Ok(()), None) => Ok(()),
    }
}

fn write_plan(plan: &Plan, out: &mut dyn Write, format: Format) -> std::io::Result<()> {
    match format {
        Format::Yaml => plan.write_yaml(&mut *out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, plan.manifests())?;
            out.write_all(b"\n")
        }
    }
}

/// One file per object, `NNN-kind-name.yaml` in apply order, and a kustomization.yaml listing
/// them in that order, so `kubectl kustomize DIR` builds the same set; the folder appears
/// complete or not at all (see [`crate::output`]).
fn write_dir(plan: &Plan, dir: &Path, format: Format) -> std::io::Result<()> {
    let extension = if format == Format::Json {
        "json"
    } else {
        "yaml"
    };
    let mut files = Vec::new();
    for (n, manifest) in plan.manifests().iter().enumerate() {
        let name = file_name(n, manifest, extension)?;
        let text = match format {
            Format::Yaml => goldpath::render::yaml::to_string(manifest),
            Format::Json => serde_json::to_string_pretty(manifest).unwrap_or_default() + "\n",
        };
        files.push((name, text.into_bytes()));
    }
    let names: Vec<Value> = files.iter().map(|(n, _)| Value::from(n.as_str())).collect();
    let kustomization = serde_json::json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": names,
    });
    let text = goldpath::render::yaml::to_string(&kustomization);
    files.push((output::KUSTOMIZATION.to_owned(), text.into_bytes()));
    output::write_dir(dir, &files)
}

/// `NNN-kind-name.EXT` from the object's kind and name, which the plan validated (a kind is
/// letters, digits and `-`; a name a DNS-1123 subdomain); anything else is refused.
fn file_name(n: usize, manifest: &Value, extension: &str) -> std::io::Result<String> {
    let part = |p: &str| {
        manifest
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let (kind, name) = (part("/kind"), part("/metadata/name"));
    let name = format!("{n:03}-{kind}-{name}.{extension}");
    if kind.is_empty() || kind.contains('.') || !output::is_plain_name(&name) {
        return Err(std::io::Error::other(format!(
            "refusing to write the object {} as a file: its kind or name is not plain",
            name.escape_default()
        )));
    }
    Ok(name)
}
