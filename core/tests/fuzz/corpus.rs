//! The seeds the fuzz targets start from: the repository's fixtures and built-in definitions,
//! the upstream Score examples when `../shared/upstream` is present, and a few documents kept
//! inline so the harness fuzzes something on any checkout.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// A seed file: its name and text.
pub struct Seed {
    /// The file it came from.
    pub name: String,
    /// Its text.
    pub text: String,
}

const INLINE: &[&str] = &[
    "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx:1.27\n    variables: {REDIS: '${resources.cache.host}', PORT: \"8080\"}\n    files:\n      /etc/app.conf: {content: \"name=${metadata.name}\\n\"}\nservice:\n  ports: {www: {port: 80, targetPort: 8080}}\nresources:\n  cache: {type: redis}\n  route: {type: route, params: {host: '${resources.dns.host}', path: /, port: 80}}\n  dns: {type: dns}\n",
    "apiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {name: cache}\nspec:\n  type: redis\n  driver: template\n  outputs: {host: 'cache-{{ context.app.id }}', port: 6379}\n",
    "{\"apiVersion\": \"score.dev/v1b1\", \"metadata\": {\"name\": \"api\"}, \"containers\": {\"c\": {\"image\": \".\"}}}",
];

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every seed, read once.
pub fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = repo();
        let mut files = Vec::new();
        for dir in [
            "fixtures/shop",
            "fixtures/showcase",
            "fixtures/platform",
            "core/builtins",
        ] {
            collect(&root.join(dir), &mut files);
        }
        collect(&root.join("../shared/upstream/score/examples"), &mut files);
        files.sort();
        let mut seeds: Vec<Seed> = files
            .into_iter()
            .filter_map(|f| {
                let text = std::fs::read_to_string(&f).ok()?;
                Some(Seed {
                    name: f.display().to_string(),
                    text,
                })
            })
            .collect();
        seeds.extend(INLINE.iter().enumerate().map(|(i, t)| Seed {
            name: format!("inline-{i}"),
            text: (*t).to_owned(),
        }));
        seeds
    })
}

/// The seeds that parse as single YAML documents, as values (for structured mutation).
pub fn documents() -> &'static [Value] {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        seeds()
            .iter()
            .flat_map(|s| s.text.split("\n---"))
            .filter_map(serde_saphyr_value)
            .filter(|v: &Value| v.get("apiVersion").is_some())
            .collect()
    })
}

fn serde_saphyr_value(text: &str) -> Option<Value> {
    serde_saphyr::from_str::<Value>(text).ok()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}
