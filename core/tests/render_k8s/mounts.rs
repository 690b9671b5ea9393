//! Files and volumes: ConfigMaps, pod volumes, projected folders, claim templates and names.

use super::*;

// Files and volumes

#[test]
fn each_file_is_a_config_map_mounted_at_its_folder() {
    let binary = ResolvedFile {
        content: FileContent::Base64("AAEC".into()),
        mode: Some(0o600),
    };
    let from_secret = ResolvedFile {
        content: FileContent::Secret(secret("tls", "key.pem")),
        mode: None,
    };
    let workload = with_files(
        web(json!({})),
        "main",
        &[
            ("/etc/app/app.conf", text_file("port: 80\n")),
            ("/opt/bin/blob", binary),
            ("/run/tls/key.pem", from_secret),
        ],
    );
    let objects = render(&workload, None);
    let maps: Vec<&Value> = objects
        .iter()
        .filter(|o| o["kind"] == "ConfigMap")
        .collect();
    assert_eq!(maps.len(), 2);
    let by_data = |field: &str| maps.iter().find(|m| m.get(field).is_some()).unwrap();
    assert_eq!(by_data("data")["data"], json!({"file": "port: 80\n"}));
    assert_eq!(by_data("binaryData")["binaryData"], json!({"file": "AAEC"}));
    let conf = by_data("data")["metadata"]["name"].as_str().unwrap();
    assert!(
        conf.starts_with("web-main-file-") && conf.len() == "web-main-file-".len() + 10,
        "{conf}"
    );
    let deployment = &objects[0];
    let volumes = pod_spec(deployment)["volumes"].as_array().unwrap();
    let conf_volume = volumes
        .iter()
        .find(|v| v["configMap"]["name"] == conf)
        .unwrap();
    assert_eq!(
        conf_volume["configMap"]["items"],
        json!([{"key": "file", "path": "app.conf"}])
    );
    let secret_volume = volumes.iter().find(|v| v.get("secret").is_some()).unwrap();
    assert_eq!(
        secret_volume["secret"],
        json!({"secretName": "tls", "items": [{"key": "key.pem", "path": "key.pem"}]})
    );
    let blob_volume = volumes
        .iter()
        .find(|v| v["configMap"]["items"][0]["path"] == "blob")
        .unwrap();
    assert_eq!(blob_volume["configMap"]["items"][0]["mode"], 0o600);
    let mounts = container(deployment, "main")["volumeMounts"]
        .as_array()
        .unwrap();
    let folders: Vec<&str> = mounts
        .iter()
        .map(|m| m["mountPath"].as_str().unwrap())
        .collect();
    assert_eq!(folders, ["/etc/app", "/opt/bin", "/run/tls"]);
    assert!(mounts.iter().all(|m| m["readOnly"] == true));
}

#[test]
fn files_sharing_a_folder_become_one_projected_volume() {
    let workload = with_files(
        web(json!({})),
        "main",
        &[
            ("/etc/app/a.conf", text_file("a")),
            ("/etc/app/b.conf", text_file("b")),
            (
                "/etc/app/tls.key",
                ResolvedFile {
                    content: FileContent::Secret(secret("tls", "key")),
                    mode: Some(0o400),
                },
            ),
            ("/etc/other/c.conf", text_file("c")),
        ],
    );
    let objects = render(&workload, None);
    let deployment = &objects[0];
    let volumes = pod_spec(deployment)["volumes"].as_array().unwrap();
    assert_eq!(volumes.len(), 2);
    let projected = volumes
        .iter()
        .find(|v| v.get("projected").is_some())
        .unwrap();
    assert_eq!(projected["name"], "proj-main-0");
    let sources = projected["projected"]["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 3);
    assert_eq!(
        sources[2],
        json!({"secret": {"name": "tls", "items": [{"key": "key", "path": "tls.key", "mode": 0o400}]}})
    );
    let mounts = &container(deployment, "main")["volumeMounts"];
    assert_eq!(
        mounts[0],
        json!({"name": "proj-main-0", "mountPath": "/etc/app", "readOnly": true})
    );
    assert_eq!(mounts[1]["mountPath"], "/etc/other");
    assert_eq!(
        objects.iter().filter(|o| o["kind"] == "ConfigMap").count(),
        3
    );
}

#[test]
fn pod_volume_names_are_unique_across_containers_mounting_the_same_target() {
    let mut workload = resolved(json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": "web"},
        "containers": {"one": {"image": "a"}, "two": {"image": "b"}},
    }));
    for name in ["one", "two"] {
        workload = with_files(
            workload,
            name,
            &[
                ("/etc/app/a.conf", text_file("a")),
                ("/etc/app/b.conf", text_file("b")),
                ("/etc/x/c", text_file("c")),
            ],
        );
        let parts = workload.containers.get_mut(name).unwrap();
        let empty_dir = VolumeSource::Volume(json!({"emptyDir": {}}));
        parts.volumes.insert(
            "/cache".into(),
            ResolvedVolume {
                source: empty_dir,
                sub_path: None,
                read_only: false,
            },
        );
    }
    let deployment = &render(&workload, None)[0];
    let names: Vec<&str> = pod_spec(deployment)["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 6);
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), 6, "{names:?}");
    assert!(names.contains(&"proj-one-0") && names.contains(&"proj-two-0"));
}

