//! The files and volumes of one container: ConfigMaps, pod volumes, claim templates and the
//! container's volume mounts.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::hash::short_hash;
use super::meta::Meta;
use super::problems::{Problems, error};
use crate::render::input::{
    FileContent, ResolvedContainer, ResolvedFile, ResolvedVolume, VolumeSource,
};
use crate::validate::names::{quoted, shorten_name};
use crate::{DocPath, ErrorKind};

const LABEL_MAX: usize = 63;
const SUBDOMAIN_MAX: usize = 253;
/// The ConfigMap key every file is stored under; `items[].path` gives the file its name.
const FILE_KEY: &str = "file";

/// The container the mounts are for.
pub(super) struct Owner<'a> {
    /// What the workload's objects share.
    pub(super) meta: &'a Meta<'a>,
    /// The workload's name.
    pub(super) workload: &'a str,
    /// The container's name.
    pub(super) container: &'a str,
    /// The container's path in the workload (`containers.main`).
    pub(super) path: DocPath,
    /// Whether the workload is a StatefulSet (claim templates allowed).
    pub(super) stateful: bool,
}

/// What the files and volumes of one container add to the workload.
#[derive(Debug, Default)]
pub(super) struct Mounts {
    /// Pod volumes.
    pub(super) volumes: Vec<Value>,
    /// The container's `volumeMounts`: volumes by target, then file folders by path.
    pub(super) mounts: Vec<Value>,
    /// One ConfigMap a file that is not a secret.
    pub(super) config_maps: Vec<Value>,
    /// `volumeClaimTemplates` entries (StatefulSets only).
    pub(super) claim_templates: Vec<Value>,
}

/// One file as a source of a pod volume, before files are grouped by folder.
struct FileVolume {
    /// The pod volume name it gets when it is alone in its folder.
    volume: String,
    /// `configMap` or `secret`.
    kind: &'static str,
    /// The ConfigMap or Secret name.
    object: String,
    /// The one `{key, path, mode}` item.
    item: Value,
}

/// The mounts of one container.
pub(super) fn container_mounts(
    owner: &Owner<'_>,
    resolved: &ResolvedContainer,
) -> crate::Result<Mounts> {
    let mut out = Mounts::default();
    let mut problems = Problems::default();
    for (target, volume) in &resolved.volumes {
        if let Err(e) = add_volume(owner, target, volume, &mut out) {
            problems.push_error(e);
        }
    }
    let mut folders: BTreeMap<&str, Vec<FileVolume>> = BTreeMap::new();
    for (target, file) in &resolved.files {
        match file_volume(owner, target, file, &mut out) {
            Ok((folder, volume)) => folders.entry(folder).or_default().push(volume),
            Err(e) => problems.push_error(e),
        }
    }
    add_folders(owner, folders, &mut out);
    problems.finish(out)
}

fn add_volume(
    owner: &Owner<'_>,
    target: &str,
    volume: &ResolvedVolume,
    out: &mut Mounts,
) -> crate::Result<()> {
    let at = owner.path.clone().key("volumes").key(target);
    let name = pod_volume_name("vol", owner.container, &short_hash(target));
    match &volume.source {
        VolumeSource::Volume(Value::Object(fields)) if !fields.is_empty() => {
            let mut pod_volume = fields.clone();
            pod_volume.insert("name".into(), name.clone().into());
            out.volumes.push(Value::Object(pod_volume));
        }
        VolumeSource::Volume(_) => {
            let message = "the volume's source gave no Kubernetes volume (an object such as `{emptyDir: {}}`): check the outputs of the resource it names";
            return Err(error(ErrorKind::Invalid, at, message));
        }
        VolumeSource::ClaimTemplate(spec) if owner.stateful => {
            let template = json!({
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": name},
                "spec": spec,
            });
            out.claim_templates.push(template);
        }
        VolumeSource::ClaimTemplate(_) => {
            let message = "the volume's source is a claim template (a PersistentVolumeClaim spec), which only a StatefulSet can have: add the annotation `k8s.score.dev/kind: StatefulSet` to the workload, or use a resource that gives a volume";
            return Err(error(ErrorKind::Invalid, at, message));
        }
    }
    let mut mount = Map::new();
    mount.insert("name".into(), name.into());
    mount.insert("mountPath".into(), target.into());
    if let Some(sub_path) = &volume.sub_path {
        mount.insert("subPath".into(), sub_path.clone().into());
    }
    if volume.read_only {
        mount.insert("readOnly".into(), true.into());
    }
    out.mounts.push(Value::Object(mount));
    Ok(())
}

