//! The boundary of access and environment identity through the command line: every write
//! command × (the environment's stored type, a type the platform declares otherwise, a type
//! the platform does not define, a namespace option), and the regressions of issue 12
//! findings 1 to 3 as a user would hit them.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{command, fixture, goldpath, ok, run, text};

const T0: &str = "2026-11-23T09:00:00Z";
const T1: &str = "2026-11-23T10:00:00Z";

/// A platform-admin, as the words `@admin` of a command line stand for.
const ADMIN: &str = "--as pat --group platform-team";
/// A deployer of `shop-team`, as the words `@dan` of a command line stand for.
const DAN: &str = "--as dan --group shop-team";

/// The words of `line` with `@admin` and `@dan` expanded and the placeholders of `fill`
/// filled in (see [`command`]).
fn cmd(line: &str, fill: &[(&str, &str)]) -> Vec<String> {
    command(&line.replace("@admin", ADMIN).replace("@dan", DAN), fill)
}

/// The sample platform without its `Environment` declarations, plus a type `retired`: the
/// platform the store was set up with.
fn setup_platform(dir: &Path) -> String {
    let folder = dir.join("setup-platform");
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(fixture("fixtures/platform")).unwrap() {
        let path = entry.unwrap().path();
        if !path.ends_with("environments.yaml") {
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(
        folder.join("retired.yaml"),
        "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: retired}\nspec: {}\n",
    )
    .unwrap();
    folder.display().to_string()
}

/// A store set up with [`setup_platform`] by a platform-admin: `development`, `preview`
/// (qa-light), `production` as qa-light (the sample platform declares it production) and
/// `old` (type `retired`, which the sample platform does not define), each deployed once.
/// Built once; each test works on a copy.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<tempfile::TempDir> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let platform = setup_platform(dir.path());
            let store = dir.path().join("store").display().to_string();
            let shop = fixture("fixtures/shop");
            for (env, env_type) in [
                ("development", "development"),
                ("preview", "qa-light"),
                ("production", "qa-light"),
                ("old", "retired"),
            ] {
                let fill = [
                    ("{platform}", platform.as_str()),
                    ("{store}", &store),
                    ("{shop}", &shop),
                    ("{env}", env),
                    ("{type}", env_type),
                ];
                let target = format!("--platform {{platform}} --store {{store}} --app shop --env {{env}} --at {T0} @admin");
                ok(&cmd(&format!("env create {target} --env-type {{type}}"), &fill));
                ok(&cmd(&format!("deploy {{shop}} {target}"), &fill));
            }
            dir
        })
        .path()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh copy of the template store.
fn store_copy() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&template().join("store"), &dir.path().join("store"));
    let store = dir.path().join("store").display().to_string();
    (dir, store)
}

/// The first record of `env` in `store`.
fn first_record(store: &str, env: &str) -> String {
    let json = ok(&[
        "history", "--store", store, "--app", "shop", "--env", env, "--format", "json",
    ]);
    let entries: serde_json::Value = serde_json::from_str(&json).unwrap();
    entries[0]["id"].as_str().unwrap().to_owned()
}

/// The table of commands: a command line (`{shop}`, `{first}` — the environment's first
/// record — `@dan` and `@admin` filled in; the sample platform given unless the line ends with
/// `--no-platform`), the exit code wanted, and a part of standard error when it is not 0.
#[rustfmt::skip]
const TABLE: &[(&str, i32, &str)] = &[
    // The stored type decides (preview is qa-light; dan deploys to qa-light, sam to nothing).
    ("deploy {shop} --env preview @dan", 0, ""),
    ("deploy {shop} --env preview --as sam", 1, "permission"),
    ("rollback --env preview --to {first} @dan", 0, ""),
    ("rollback --env preview --to {first} --as sam", 1, "permission"),
    ("promote --from development --to preview @dan", 0, ""),
    ("promote --from development --to preview --as sam", 1, "permission"),
    ("env delete --env preview @dan", 1, "needs the role owner"),
    ("env delete --env preview --as ada", 0, ""),
    ("env create --env fresh --env-type qa-light @dan", 0, ""),
    ("env create --env fresh --env-type staging --clone-from development @dan", 1, "deployer on `staging`"),
    // The platform declares production as production; the store holds it as qa-light.
    ("deploy {shop} --env production --as ada --group release-managers", 1, "declares environment `production`"),
    ("rollback --env production --to {first} --as ada --group shop-team", 1, "declares environment `production`"),
    ("promote --from development --to production --as ada --group release-managers", 1, "declares environment `production`"),
    ("env create --env staging --env-type qa-light --as ada", 1, "declares environment `staging`"),
    ("env create --env staging --env-type qa-light --clone-from development @admin", 1, "declares environment `staging`"),
    ("env delete --env production --as ada", 0, ""),
    // `old` is of a type the platform does not define.
    ("deploy {shop} --env old @admin", 1, "type `retired`, which the platform in use does not define"),
    ("rollback --env old --to {first} @admin", 1, "does not define"),
    ("promote --from development --to old @admin", 1, "does not define"),
    ("env create --env x --env-type nope @admin", 1, "does not define"),
    ("env delete --env old --as ada", 1, "does not define"),
    ("env delete --env old @admin", 0, ""),
    // Finding 3: the platform left out.
    ("deploy {shop} --env preview --no-platform", 1, "type `qa-light`, which the platform in use does not define"),
    ("env delete --env preview --no-platform", 1, "does not define"),
    // Finding 2: the namespace option.
    ("deploy {shop} --env preview --namespace kube-system @dan", 1, "namespace option `kube-system` would move its objects elsewhere"),
    ("deploy {shop} --env preview --namespace shop-development @admin", 1, "namespace option `shop-development`"),
    ("deploy {shop} --env preview -n shop-preview --generate-namespace @dan", 0, ""),
    // A namespace belongs to one environment.
    ("env create --env production-eu --env-type production @admin", 1, "belongs to environment `production` of app `shop`"),
];

