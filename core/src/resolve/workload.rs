//! A Score workload with its placeholders resolved, ready to render.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};

use super::scope::WorkloadScope;
use super::state::base64;
use crate::render::input::{
    FileContent, Piece, Resolved, ResolvedContainer, ResolvedFile, ResolvedVolume,
    ResolvedWorkload, SecretRef, VolumeSource,
};
use crate::spec::score::{Container, File, Workload};
use crate::validate::names::{fnv1a64, shorten_name};
use crate::{DocPath, Error, ErrorKind, Location, Result};

/// The workload resolved, and the Secrets goldpath renders for its files that mix text and
/// secrets.
pub(crate) struct WorkloadResolution {
    pub resolved: ResolvedWorkload,
    pub secrets: Vec<Value>,
}

/// Resolves every container of `scope.workload`.
pub(crate) fn resolve_workload(
    scope: &WorkloadScope<'_>,
    folder: Option<&Path>,
    image: Option<&str>,
    linked_from: BTreeSet<String>,
) -> Result<WorkloadResolution> {
    let workload = scope.workload;
    crate::load::check_containers(workload, scope.meter.limits())?;
    let mut spec = workload.clone();
    let mut containers = BTreeMap::new();
    let mut secrets = Vec::new();
    let mut used = Used(0);
    for (name, container) in &workload.containers {
        let path = DocPath::root().key("containers").key(name.clone());
        if container.image == "." {
            let Some(image) = image else {
                let message =
                    "`image: .` needs an image at render time: give the plan's `image` option";
                return Err(error(
                    workload,
                    path.key("image"),
                    ErrorKind::Invalid,
                    message.to_owned(),
                ));
            };
            let checked = match image {
                "." => Err("`.` stands for this image itself: give an image reference".to_owned()),
                _ => crate::validate::image::image_reference(image),
            };
            if let Err(reason) = checked {
                let message = format!("the image given for `image: .`: {reason}");
                return Err(error(
                    workload,
                    path.key("image"),
                    ErrorKind::Invalid,
                    message,
                ));
            }
            if let Some(c) = spec.containers.get_mut(name) {
                c.image = image.to_owned();
            }
        }
        let resolved = resolve_container(
            scope,
            name,
            container,
            folder,
            &path,
            &mut used,
            &mut secrets,
        )?;
        containers.insert(name.clone(), resolved);
    }
    let routed = workload
        .resources
        .values()
        .any(|r| r.resource_type == "route");
    let resolved = ResolvedWorkload {
        workload: spec,
        containers,
        linked_from,
        routed,
    };
    Ok(WorkloadResolution { resolved, secrets })
}

/// The bytes of the values a workload has resolved so far: they must fit in what is left of
/// the plan's budget (they are charged again as the objects they become).
struct Used(usize);

impl Used {
    fn add(&mut self, scope: &WorkloadScope<'_>, bytes: usize, at: &DocPath) -> Result<()> {
        self.0 = self.0.saturating_add(bytes);
        let what = format!("the values of workload `{}`", scope.workload.metadata.name);
        scope.meter.room_for(self.0, &what).map_err(|e| {
            error(
                scope.workload,
                at.clone(),
                ErrorKind::Limit,
                e.message().to_owned(),
            )
        })
    }
}

fn pieces_bytes(pieces: &Resolved) -> usize {
    pieces
        .0
        .iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Output(t) => t.len(),
            Piece::Secret(r) => r.name.len() + r.key.len(),
        })
        .sum()
}