/// The folder of a file and its volume source; a ConfigMap is added to `out` unless the file
/// is a secret.
fn file_volume<'t>(
    owner: &Owner<'_>,
    target: &'t str,
    file: &ResolvedFile,
    out: &mut Mounts,
) -> crate::Result<(&'t str, FileVolume)> {
    let at = owner.path.clone().key("files").key(target);
    // A file right under `/` is mounted on its own with `subPath` (its folder would be `/`).
    let (folder, base) = match target.rsplit_once('/') {
        Some((folder, base)) if !base.is_empty() => (folder, base),
        _ => {
            let message = format!(
                "the file {} has no file name: give a path such as `/etc/app/config.yaml`",
                quoted(target)
            );
            return Err(error(ErrorKind::Invalid, at, message));
        }
    };
    let hash = short_hash(target);
    let key = match &file.content {
        FileContent::Secret(secret) => secret.key.clone(),
        _ => FILE_KEY.to_owned(),
    };
    let mut item = json!({"key": key, "path": base});
    if let Some(mode) = file.mode {
        item["mode"] = mode.into();
    }
    let (kind, object) = match &file.content {
        FileContent::Secret(secret) => ("secret", secret.name.clone()),
        content => {
            let name = format!("{}-{}-file-{hash}", owner.workload, owner.container);
            let name = shorten_name(&name, SUBDOMAIN_MAX);
            let object = config_map(owner, &name, content);
            let about = format!("ConfigMap {}", quoted(&name));
            if let Some(problem) = super::check::config_map_size(&object, &about) {
                return Err(error(ErrorKind::Invalid, at, problem));
            }
            out.config_maps.push(object);
            ("configMap", name)
        }
    };
    let volume = pod_volume_name("file", owner.container, &hash);
    Ok((
        folder,
        FileVolume {
            volume,
            kind,
            object,
            item,
        },
    ))
}

fn config_map(owner: &Owner<'_>, name: &str, content: &FileContent) -> Value {
    let metadata = owner.meta.metadata(name, &BTreeMap::new());
    let mut object = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata});
    match content {
        FileContent::Base64(bytes) => object["binaryData"] = json!({ FILE_KEY: bytes }),
        FileContent::Text(text) => object["data"] = json!({ FILE_KEY: text }),
        FileContent::Secret(_) => {}
    }
    object
}

/// Mounts each folder: one file keeps its own volume, several share a `projected` one.
fn add_folders(owner: &Owner<'_>, folders: BTreeMap<&str, Vec<FileVolume>>, out: &mut Mounts) {
    let mut projected = 0;
    for (folder, files) in folders {
        if folder.is_empty() {
            add_root_files(files, out);
            continue;
        }
        let name = match <[FileVolume; 1]>::try_from(files) {
            Ok([file]) => {
                let mut source = json!({"items": [file.item]});
                let name_field = if file.kind == "secret" {
                    "secretName"
                } else {
                    "name"
                };
                source[name_field] = file.object.into();
                out.volumes
                    .push(json!({"name": file.volume, file.kind: source}));
                file.volume
            }
            Err(files) => {
                let name = pod_volume_name("proj", owner.container, &projected.to_string());
                projected += 1;
                let sources: Vec<Value> = files
                    .into_iter()
                    .map(|f| json!({f.kind: {"name": f.object, "items": [f.item]}}))
                    .collect();
                out.volumes
                    .push(json!({"name": name, "projected": {"sources": sources}}));
                name
            }
        };
        out.mounts
            .push(json!({"name": name, "mountPath": folder, "readOnly": true}));
    }
}

/// Files right under `/`: each keeps its own volume, mounted with `subPath` at its path, so
/// the image's root is not hidden (score-k8s would mount the folder `/`).
fn add_root_files(files: Vec<FileVolume>, out: &mut Mounts) {
    for file in files {
        let path = file.item["path"].as_str().unwrap_or_default().to_owned();
        let name_field = if file.kind == "secret" {
            "secretName"
        } else {
            "name"
        };
        let mut source = json!({"items": [file.item]});
        source[name_field] = file.object.into();
        out.volumes
            .push(json!({"name": file.volume, file.kind: source}));
        out.mounts.push(json!({"name": file.volume, "mountPath": format!("/{path}"), "subPath": path, "readOnly": true}));
    }
}

/// `<prefix>-<container>-<suffix>`, shortened to a DNS-1123 label.
fn pod_volume_name(prefix: &str, container: &str, suffix: &str) -> String {
    shorten_name(&format!("{prefix}-{container}-{suffix}"), LABEL_MAX)
}