/// The arguments of a table line, filled in.
fn args_of(line: &str, store: &str, first: &str) -> Vec<String> {
    let shop = fixture("fixtures/shop");
    let platform = fixture("fixtures/platform");
    let (line, tail) = match line.strip_suffix(" --no-platform") {
        Some(line) => (line, ""),
        None => (line, " --platform {platform}"),
    };
    let line = format!("{line} --store {{store}} --at {T1} --app shop{tail}");
    let fill = [
        ("{shop}", shop.as_str()),
        ("{first}", first),
        ("{store}", store),
        ("{platform}", &platform),
    ];
    cmd(&line, &fill)
}

/// Every file of the store, with its content: what a refused command must leave as it was.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_write_command_is_admitted_by_stored_type_declaration_definition_and_namespace() {
    let mut failures = Vec::new();
    for (n, &(line, want, says)) in TABLE.iter().enumerate() {
        let (_dir, store) = store_copy();
        let words: Vec<&str> = line.split_whitespace().collect();
        let env = words
            .iter()
            .position(|a| *a == "--env")
            .map_or("preview", |i| words[i + 1]);
        let first = if words.contains(&"{first}") {
            first_record(&store, env)
        } else {
            String::new()
        };
        let before = contents(Path::new(&store));
        let (code, stderr) = run(&args_of(line, &store, &first));
        if code != want || !stderr.contains(says) {
            failures.push(format!("row {n} {line:?}: exit {code}, stderr: {stderr}"));
        }
        if code != 0 && before != contents(Path::new(&store)) {
            failures.push(format!(
                "row {n} {line:?}: a refused command changed the store"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Finding 1, as reported: a developer creates the declared `production` as qa-light before
/// it exists.
#[test]
fn env_create_refuses_another_type_than_the_declared_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store").display().to_string();
    let platform = fixture("fixtures/platform");
    let fill = [("{platform}", platform.as_str()), ("{store}", &store)];
    for who in ["@dan", "@admin"] {
        let line = format!(
            "env create --platform {{platform}} --store {{store}} --app shop --env production \
             --env-type qa-light --at {T1} {who}"
        );
        let (code, stderr) = run(&cmd(&line, &fill));
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("the platform declares environment `production` of app `shop` with type `production`"),
            "{stderr}"
        );
    }
    let list = ok(&["env", "list", "--store", &store, "--app", "shop"]);
    assert_eq!(list, "", "nothing was created");
}

/// The environments list shows each environment's namespace.
#[test]
fn env_list_shows_the_fixed_namespace() {
    let (_dir, store) = store_copy();
    let json = ok(&[
        "env", "list", "--store", &store, "--app", "shop", "--format", "json",
    ]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let preview = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "preview")
        .unwrap();
    assert_eq!(preview["namespace"], "shop-preview");
    assert_eq!(preview["uid"].as_str().unwrap().len(), 32);
}

/// Finding 5: a truncated current record makes `promote` and a clone fail naming its file,
/// instead of shipping the record before it; `history` lists it as unreadable.
#[test]
fn an_unreadable_current_record_stops_promote_and_clone() {
    let (_dir, store) = store_copy();
    let platform = fixture("fixtures/platform");
    let shop = fixture("fixtures/shop");
    let fill = [
        ("{platform}", platform.as_str()),
        ("{store}", &store),
        ("{shop}", &shop),
    ];
    let common = format!("--platform {{platform}} --store {{store}} --app shop --at {T1} @admin");
    let deploy = format!("deploy {{shop}} --env development {common}");
    let head = ok(&cmd(&deploy, &fill)).trim().to_owned();
    let file = Path::new(&store)
        .join("records")
        .join(format!("{head}.json"));
    let whole = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &whole[..whole.len() / 3]).unwrap();
    let file = file.display().to_string();

    for line in [
        format!("promote --from development --to preview {common}"),
        format!("env create --env copy --env-type development --clone-from development {common}"),
    ] {
        let (code, stderr) = run(&cmd(&line, &fill));
        assert_eq!(code, 1, "{line}: {stderr}");
        assert!(stderr.contains(&file), "{line}: {stderr}");
    }

    let out = goldpath(&[
        "history",
        "--store",
        &store,
        "--app",
        "shop",
        "--env",
        "development",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("unreadable"),
        "{}",
        text(&out.stdout)
    );
}
