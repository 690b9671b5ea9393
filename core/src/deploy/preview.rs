//! The engine of a preview: the one function every front door (CLI, Python, Node) calls to
//! turn "a store or none, provision or not" into [`Effects`].

use super::ops::Deployer;
use super::store::Store;
use crate::Result;
use crate::drivers::Effects;
use crate::plan::Engine;

/// `engine` for a preview (render, check, graph, explain, catalog, sessions) of environment
/// `env` of `app`: the drivers that act on the world are called only when `provision` is
/// set; otherwise their results come from the environment's current record in `store`, and
/// without a store there is none (a plan that needs one fails, saying so).
///
/// # Errors
/// With a store: the environment does not exist, or its current record is unreadable.
pub fn preview_engine(
    engine: &Engine,
    store: Option<&dyn Store>,
    app: &str,
    env: &str,
    provision: bool,
) -> Result<Engine> {
    match store {
        Some(store) => Deployer::new(engine, store).preview_engine(app, env, provision),
        None => Ok(engine
            .clone()
            .with_effects(Effects::preview(Default::default(), provision))),
    }
}