#[test]
fn a_volume_is_merged_into_a_pod_volume_and_mounted_at_its_target() {
    let mut workload = web(json!({}));
    let source = VolumeSource::Volume(json!({"persistentVolumeClaim": {"claimName": "shared"}}));
    let volume = ResolvedVolume {
        source,
        sub_path: Some("cache".into()),
        read_only: true,
    };
    workload
        .containers
        .entry("main".into())
        .or_default()
        .volumes
        .insert("/var/cache".into(), volume);
    let deployment = &render(&workload, None)[0];
    let pod_volume = &pod_spec(deployment)["volumes"][0];
    let name = pod_volume["name"].as_str().unwrap();
    assert!(
        name.starts_with("vol-main-") && name.len() == "vol-main-".len() + 10,
        "{name}"
    );
    assert_eq!(
        pod_volume["persistentVolumeClaim"],
        json!({"claimName": "shared"})
    );
    assert_eq!(
        container(deployment, "main")["volumeMounts"],
        json!([{"name": name, "mountPath": "/var/cache", "subPath": "cache", "readOnly": true}])
    );
}

#[test]
fn a_file_in_the_root_folder_is_mounted_alone_with_sub_path() {
    let workload = with_files(web(json!({})), "main", &[("/app.conf", text_file("x"))]);
    let objects = render(&workload, None);
    let pod = &objects[0]["spec"]["template"]["spec"];
    let mounts = pod["containers"][0]["volumeMounts"].as_array().unwrap();
    assert_eq!(mounts.len(), 1);
    assert_eq!(mounts[0]["mountPath"], "/app.conf");
    assert_eq!(mounts[0]["subPath"], "app.conf");
    assert_eq!(
        pod["volumes"][0]["configMap"]["items"][0]["path"],
        "app.conf"
    );
}

#[test]
fn two_mounts_on_one_path_are_refused() {
    let mut workload = with_files(
        web(json!({})),
        "main",
        &[("/data/app.conf", text_file("x"))],
    );
    let volume = ResolvedVolume {
        source: VolumeSource::Volume(json!({"emptyDir": {}})),
        sub_path: None,
        read_only: false,
    };
    workload
        .containers
        .get_mut("main")
        .unwrap()
        .volumes
        .insert("/data".into(), volume);
    let err = render_error(&workload, None);
    assert!(err.message().contains("two mounts at `/data`"), "{err}");
}

#[test]
fn long_names_are_shortened_to_valid_ones() {
    let long = format!("w{}", "x".repeat(51));
    let container_name = "c".repeat(63);
    let mut workload = resolved(json!({
        "apiVersion": "score.dev/v1b1",
        "metadata": {"name": long, "annotations": {"k8s.score.dev/kind": "StatefulSet"}},
        "containers": {container_name.clone(): {"image": "a"}},
    }));
    workload = with_files(
        workload,
        &container_name,
        &[
            ("/etc/a/x", text_file("x")),
            ("/etc/a/y", text_file("y")),
            ("/etc/b/z", text_file("z")),
        ],
    );
    workload
        .containers
        .get_mut(&container_name)
        .unwrap()
        .volumes
        .insert("/data".into(), claim_volume());
    let objects = render(&workload, None);
    let headless = objects
        .iter()
        .find(|o| o["spec"]["clusterIP"] == "None")
        .unwrap();
    let headless_name = headless["metadata"]["name"].as_str().unwrap();
    assert_eq!(headless_name.len(), 63);
    assert!(names::dns1035_label(headless_name).is_ok());
    let set = &objects[0];
    let volumes = pod_spec(set)["volumes"].as_array().unwrap();
    let claims = set["spec"]["volumeClaimTemplates"].as_array().unwrap();
    for name in volumes
        .iter()
        .map(|v| &v["name"])
        .chain(claims.iter().map(|c| &c["metadata"]["name"]))
    {
        let name = name.as_str().unwrap();
        assert!(names::dns1123_label(name).is_ok(), "{name}");
        assert_eq!(name.len(), 63, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn a_file_too_large_for_a_config_map_is_refused() {
    let big = "x".repeat(1024 * 1024 + 1);
    let workload = with_files(web(json!({})), "main", &[("/etc/app/big", text_file(&big))]);
    let err = render_error(&workload, None);
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.message()
            .contains("more than the 1048576 a ConfigMap may hold"),
        "{err}"
    );
    assert_eq!(
        err.location().path.to_string(),
        r#"containers.main.files["/etc/app/big"]"#
    );
    let fits = "x".repeat(1024 * 1024);
    let workload = with_files(
        web(json!({})),
        "main",
        &[("/etc/app/big", text_file(&fits))],
    );
    assert_eq!(render(&workload, None).len(), 2);
}
