//! The public words of a plan ([`PublicWords`]) in two parts, each made beside work of the
//! plan's own thread that does not need it: the names of the context, the definitions and the
//! workloads while the graph is built ([`words_beside_graph`]), the graph's resource and
//! workload names while the resources are provisioned ([`add_graph_words`]). The runs are a
//! set: the parts give the runs of [`super::public_words_of`], whatever their order.

use crate::graph::ResourceGraph;
use crate::platform::{Context, Platform};
use crate::resolve::WorkloadInput;
use crate::secrets::PublicWords;

/// The public words that do not need the graph: the context, the definition names and the
/// names of each workload's resources, containers, variables and files.
pub(in crate::plan) fn words_beside_graph(
    context: &Context,
    platform: &Platform,
    workloads: &[WorkloadInput],
) -> PublicWords {
    let texts = texts_beside_graph(context, platform, workloads.iter());
    PublicWords::new(texts.iter().map(String::as_str))
}

/// Adds the names of the nodes of `graph` to `words`.
pub(super) fn add_graph_words(words: &mut PublicWords, graph: &ResourceGraph) {
    let texts = graph_texts(graph);
    words.add(texts.iter().map(String::as_str));
}

/// The texts of [`words_beside_graph`].
pub(super) fn texts_beside_graph<'w>(
    context: &Context,
    platform: &Platform,
    workloads: impl Iterator<Item = &'w WorkloadInput>,
) -> Vec<String> {
    let mut texts = vec![
        context.app.clone(),
        context.env.clone(),
        context.env_type.clone(),
    ];
    texts.extend(platform.definitions().iter().map(|d| d.name.clone()));
    for w in workloads {
        texts.extend(super::workload_public_texts(w));
    }
    texts
}

/// The texts of [`add_graph_words`]: the name of every node of `graph`.
pub(super) fn graph_texts(graph: &ResourceGraph) -> Vec<String> {
    graph
        .ordered()
        .map(|node| node.name().to_string())
        .collect()
}
