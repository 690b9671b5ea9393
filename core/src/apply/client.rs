//! A client from a kubeconfig file and context, as kubectl finds them.

use std::path::Path;

use kube::config::{Config, KubeConfigOptions, Kubeconfig};

use crate::{Error, ErrorKind, Location, Result};

/// A client for the cluster of `context` in `kubeconfig`. Without a file, the usual places
/// (`KUBECONFIG`, `~/.kube/config`, then the in-cluster service account); without a context,
/// the file's current one.
///
/// # Errors
/// A kubeconfig that cannot be read or has no such context, or a client that cannot be built
/// ([`ErrorKind::Cluster`]).
pub async fn client(kubeconfig: Option<&Path>, context: Option<&str>) -> Result<kube::Client> {
    let options = KubeConfigOptions {
        context: context.map(str::to_owned),
        ..KubeConfigOptions::default()
    };
    let location = || {
        kubeconfig.map_or_else(Location::default, |p| {
            Location::in_file(p.display().to_string())
        })
    };
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Error::new(ErrorKind::Cluster, location(), format!("{what}: {e}"))
    };
    let config = match (kubeconfig, context) {
        (Some(path), _) => {
            let file =
                Kubeconfig::read_from(path).map_err(|e| fail("cannot read the kubeconfig", &e))?;
            Config::from_custom_kubeconfig(file, &options)
                .await
                .map_err(|e| fail("cannot use the kubeconfig", &e))?
        }
        (None, Some(_)) => Config::from_kubeconfig(&options)
            .await
            .map_err(|e| fail("cannot use the kubeconfig", &e))?,
        (None, None) => Config::infer()
            .await
            .map_err(|e| fail("no cluster configuration found", &e))?,
    };
    kube::Client::try_from(config).map_err(|e| fail("cannot build the Kubernetes client", &e))
}