fn resolve_container(
    scope: &WorkloadScope<'_>,
    name: &str,
    container: &Container,
    folder: Option<&Path>,
    path: &DocPath,
    used: &mut Used,
    secrets: &mut Vec<Value>,
) -> Result<ResolvedContainer> {
    let workload = scope.workload;
    let mut resolved = ResolvedContainer::default();
    for (var, text) in &container.variables {
        let at = path.clone().key("variables").key(var.clone());
        let pieces = scope
            .pieces(text)
            .map_err(|(kind, m)| error(workload, at.clone(), kind, m))?;
        used.add(scope, pieces_bytes(&pieces), &at)?;
        resolved.variables.insert(var.clone(), pieces);
    }
    for (target, file) in &container.files {
        let at = path.clone().key("files").key(target.clone());
        let content = file_content(scope, file, folder, &at)?;
        let bytes = match &content {
            RawContent::Base64(b) => b.len(),
            RawContent::Pieces(p) => pieces_bytes(p),
        };
        used.add(scope, bytes, &at)?;
        let content = compose_file(scope, name, target, content, &at, secrets)?;
        let mode = file
            .mode
            .as_deref()
            .and_then(|m| u32::from_str_radix(m, 8).ok());
        resolved
            .files
            .insert(target.clone(), ResolvedFile { content, mode });
    }
    for (target, volume) in &container.volumes {
        let at = path
            .clone()
            .key("volumes")
            .key(target.clone())
            .key("source");
        let source = volume_source(scope, &volume.source)
            .map_err(|m| error(workload, at, ErrorKind::Invalid, m))?;
        let mount = ResolvedVolume {
            source,
            sub_path: volume.path.clone(),
            read_only: volume.read_only.unwrap_or(false),
        };
        resolved.volumes.insert(target.clone(), mount);
    }
    Ok(resolved)
}

/// The file's content before secret composition: base64 bytes, or pieces of text.
enum RawContent {
    Base64(String),
    Pieces(Resolved),
}

fn file_content(
    scope: &WorkloadScope<'_>,
    file: &File,
    folder: Option<&Path>,
    at: &DocPath,
) -> Result<RawContent> {
    let workload = scope.workload;
    if let Some(binary) = &file.binary_content {
        return Ok(RawContent::Base64(binary.clone()));
    }
    let max_bytes = scope.meter.limits().max_value_bytes;
    let text = match (&file.content, &file.source) {
        (Some(content), _) => content.clone(),
        (None, Some(source)) => read_source(folder, source, max_bytes)
            .map_err(|(kind, m)| error(workload, at.clone().key("source"), kind, m))?,
        (None, None) => String::new(),
    };
    if file.no_expand.unwrap_or(false) {
        return Ok(RawContent::Pieces(Resolved(vec![Piece::Text(text)])));
    }
    let field = if file.content.is_some() {
        "content"
    } else {
        "source"
    };
    scope
        .pieces(&text)
        .map(RawContent::Pieces)
        .map_err(|(kind, m)| error(workload, at.clone().key(field), kind, m))
}

/// Reads a file `source` of a workload from its folder, through [`read_bounded`]. The error
/// says what is wrong and its kind ([`ErrorKind::Io`], or [`ErrorKind::Limit`] for size).
pub(crate) fn read_source(
    folder: Option<&Path>,
    source: &str,
    max_bytes: usize,
) -> Result<String, (ErrorKind, String)> {
    let Some(folder) = folder else {
        return Err((
            ErrorKind::Io,
            format!(
                "file source `{source}` cannot be read: the workload was not loaded from a file; use `content`"
            ),
        ));
    };
    let path = folder.join(source);
    let bytes = read_bounded(&path, source, max_bytes)?;
    String::from_utf8(bytes).map_err(|_| {
        (ErrorKind::Io, format!("file source `{source}` is not UTF-8 text: use `binaryContent`, or `noExpand: true` for text in another encoding"))
    })
}

