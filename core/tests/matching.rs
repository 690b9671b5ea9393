//! `matching::find` against a brute-force oracle written from DESIGN.md §4, on random
//! platforms and requests; and the winner does not depend on the order of the definitions.

use goldpath::matching::{self, Request};
use goldpath::platform::{Context, Platform};
use goldpath::spec::platform::{Criterion, Document, Metadata, PlatformDocument};
use proptest::prelude::*;
use proptest::sample::select;

const TYPES: [&str; 2] = ["postgres", "redis"];
const NAMES: [&str; 5] = ["a", "b", "c", "d", "e"];
const ENV_TYPES: [&str; 2] = ["qa", "prod"];
const ENVS: [&str; 2] = ["qa-1", "prod-1"];
const APPS: [&str; 2] = ["shop", "blog"];
const RES_IDS: [&str; 2] = ["web.db", "api.db"];
const CLASSES: [&str; 2] = ["default", "large"];

/// A definition as the test sees it.
#[derive(Debug, Clone)]
struct Def {
    name: String,
    resource_type: &'static str,
    builtin: bool,
    criteria: Vec<Criterion>,
}

/// A request as the test sees it: type, class, resource id and context.
#[derive(Debug, Clone)]
struct Req {
    resource_type: &'static str,
    class: &'static str,
    res_id: &'static str,
    context: Context,
}

fn maybe(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(select(values).prop_map(str::to_owned))
}

fn criterion() -> impl Strategy<Value = Criterion> {
    let fields = (
        maybe(&ENV_TYPES),
        maybe(&ENVS),
        maybe(&APPS),
        maybe(&RES_IDS),
    );
    (fields, select(&CLASSES[..])).prop_map(|((env_type, env, app, res_id), class)| Criterion {
        env_type,
        env,
        app,
        res_id,
        class: class.to_owned(),
    })
}

fn definition(names: &'static [&'static str]) -> impl Strategy<Value = Def> {
    let criteria = proptest::collection::vec(criterion(), 0..4);
    let parts = (
        select(names),
        select(&TYPES[..]),
        proptest::bool::weighted(0.25),
        criteria,
    );
    parts.prop_map(|(name, resource_type, builtin, criteria)| Def {
        name: name.to_owned(),
        resource_type,
        builtin,
        criteria,
    })
}

fn request() -> impl Strategy<Value = Req> {
    let context = (select(&ENV_TYPES[..]), select(&ENVS[..]), select(&APPS[..]));
    let parts = (
        select(&TYPES[..]),
        select(&CLASSES[..]),
        select(&RES_IDS[..]),
        context,
    );
    parts.prop_map(|(resource_type, class, res_id, (env_type, env, app))| Req {
        resource_type,
        class,
        res_id,
        context: Context::new(app, env, env_type),
    })
}

fn platform(defs: &[Def]) -> Platform {
    let mut platform = Platform::default();
    for def in defs {
        let spec = serde_json::from_value(serde_json::json!({
            "type": def.resource_type,
            "driver": "static",
            "criteria": def.criteria,
        }))
        .expect("a valid spec");
        if def.builtin {
            platform.add_builtin(def.name.clone(), spec);
        } else {
            platform.add(PlatformDocument::ResourceDefinition(Document {
                api_version: Default::default(),
                metadata: Metadata {
                    name: def.name.clone(),
                    ..Metadata::default()
                },
                spec,
            }));
        }
    }
    platform
}

fn find(defs: &[Def], req: &Req) -> Option<(String, usize)> {
    let platform = platform(defs);
    let request = Request::new(req.resource_type, req.class, req.res_id, &req.context);
    let found = matching::find(&platform, &request);
    if let Err(err) = &found {
        assert_eq!(err.kind(), goldpath::ErrorKind::NoMatch);
    }
    found.ok().map(|m| (m.name, m.criterion))
}

/// Every (definition, criterion) pair that matches, sorted by: user before built-in, then
/// `resId`, `env`, `app`, `envType` set before unset, then name, definition and criterion
/// order; the first one wins.
fn oracle(defs: &[Def], req: &Req) -> Option<(String, usize)> {
    let equal = |want: &Option<String>, have: &str| want.as_ref().is_none_or(|w| w == have);
    let mut pairs = Vec::new();
    for (d, def) in defs.iter().enumerate() {
        for (c, crit) in def.criteria.iter().enumerate() {
            let matches = def.resource_type == req.resource_type
                && crit.class == req.class
                && equal(&crit.env_type, &req.context.env_type)
                && equal(&crit.env, &req.context.env)
                && equal(&crit.app, &req.context.app)
                && equal(&crit.res_id, req.res_id);
            if matches {
                let unset = (
                    crit.res_id.is_none(),
                    crit.env.is_none(),
                    crit.app.is_none(),
                    crit.env_type.is_none(),
                );
                pairs.push(((def.builtin, unset, def.name.clone(), d, c), c));
            }
        }
    }
    pairs.sort();
    let ((_, _, name, _, _), criterion) = pairs.into_iter().next()?;
    Some((name, criterion))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn find_agrees_with_the_oracle(
        defs in proptest::collection::vec(definition(&NAMES), 0..8),
        req in request(),
    ) {
        prop_assert_eq!(find(&defs, &req), oracle(&defs, &req));
    }

    #[test]
    fn the_winner_does_not_depend_on_definition_order(
        defs in proptest::collection::vec(definition(&NAMES), 0..8),
        req in request(),
        seed in any::<u64>(),
    ) {
        let shuffled = shuffle(defs.clone(), seed);
        let (before, after) = (find(&defs, &req), find(&shuffled, &req));
        let names_unique = (1..defs.len()).all(|i| defs[..i].iter().all(|d| d.name != defs[i].name));
        if names_unique {
            // No ties left: the same definition wins with the same criterion.
            prop_assert_eq!(before, after);
        } else {
            // Ties between definitions of one name pick either; the name is the same.
            prop_assert_eq!(before.map(|m| m.0), after.map(|m| m.0));
        }
    }
}

/// A deterministic permutation of `items` (Fisher-Yates with a small LCG).
fn shuffle<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
    items
}
