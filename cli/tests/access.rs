//! The boundary of access and environment identity through the command line: every write
//! command × (the environment's stored type, a type the platform declares otherwise, a type
//! the platform does not define, a namespace option), and the regressions of issue 12
//! findings 1 to 3 as a user would hit them.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{fixture, goldpath, text};

const T0: &str = "2026-11-23T09:00:00Z";
const T1: &str = "2026-11-23T10:00:00Z";

/// Runs `goldpath ARGS`; returns the exit code and standard error.
fn run(args: &[&str]) -> (i32, String) {
    let out = goldpath(args);
    (out.status.code().unwrap_or(-1), text(&out.stderr))
}

fn ok(args: &[&str]) -> String {
    let out = goldpath(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
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

const ADMIN: [&str; 4] = ["--as", "pat", "--group", "platform-team"];

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
            for (env, env_type) in [
                ("development", "development"),
                ("preview", "qa-light"),
                ("production", "qa-light"),
                ("old", "retired"),
            ] {
                let mut create = vec![
                    "env",
                    "create",
                    "--platform",
                    &platform,
                    "--store",
                    &store,
                    "--app",
                    "shop",
                    "--env",
                    env,
                    "--env-type",
                    env_type,
                    "--at",
                    T0,
                ];
                create.extend(ADMIN);
                ok(&create);
                let shop = fixture("fixtures/shop");
                let mut deploy = vec![
                    "deploy",
                    &shop,
                    "--platform",
                    &platform,
                    "--store",
                    &store,
                    "--app",
                    "shop",
                    "--env",
                    env,
                    "--at",
                    T0,
                ];
                deploy.extend(ADMIN);
                ok(&deploy);
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

/// One command of the table: `{store}` and `{first}` (the environment's first record) are
/// filled in; the sample platform is given unless the row says `--no-platform`.
struct Row {
    args: &'static [&'static str],
    /// The exit code wanted, and a part of standard error when it is not 0.
    code: i32,
    says: &'static str,
}

const DAN: &[&str] = &["--as", "dan", "--group", "shop-team"];

const TABLE: &[Row] = &[
    // The stored type decides (preview is qa-light; dan deploys to qa-light, sam to nothing).
    Row {
        args: &["deploy", "{shop}", "--env", "preview", "@dan"],
        code: 0,
        says: "",
    },
    Row {
        args: &["deploy", "{shop}", "--env", "preview", "--as", "sam"],
        code: 1,
        says: "permission",
    },
    Row {
        args: &["rollback", "--env", "preview", "--to", "{first}", "@dan"],
        code: 0,
        says: "",
    },
    Row {
        args: &[
            "rollback", "--env", "preview", "--to", "{first}", "--as", "sam",
        ],
        code: 1,
        says: "permission",
    },
    Row {
        args: &[
            "promote",
            "--from",
            "development",
            "--to",
            "preview",
            "@dan",
        ],
        code: 0,
        says: "",
    },
    Row {
        args: &[
            "promote",
            "--from",
            "development",
            "--to",
            "preview",
            "--as",
            "sam",
        ],
        code: 1,
        says: "permission",
    },
    Row {
        args: &["env", "delete", "--env", "preview", "@dan"],
        code: 1,
        says: "needs the role owner",
    },
    Row {
        args: &["env", "delete", "--env", "preview", "--as", "ada"],
        code: 0,
        says: "",
    },
    Row {
        args: &[
            "env",
            "create",
            "--env",
            "fresh",
            "--env-type",
            "qa-light",
            "@dan",
        ],
        code: 0,
        says: "",
    },
    Row {
        args: &[
            "env",
            "create",
            "--env",
            "fresh",
            "--env-type",
            "staging",
            "--clone-from",
            "development",
            "@dan",
        ],
        code: 1,
        says: "deployer on `staging`",
    },
    // The platform declares production as production; the store holds it as qa-light.
    Row {
        args: &[
            "deploy",
            "{shop}",
            "--env",
            "production",
            "--as",
            "ada",
            "--group",
            "release-managers",
        ],
        code: 1,
        says: "declares environment `production`",
    },
    Row {
        args: &[
            "rollback",
            "--env",
            "production",
            "--to",
            "{first}",
            "--as",
            "ada",
            "--group",
            "shop-team",
        ],
        code: 1,
        says: "declares environment `production`",
    },
    Row {
        args: &[
            "promote",
            "--from",
            "development",
            "--to",
            "production",
            "--as",
            "ada",
            "--group",
            "release-managers",
        ],
        code: 1,
        says: "declares environment `production`",
    },
    Row {
        args: &[
            "env",
            "create",
            "--env",
            "staging",
            "--env-type",
            "qa-light",
            "--as",
            "ada",
        ],
        code: 1,
        says: "declares environment `staging`",
    },
    Row {
        args: &[
            "env",
            "create",
            "--env",
            "staging",
            "--env-type",
            "qa-light",
            "--clone-from",
            "development",
            "@admin",
        ],
        code: 1,
        says: "declares environment `staging`",
    },
    Row {
        args: &["env", "delete", "--env", "production", "--as", "ada"],
        code: 0,
        says: "",
    },
    // `old` is of a type the platform does not define.
    Row {
        args: &["deploy", "{shop}", "--env", "old", "@admin"],
        code: 1,
        says: "type `retired`, which the platform in use does not define",
    },
    Row {
        args: &["rollback", "--env", "old", "--to", "{first}", "@admin"],
        code: 1,
        says: "does not define",
    },
    Row {
        args: &["promote", "--from", "development", "--to", "old", "@admin"],
        code: 1,
        says: "does not define",
    },
    Row {
        args: &[
            "env",
            "create",
            "--env",
            "x",
            "--env-type",
            "nope",
            "@admin",
        ],
        code: 1,
        says: "does not define",
    },
    Row {
        args: &["env", "delete", "--env", "old", "--as", "ada"],
        code: 1,
        says: "does not define",
    },
    Row {
        args: &["env", "delete", "--env", "old", "@admin"],
        code: 0,
        says: "",
    },
    // Finding 3: the platform left out.
    Row {
        args: &["deploy", "{shop}", "--env", "preview", "--no-platform"],
        code: 1,
        says: "type `qa-light`, which the platform in use does not define",
    },
    Row {
        args: &["env", "delete", "--env", "preview", "--no-platform"],
        code: 1,
        says: "does not define",
    },
    // Finding 2: the namespace option.
    Row {
        args: &[
            "deploy",
            "{shop}",
            "--env",
            "preview",
            "--namespace",
            "kube-system",
            "@dan",
        ],
        code: 1,
        says: "namespace option `kube-system` would move its objects elsewhere",
    },
    Row {
        args: &[
            "deploy",
            "{shop}",
            "--env",
            "preview",
            "--namespace",
            "shop-development",
            "@admin",
        ],
        code: 1,
        says: "namespace option `shop-development`",
    },
    Row {
        args: &[
            "deploy",
            "{shop}",
            "--env",
            "preview",
            "-n",
            "shop-preview",
            "--generate-namespace",
            "@dan",
        ],
        code: 0,
        says: "",
    },
    // A namespace belongs to one environment.
    Row {
        args: &[
            "env",
            "create",
            "--env",
            "production-eu",
            "--env-type",
            "production",
            "@admin",
        ],
        code: 1,
        says: "belongs to environment `production` of app `shop`",
    },
];

/// The arguments of a row, filled in.
fn args_of(row: &Row, store: &str, first: &str) -> Vec<String> {
    let mut args: Vec<String> = Vec::new();
    let mut platform = true;
    for arg in row.args {
        match *arg {
            "{shop}" => args.push(fixture("fixtures/shop")),
            "{first}" => args.push(first.to_owned()),
            "@dan" => args.extend(DAN.iter().map(|s| (*s).to_owned())),
            "@admin" => args.extend(ADMIN.iter().map(|s| (*s).to_owned())),
            "--no-platform" => platform = false,
            other => args.push(other.to_owned()),
        }
    }
    args.extend(["--store", store, "--at", T1, "--app", "shop"].map(str::to_owned));
    if platform {
        args.extend(["--platform".to_owned(), fixture("fixtures/platform")]);
    }
    args
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
    for (n, row) in TABLE.iter().enumerate() {
        let (_dir, store) = store_copy();
        let env = row
            .args
            .iter()
            .position(|a| *a == "--env")
            .map_or("preview", |i| row.args[i + 1]);
        let first = if row.args.contains(&"{first}") {
            first_record(&store, env)
        } else {
            String::new()
        };
        let before = contents(Path::new(&store));
        let args = args_of(row, &store, &first);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = run(&args);
        if code != row.code || !stderr.contains(row.says) {
            failures.push(format!(
                "row {n} {:?}: exit {code}, stderr: {stderr}",
                row.args
            ));
        }
        if code != 0 && before != contents(Path::new(&store)) {
            failures.push(format!(
                "row {n} {:?}: a refused command changed the store",
                row.args
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
    for who in [&["--as", "dan", "--group", "shop-team"][..], &ADMIN[..]] {
        let mut args = vec![
            "env",
            "create",
            "--platform",
            &platform,
            "--store",
            &store,
            "--app",
            "shop",
            "--env",
            "production",
            "--env-type",
            "qa-light",
            "--at",
            T1,
        ];
        args.extend(who);
        let (code, stderr) = run(&args);
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
    let mut deploy = vec![
        "deploy",
        &shop,
        "--platform",
        &platform,
        "--store",
        &store,
        "--app",
        "shop",
        "--env",
        "development",
        "--at",
        T1,
    ];
    deploy.extend(ADMIN);
    let head = ok(&deploy).trim().to_owned();
    let file = Path::new(&store)
        .join("records")
        .join(format!("{head}.json"));
    let whole = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &whole[..whole.len() / 3]).unwrap();
    let file = file.display().to_string();

    let mut promote = vec![
        "promote",
        "--platform",
        &platform,
        "--store",
        &store,
        "--app",
        "shop",
        "--from",
        "development",
        "--to",
        "preview",
        "--at",
        T1,
    ];
    promote.extend(ADMIN);
    let (code, stderr) = run(&promote);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&file), "{stderr}");
    let mut clone = vec![
        "env",
        "create",
        "--platform",
        &platform,
        "--store",
        &store,
        "--app",
        "shop",
        "--env",
        "copy",
        "--env-type",
        "development",
        "--clone-from",
        "development",
        "--at",
        T1,
    ];
    clone.extend(ADMIN);
    let (code, stderr) = run(&clone);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&file), "{stderr}");

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