/// The bytes of `path` (named `source` in messages): only a regular file of at most
/// `max_bytes` bytes, checked on the path before it is opened (opening a FIFO blocks) and on
/// the open file, before anything is read; reading stops past `max_bytes` should it grow.
fn read_bounded(
    path: &Path,
    source: &str,
    max_bytes: usize,
) -> Result<Vec<u8>, (ErrorKind, String)> {
    use std::io::Read;
    let io = |e: std::io::Error| {
        (
            ErrorKind::Io,
            format!("cannot read file source `{source}`: {e}"),
        )
    };
    let too_large = |bytes: u64| {
        (
            ErrorKind::Limit,
            format!(
                "file source `{source}` is {bytes} bytes, more than the limit of {max_bytes} (`Limits::max_value_bytes`): mount a volume for large files"
            ),
        )
    };
    let regular = |meta: &std::fs::Metadata| {
        if !meta.is_file() {
            return Err((
                ErrorKind::Io,
                format!(
                    "file source `{source}` is not a regular file (a folder, a FIFO, a socket or a device): give the path of a file"
                ),
            ));
        }
        if meta.len() > max_bytes as u64 {
            return Err(too_large(meta.len()));
        }
        Ok(())
    };
    regular(&std::fs::metadata(path).map_err(io)?)?;
    let file = std::fs::File::open(path).map_err(io)?;
    regular(&file.metadata().map_err(io)?)?;
    let mut bytes = Vec::new();
    file.take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Text goes to a ConfigMap; one whole secret is mounted from its Secret; text mixed with
/// secrets whose values goldpath knows becomes a Secret of its own.
fn compose_file(
    scope: &WorkloadScope<'_>,
    container: &str,
    target: &str,
    content: RawContent,
    at: &DocPath,
    secrets: &mut Vec<Value>,
) -> Result<FileContent> {
    let pieces = match content {
        RawContent::Base64(b) => return Ok(FileContent::Base64(b)),
        RawContent::Pieces(Resolved(pieces)) => pieces,
    };
    if let [Piece::Secret(reference)] = pieces.as_slice() {
        return Ok(FileContent::Secret(reference.clone()));
    }
    if !pieces.iter().any(|p| matches!(p, Piece::Secret(_))) {
        return Ok(FileContent::Text(pieces.iter().map(piece_text).collect()));
    }
    let workload = scope.workload;
    let mut text = String::new();
    for piece in &pieces {
        match piece {
            Piece::Secret(reference) => {
                let value = scope.state.secret_values.get(reference).ok_or_else(|| {
                    let message = format!(
                        "the file mixes text with the secret `{}/{}`, which lives in the cluster: goldpath cannot compose it; mount the secret as a file of its own",
                        reference.name, reference.key
                    );
                    error(workload, at.clone(), ErrorKind::Invalid, message)
                })?;
                text.push_str(value.expose());
            }
            other => text.push_str(&piece_text(other)),
        }
    }
    let hash = format!(
        "{:016x}",
        fnv1a64(format!("{container}\0{target}").as_bytes())
    );
    let name = shorten_name(
        &format!(
            "{}-{container}-secret-{}",
            workload.metadata.name,
            &hash[..10]
        ),
        253,
    );
    secrets.push(json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name},
        "type": "Opaque",
        "data": {"file": base64(text.as_bytes())},
    }));
    Ok(FileContent::Secret(SecretRef {
        name,
        key: "file".to_owned(),
    }))
}

fn piece_text(piece: &Piece) -> String {
    match piece {
        Piece::Text(t) | Piece::Output(t) => t.clone(),
        Piece::Secret(_) => String::new(),
    }
}

/// A volume source is `${resources.NAME}`: the resource's `source` or `claimSpec` output.
fn volume_source(scope: &WorkloadScope<'_>, text: &str) -> Result<VolumeSource, String> {
    let template = crate::placeholder::parse(text).map_err(|e| e.message)?;
    let local = match template.as_single_reference().map(|r| r.segments()) {
        Some([root, local]) if root == "resources" => local.clone(),
        _ => {
            return Err(format!(
                "a volume source is `${{resources.NAME}}`, a volume resource of this workload; found `{text}`"
            ));
        }
    };
    let outputs = &scope.resource(&local)?.outputs;
    match (outputs.get("source"), outputs.get("claimSpec")) {
        (Some(source), None) if source.as_object().is_some_and(|o| !o.is_empty()) => {
            Ok(VolumeSource::Volume(source.clone()))
        }
        (None, Some(claim)) if claim.is_object() => Ok(VolumeSource::ClaimTemplate(claim.clone())),
        _ => Err(format!(
            "resource `{local}` must output exactly one of `source` (a Kubernetes volume source) or `claimSpec` (a claim spec) to be mounted"
        )),
    }
}

fn error(workload: &Workload, path: DocPath, kind: ErrorKind, message: String) -> Error {
    let location = Location::default().with_path(path);
    Error::new(
        kind,
        location,
        format!("workload `{}`: {message}", workload.metadata.name),
    )
}
