//! The output writers: `-o FILE` through a unique temporary file renamed over regular files
//! only (devices and FIFOs written into, symbolic links followed), `--out-dir` as a complete
//! folder or nothing, file names only from validated kinds and names, and values from records
//! printed with their control characters escaped.

mod common;

use common::{ADA, deploy_qa42, goldpath, goldpath_in, render_shop, repo, text};

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

/// The YAML of the sample application, as `-o -` prints it.
fn expected_yaml() -> String {
    let out = goldpath(&render_shop(&["-o", "-"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The names in `dir` (sorted).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn concurrent_renders_to_one_file_and_to_yaml_and_json_all_finish_complete() {
    let expected = expected_yaml();
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("same.yaml").display().to_string();
    let yaml = dir.path().join("x.yaml").display().to_string();
    let json = dir.path().join("x.json").display().to_string();
    for _ in 0..4 {
        let runs: Vec<Vec<&str>> = vec![
            render_shop(&["-o", &same]),
            render_shop(&["-o", &same]),
            render_shop(&["-o", &yaml]),
            render_shop(&["-o", &json, "--format", "json"]),
        ];
        let children: Vec<_> = runs
            .iter()
            .map(|args| {
                Command::new(env!("CARGO_BIN_EXE_goldpath"))
                    .current_dir(repo())
                    .args(args)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        }
        for path in [&same, &yaml] {
            let written = fs::read(path).unwrap();
            assert!(!written.contains(&0), "NUL bytes in {path}");
            assert_eq!(text(&written), expected, "{path}");
        }
        let manifests: serde_json::Value =
            serde_json::from_slice(&fs::read(&json).unwrap()).expect("complete JSON");
        assert_eq!(
            manifests.as_array().unwrap().len(),
            expected.matches("\n---\n").count() + 1
        );
        assert_eq!(names(dir.path()), ["same.yaml", "x.json", "x.yaml"]);
    }
}

#[test]
fn dev_null_stays_a_character_device() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    if fs::OpenOptions::new().write(true).open(null).is_err() {
        println!("skipped: /dev/null is not writable here");
        return;
    }
    let out = goldpath(&render_shop(&["-o", "/dev/null"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::metadata(null).unwrap().file_type().is_char_device());
}

#[test]
fn a_fifo_gets_the_bytes_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let out = goldpath(&render_shop(&["-o", fifo.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Checked before joining: had the FIFO been replaced, the reader would wait forever.
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(text(&reader.join().unwrap()), expected_yaml());
    assert_eq!(names(dir.path()), ["pipe"]);
}

#[test]
fn a_symlink_is_kept_and_its_target_replaced() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    fs::write(dir.path().join("real/out.yaml"), "old").unwrap();
    std::os::unix::fs::symlink("real/out.yaml", dir.path().join("link.yaml")).unwrap();
    std::os::unix::fs::symlink("real/new.yaml", dir.path().join("dangling.yaml")).unwrap();
    for link in ["link.yaml", "dangling.yaml"] {
        let out = goldpath_in(dir.path(), &render_shop_abs(&["-o", link]));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let meta = fs::symlink_metadata(dir.path().join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is still a link");
    }
    let expected = expected_yaml();
    assert_eq!(
        fs::read_to_string(dir.path().join("real/out.yaml")).unwrap(),
        expected
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("real/new.yaml")).unwrap(),
        expected
    );
    assert_eq!(names(&dir.path().join("real")), ["new.yaml", "out.yaml"]);
}

/// `render_shop` with the fixtures as absolute paths, to run in another folder.
fn render_shop_abs(extra: &[&str]) -> Vec<String> {
    let root = repo();
    let mut args: Vec<String> = render_shop(extra).iter().map(|s| (*s).to_owned()).collect();
    args[1] = root.join("fixtures/shop").display().to_string();
    args[3] = root.join("fixtures/platform").display().to_string();
    args
}

#[test]
fn a_replaced_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.yaml");
    fs::write(&file, "old").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    let out = goldpath_in(dir.path(), &render_shop_abs(&["-o", "out.yaml"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(fs::read_to_string(&file).unwrap(), expected_yaml());
}

#[test]
fn out_dir_is_replaced_whole_or_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let gitops = dir.path().join("gitops");
    let gitops_arg = gitops.display().to_string();
    let render = |extra: &[&str]| {
        let mut args = render_shop(&["--out-dir", &gitops_arg]);
        args.extend_from_slice(extra);
        goldpath(&args)
    };
    let first = render(&[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let rendered = names(&gitops);
    fs::write(gitops.join("000-stale-object.yaml"), "stale").unwrap();
    let kustomization = fs::read_to_string(gitops.join("kustomization.yaml")).unwrap();
    fs::write(
        gitops.join("kustomization.yaml"),
        kustomization.replace("resources:\n", "resources:\n- 000-stale-object.yaml\n"),
    )
    .unwrap();

    // A failed plan leaves the folder as it was, and no temporary folder.
    let failed = failing_render(&gitops_arg);
    assert_eq!(failed.status.code(), Some(1));
    assert!(gitops.join("000-stale-object.yaml").exists());
    assert_eq!(names(dir.path()), ["gitops"]);

    // A render over an earlier one replaces it: what it listed and no longer renders is gone.
    let again = render(&[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(names(&gitops), rendered);
    assert_eq!(names(dir.path()), ["gitops"]);

    // A file goldpath did not write is never deleted: the render is refused.
    fs::write(gitops.join("notes.txt"), "mine").unwrap();
    let refused = render(&[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("notes.txt"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(
        fs::read_to_string(gitops.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(names(dir.path()), ["gitops"]);
}

/// `render --out-dir DIR` of a workload whose resource no definition matches.
fn failing_render(out_dir: &str) -> std::process::Output {
    let inputs = tempfile::tempdir().unwrap();
    let score = inputs.path().join("score.yaml");
    fs::write(
        &score,
        "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main: {image: nginx:1.27}\nresources:\n  cache: {type: redis}\n",
    )
    .unwrap();
    let score = score.display().to_string();
    let out = goldpath(&["render", &score, "--no-builtins", "--out-dir", out_dir]);
    assert!(
        text(&out.stderr).contains("no-match"),
        "{}",
        text(&out.stderr)
    );
    out
}

#[test]
fn a_failed_plan_leaves_no_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let gitops = dir.path().join("gitops").display().to_string();
    let out = failing_render(&gitops);
    assert_eq!(out.status.code(), Some(1));
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn a_manifest_kind_with_a_slash_or_dots_is_refused() {
    for kind in ["../../x", "a/b", "..", "Config.Map"] {
        let dir = tempfile::tempdir().unwrap();
        let platform = dir.path().join("platform");
        fs::create_dir(&platform).unwrap();
        fs::write(
            platform.join("evil.yaml"),
            format!(
                "apiVersion: goldpath.dev/v1alpha1\nkind: ResourceDefinition\nmetadata: {{name: evil}}\nspec:\n  type: evil\n  driver: template\n  criteria: [{{}}]\n  templates:\n    manifests: |\n      - {{apiVersion: v1, kind: \"{kind}\", metadata: {{name: x}}}}\n"
            ),
        )
        .unwrap();
        fs::write(
            dir.path().join("score.yaml"),
            "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main: {image: nginx:1.27}\nresources:\n  probe: {type: evil}\n",
        )
        .unwrap();
        let work = dir.path().join("work");
        fs::create_dir(&work).unwrap();
        let out = goldpath_in(
            &work,
            &[
                "render",
                "../score.yaml",
                "--platform",
                "../platform",
                "--out-dir",
                "out",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{kind}");
        assert!(
            text(&out.stderr).contains("object kind"),
            "{kind}: {}",
            text(&out.stderr)
        );
        assert!(names(&work).is_empty(), "{kind}: {:?}", names(&work));
        assert_eq!(
            names(dir.path()),
            ["platform", "score.yaml", "work"],
            "{kind}"
        );
    }
}

#[test]
fn history_prints_control_characters_of_a_record_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let mut deploy = deploy_qa42("fixtures/shop", store_arg, "2026-11-23T10:00:00Z");
    deploy.extend(ADA);
    let out = goldpath(&deploy);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_owned();
    // A record written before images were validated: its image clears the screen and
    // starts a forged line. Its id is its inputs' digest, as the store checks.
    let forged = forge_image(&store, &id, "\u{1b}[2J\nforged 1234567890");
    let out = goldpath(&[
        "history", "--store", store_arg, "--app", "shop", "--env", "qa-42",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&forged[..12]), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(stdout.contains("\\u{1b}[2J\\nforged"), "{stdout}");
    assert_eq!(
        stdout.lines().count(),
        2,
        "a header and one record: {stdout}"
    );
}

/// Rewrites the record `id` with `suffix` added to the backend's image, under its new id, in
/// the store's files; returns the new id.
fn forge_image(store: &Path, id: &str, suffix: &str) -> String {
    let path = store.join("records").join(format!("{id}.json"));
    let mut record: goldpath::deploy::Deployment =
        serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let mut json = serde_json::to_value(&record.inputs).unwrap();
    let workloads = json["workloads"].as_array_mut().unwrap();
    let image = workloads
        .iter_mut()
        .flat_map(|w| {
            w["score"]["containers"]
                .as_object_mut()
                .unwrap()
                .values_mut()
        })
        .map(|c| &mut c["image"])
        .find(|i| i.as_str().is_some_and(|s| s.contains("backend")))
        .unwrap();
    *image = format!("{}{suffix}", image.as_str().unwrap()).into();
    record.inputs = serde_json::from_value(json).unwrap();
    record.id = record.inputs.digest();
    let new = record.id.clone();
    fs::write(
        store.join("records").join(format!("{new}.json")),
        serde_json::to_vec(&record).unwrap(),
    )
    .unwrap();
    fs::remove_file(&path).unwrap();
    replace_in_files(store, id, &new);
    new
}

/// Replaces `from` by `to` in every other file of the store (its indexes).
fn replace_in_files(dir: &Path, from: &str, to: &str) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            replace_in_files(&path, from, to);
        } else if let Ok(text) = fs::read_to_string(&path)
            && text.contains(from)
        {
            fs::write(&path, text.replace(from, to)).unwrap();
        }
    }
}

#[test]
fn an_out_dir_that_is_a_symlink_stays_one_and_its_target_is_written() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", dir.path().join("gitops")).unwrap();
    let out = goldpath_in(dir.path(), &render_shop_abs(&["--out-dir", "gitops"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let meta = fs::symlink_metadata(dir.path().join("gitops")).unwrap();
    assert!(meta.file_type().is_symlink());
    assert!(names(&dir.path().join("real")).contains(&"kustomization.yaml".to_owned()));
    assert_eq!(names(dir.path()), ["gitops", "real"]);
}

/// A plan that fails after its first objects are made (a workload breaks a lock, and the
/// workloads come last) writes nothing to standard output or to a FIFO: a pipe into
/// `kubectl apply -f -` never receives half a plan.
#[test]
fn a_plan_that_fails_late_writes_nothing_to_standard_output_or_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let platform = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: development}\nspec:\n  observability: {otlpEndpoint: \"http://otel:4317\"}\n  locked: [observability]\n";
    fs::write(dir.path().join("platform.yaml"), platform).unwrap();
    let score = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx\n    variables: {OTEL_EXPORTER_OTLP_ENDPOINT: \"http://elsewhere:4317\"}\n";
    fs::write(dir.path().join("score.yaml"), score).unwrap();
    let render = [
        "render",
        "score.yaml",
        "--platform",
        "platform.yaml",
        "--app",
        "shop",
    ];
    let out = goldpath_in(dir.path(), &[&render[..], &["-o", "-"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("locks `observability`"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "", "nothing on standard output");

    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || fs::read(fifo).unwrap()
    });
    let out = goldpath_in(dir.path(), &[&render[..], &["-o", "pipe"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    // The render never opened the FIFO: open it for writing so the reader sees end of file.
    drop(fs::OpenOptions::new().write(true).open(&fifo).unwrap());
    assert!(reader.join().unwrap().is_empty(), "nothing into the FIFO");
}
