//! `goldpath render`: manifests to a file, standard output, or a folder for GitOps.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use goldpath::plan::Plan;
use serde_json::Value;

use crate::inputs::{PlanArgs, is_stdout, report};

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
}

/// Plans, then writes; nothing is written when planning fails.
pub fn run(args: &Args) -> ExitCode {
    if let Err(message) = args.plan.check_usage() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let plan = match args.plan.plan() {
        Ok(plan) => plan,
        Err(error) => {
            report(&error);
            return ExitCode::from(1);
        }
    };
    for warning in plan.warnings() {
        eprintln!("warning: {warning}");
    }
    let written = match &args.out_dir {
        Some(dir) => write_dir(&plan, dir, args.format),
        None => write_file(&plan, &args.output, args.format),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the manifests: {e}");
            ExitCode::from(1)
        }
    }
}

fn write_file(plan: &Plan, path: &Path, format: Format) -> std::io::Result<()> {
    if is_stdout(path) {
        let mut out = BufWriter::new(std::io::stdout().lock());
        write_plan(plan, &mut out, format)?;
        return out.flush();
    }
    // Write next to the target and rename, so a reader never sees half a file.
    let tmp = path.with_extension("goldpath-tmp");
    let mut out = BufWriter::new(fs::File::create(&tmp)?);
    write_plan(plan, &mut out, format)?;
    out.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    fs::rename(&tmp, path)
}

fn write_plan<W: Write>(plan: &Plan, out: &mut W, format: Format) -> std::io::Result<()> {
    match format {
        Format::Yaml => plan.write_yaml(out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, plan.manifests())?;
            out.write_all(b"\n")
        }
    }
}

/// One file per object, `NNN-kind-name.yaml` in apply order, and a kustomization.yaml listing
/// them in that order, so `kubectl kustomize DIR` builds the same set.
fn write_dir(plan: &Plan, dir: &Path, format: Format) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let extension = if format == Format::Json {
        "json"
    } else {
        "yaml"
    };
    let mut files = Vec::new();
    for (n, manifest) in plan.manifests().iter().enumerate() {
        let name = file_name(n, manifest, extension);
        let text = match format {
            Format::Yaml => goldpath::render::yaml::to_string(manifest),
            Format::Json => serde_json::to_string_pretty(manifest).unwrap_or_default() + "\n",
        };
        fs::write(dir.join(&name), text)?;
        files.push(Value::from(name));
    }
    let kustomization = serde_json::json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": files,
    });
    fs::write(
        dir.join("kustomization.yaml"),
        goldpath::render::yaml::to_string(&kustomization),
    )
}

fn file_name(n: usize, manifest: &Value, extension: &str) -> String {
    let part = |p: &str| {
        manifest
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_ascii_lowercase()
    };
    format!(
        "{n:03}-{}-{}.{extension}",
        part("/kind"),
        part("/metadata/name")
    )
}
