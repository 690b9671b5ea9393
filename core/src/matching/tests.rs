//! One test a rule of DESIGN.md §4.

use serde_json::{Value, json};

use super::*;
use crate::spec::platform::{
    Criterion, Document, Metadata, PlatformDocument, ResourceDefinitionSpec,
};

fn spec(resource_type: &str, criteria: Value) -> ResourceDefinitionSpec {
    let spec = json!({"type": resource_type, "driver": "static", "criteria": criteria});
    serde_json::from_value(spec).expect("a valid spec")
}

fn user(platform: &mut Platform, name: &str, resource_type: &str, criteria: Value) {
    platform.add(PlatformDocument::ResourceDefinition(Document {
        api_version: Default::default(),
        metadata: Metadata {
            name: name.to_owned(),
            ..Metadata::default()
        },
        spec: spec(resource_type, criteria),
    }));
}

fn platform_of(definitions: &[(&str, &str, Value)]) -> Platform {
    let mut platform = Platform::default();
    for (name, resource_type, criteria) in definitions {
        user(&mut platform, name, resource_type, criteria.clone());
    }
    platform
}

fn qa() -> Context {
    Context::new("shop", "qa-42", "qa-light")
}

fn winner_of(platform: &Platform, class: &str, res_id: &str) -> crate::Result<(String, usize)> {
    let context = qa();
    let found = find(platform, &Request::new("postgres", class, res_id, &context))?;
    Ok((found.name, found.criterion))
}

fn won(name: &str, criterion: usize) -> crate::Result<(String, usize)> {
    Ok((name.to_owned(), criterion))
}

fn criterion(value: Value) -> Criterion {
    serde_json::from_value(value).expect("a valid criterion")
}

#[test]
fn a_criterion_matches_only_exact_strings_of_every_field_it_sets() {
    for (criteria, matches) in [
        (json!([{"envType": "qa-light"}]), true),
        (json!([{"envType": "qa"}]), false),
        (json!([{"envType": "qa-light-2"}]), false),
        (json!([{"envType": "QA-light"}]), false),
        (json!([{"envType": "qa-*"}]), false),
        (json!([{"env": "qa-42", "app": "shop"}]), true),
        (json!([{"env": "qa-42", "app": "shop2"}]), false),
        (json!([{"resId": "web.db"}]), true),
        (json!([{"resId": "web"}]), false),
        (json!([{}]), true),
    ] {
        let platform = platform_of(&[("pg", "postgres", criteria.clone())]);
        let result = winner_of(&platform, "default", "web.db");
        assert_eq!(result.is_ok(), matches, "{criteria}: {result:?}");
    }
}

#[test]
fn class_filters_and_never_ranks() {
    let platform = platform_of(&[
        ("pg-large", "postgres", json!([{"class": "large"}])),
        ("pg-qa", "postgres", json!([{"envType": "qa-light"}])),
    ]);
    assert_eq!(winner_of(&platform, "default", "web.db"), won("pg-qa", 0));
    assert_eq!(winner_of(&platform, "large", "web.db"), won("pg-large", 0));
    let err = winner_of(&platform, "small", "web.db").unwrap_err();
    assert!(
        err.message().contains("none of them serves class `small`"),
        "{err}"
    );
    // An explicit `class: default` is the same as none.
    let explicit = platform_of(&[("pg", "postgres", json!([{"class": "default"}]))]);
    assert_eq!(winner_of(&explicit, "default", "web.db"), won("pg", 0));
}

#[test]
fn only_definitions_of_the_requested_type_are_candidates() {
    let platform = platform_of(&[
        ("redis-shop", "redis", json!([{"resId": "web.db"}])),
        ("pg", "postgres", json!([{}])),
    ]);
    assert_eq!(winner_of(&platform, "default", "web.db"), won("pg", 0));
}

#[test]
fn precedence_is_res_id_then_env_then_app_then_env_type() {
    let stronger_weaker = [
        (json!({"resId": "web.db"}), json!({"env": "qa-42"})),
        (json!({"resId": "web.db"}), json!({"app": "shop"})),
        (json!({"resId": "web.db"}), json!({"envType": "qa-light"})),
        (json!({"env": "qa-42"}), json!({"app": "shop"})),
        (json!({"env": "qa-42"}), json!({"envType": "qa-light"})),
        (json!({"app": "shop"}), json!({"envType": "qa-light"})),
        (json!({"envType": "qa-light"}), json!({})),
        (
            json!({"resId": "web.db", "envType": "qa-light"}),
            json!({"resId": "web.db"}),
        ),
        (
            json!({"env": "qa-42", "app": "shop"}),
            json!({"env": "qa-42", "envType": "qa-light"}),
        ),
    ];
    for (stronger, weaker) in stronger_weaker {
        // Both definition orders; the weaker's name `a` would win a tie.
        let orders = [
            [("z", json!([&stronger])), ("a", json!([&weaker]))],
            [("a", json!([&weaker])), ("z", json!([&stronger]))],
        ];
        for [(n1, c1), (n2, c2)] in orders {
            let platform = platform_of(&[(n1, "postgres", c1), (n2, "postgres", c2)]);
            let result = winner_of(&platform, "default", "web.db");
            assert_eq!(result, won("z", 0), "{stronger} should beat {weaker}");
        }
        let (stronger, weaker) = (criterion(stronger), criterion(weaker));
        assert!(specificity(&stronger) > specificity(&weaker));
    }
}

#[test]
fn precedence_is_lexicographic_not_a_count() {
    let platform = platform_of(&[
        (
            "broad",
            "postgres",
            json!([{"env": "qa-42", "app": "shop", "envType": "qa-light"}]),
        ),
        ("by-id", "postgres", json!([{"resId": "web.db"}])),
    ]);
    assert_eq!(winner_of(&platform, "default", "web.db"), won("by-id", 0));
    let env_only = criterion(json!({"env": "qa-42"}));
    let app_and_type = criterion(json!({"app": "shop", "envType": "qa-light"}));
    assert!(specificity(&env_only) > specificity(&app_and_type));
    let explicit_class = criterion(json!({"env": "qa-42", "class": "large"}));
    assert_eq!(specificity(&env_only), specificity(&explicit_class));
}

#[test]
fn a_definition_fires_its_most_specific_matching_criterion() {
    let platform = platform_of(&[(
        "pg",
        "postgres",
        json!([{}, {"envType": "qa-light"}, {"app": "shop"}, {"app": "other", "resId": "web.db"}]),
    )]);
    assert_eq!(winner_of(&platform, "default", "web.db"), won("pg", 2));
}

#[test]
fn built_ins_rank_below_every_user_definition() {
    let mut platform = Platform::default();
    platform.add_builtin("pg-builtin", spec("postgres", json!([{"resId": "web.db"}])));
    user(&mut platform, "pg-user", "postgres", json!([{}]));
    assert_eq!(winner_of(&platform, "default", "web.db"), won("pg-user", 0));
    // With no user definition matching, the built-in wins.
    let mut only_builtin = Platform::default();
    only_builtin.add_builtin("pg-builtin", spec("postgres", json!([{}])));
    user(
        &mut only_builtin,
        "pg-prod",
        "postgres",
        json!([{"envType": "production"}]),
    );
    let context = qa();
    let request = Request::new("postgres", "default", "web.db", &context);
    let found = find(&only_builtin, &request).expect("the built-in matches");
    assert!(found.builtin);
    assert_eq!((found.definition, found.name.as_str()), (0, "pg-builtin"));
    let explanation = explain(&platform, &request).expect("a match");
    let lost = explanation.candidates[0].verdict.reason();
    assert!(
        lost.contains("built-ins rank below every platform definition"),
        "{lost}"
    );
}

#[test]
fn a_definition_without_criteria_never_matches() {
    let platform = platform_of(&[("pg", "postgres", json!([]))]);
    let err = winner_of(&platform, "default", "web.db").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoMatch);
    assert!(
        err.message()
            .contains("`pg`: has no criteria, so it never matches"),
        "{err}"
    );
}

#[test]
fn ties_are_broken_by_name_and_the_loser_says_so() {
    let platform = platform_of(&[
        ("pg-b", "postgres", json!([{"app": "shop"}])),
        ("pg-a", "postgres", json!([{"app": "shop"}])),
    ]);
    assert_eq!(winner_of(&platform, "default", "web.db"), won("pg-a", 0));
    let context = qa();
    let request = Request::new("postgres", "default", "web.db", &context);
    let explanation = explain(&platform, &request).expect("a match");
    let Verdict::Outranked { by, reason, .. } = &explanation.candidates[0].verdict else {
        panic!("pg-b should be outranked: {explanation}");
    };
    assert_eq!(by, "pg-a");
    assert!(
        reason.contains("the tie is broken by definition name"),
        "{reason}"
    );
}

#[test]
fn no_match_lists_every_definition_of_the_type_with_its_reason() {
    let mut platform = platform_of(&[
        (
            "postgres-managed",
            "postgres",
            json!([{"envType": "production"}, {"envType": "staging"}]),
        ),
        ("pg-large", "postgres", json!([{"class": "large"}])),
        (
            "pg-other",
            "postgres",
            json!([{"app": "blog", "resId": "web.db"}]),
        ),
        ("x", "postgres", json!([])),
        ("redis", "redis", json!([{}])),
    ]);
    platform.add_builtin("pg-builtin", spec("postgres", json!([{"class": "huge"}])));
    let err = winner_of(&platform, "default", "web.db").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoMatch);
    assert_eq!(*err.location(), Location::default());
    let expected = "no resource definition matches `postgres` class `default` for resource \
        `web.db` in app `shop`, environment `qa-42` (type `qa-light`); the definitions of type \
        `postgres`:\n  \
        - `postgres-managed`: criterion [0] {envType: production} wants envType `production`, \
        the context has `qa-light`; criterion [1] {envType: staging} wants envType `staging`, the \
        context has `qa-light`\n  \
        - `pg-large`: criterion [0] {class: large} wants class `large`, the request asks for \
        `default`\n  \
        - `pg-other`: criterion [0] {app: blog, resId: web.db} wants app `blog`, the context has \
        `shop`\n  \
        - `x`: has no criteria, so it never matches: add one, e.g. `criteria: [{}]` for every \
        context\n  \
        - `pg-builtin` (built-in): criterion [0] {class: huge} wants class `huge`, the request \
        asks for `default`\n\
        add a criterion that matches this context, e.g. {envType: qa-light}, to one of them or \
        to a new ResourceDefinition of type `postgres`";
    assert_eq!(err.message(), expected);
}

#[test]
fn a_criterion_differing_in_several_fields_names_each() {
    let platform = platform_of(&[("pg", "postgres", json!([{"env": "prod", "class": "large"}]))]);
    let err = winner_of(&platform, "default", "web.db").unwrap_err();
    assert!(
        err.message().contains(
            "wants env `prod`, the context has `qa-42`, and class `large`, the request asks for \
             `default`"
        ),
        "{err}"
    );
}

#[test]
fn no_definition_of_the_type_says_so_and_suggests_one() {
    let platform = platform_of(&[("redis", "redis", json!([{}])), ("dns", "dns", json!([{}]))]);
    let err = winner_of(&platform, "default", "web.db").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoMatch);
    assert!(err.message().contains(
        "there is no definition of type `postgres` (the platform defines types `dns`, `redis`); \
         add a ResourceDefinition with `type: postgres` and criteria such as {envType: qa-light}"
    ), "{err}");
    let empty = winner_of(&Platform::default(), "default", "web.db").unwrap_err();
    assert!(
        empty
            .message()
            .contains("the platform has no resource definitions"),
        "{empty}"
    );
}

#[test]
fn explain_gives_every_candidate_its_verdict_and_serialises() {
    let mut platform = platform_of(&[
        ("pg-qa", "postgres", json!([{"envType": "qa-light"}])),
        ("redis", "redis", json!([{}])),
        (
            "pg-shop",
            "postgres",
            json!([{"envType": "production"}, {"app": "shop"}]),
        ),
        ("pg-prod", "postgres", json!([{"envType": "production"}])),
    ]);
    platform.add_builtin("postgres", spec("postgres", json!([{}])));
    let context = qa();
    let request = Request::new("postgres", "default", "web.db", &context);
    let explanation = explain(&platform, &request).expect("a match");
    assert_eq!(
        explanation.winner,
        find(&platform, &request).expect("a match")
    );
    let outcomes: Vec<(&str, usize)> = (explanation.candidates.iter())
        .map(|c| (c.name.as_str(), c.definition))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("pg-qa", 0),
            ("pg-shop", 2),
            ("pg-prod", 3),
            ("postgres", 4)
        ]
    );
    let text = explanation.to_string();
    let expected = "`postgres` class `default` for resource `web.db` in app `shop`, environment \
        `qa-42` (type `qa-light`): `pg-shop` (criterion [1])\n  \
        lost     `pg-qa`: criterion [0] {envType: qa-light} matches, but `pg-shop`'s criterion [1] \
        {app: shop} is more specific: it sets app, this one does not\n  \
        won      `pg-shop`: criterion [1] {app: shop} ranks above the 2 other matching \
        definitions\n  \
        no match `pg-prod`: criterion [0] {envType: production} wants envType `production`, the \
        context has `qa-light`\n  \
        lost     `postgres` (built-in): criterion [0] {} matches, but this definition is \
        built-in and `pg-shop` is the platform's own: built-ins rank below every platform \
        definition";
    assert_eq!(text, expected);
    let json = serde_json::to_value(&explanation).expect("serialises");
    assert_eq!(
        json["winner"],
        json!({"definition": 2, "name": "pg-shop", "criterion": 1, "builtin": false})
    );
    assert_eq!(json["request"]["envType"], "qa-light");
    assert_eq!(json["candidates"][0]["verdict"]["outcome"], "outranked");
    assert_eq!(json["candidates"][0]["verdict"]["by"], "pg-shop");
    assert_eq!(json["candidates"][2]["verdict"]["outcome"], "no-match");
}

#[test]
fn explain_of_a_request_nothing_matches_is_the_same_error_as_find() {
    let platform = platform_of(&[("pg", "postgres", json!([{"envType": "production"}]))]);
    let context = qa();
    let request = Request::new("postgres", "default", "web.db", &context);
    let explained = explain(&platform, &request).unwrap_err();
    assert_eq!(Some(explained), find(&platform, &request).err());
}

#[test]
fn criterion_text_writes_what_a_user_writes() {
    let text = |v| criterion(v).to_string();
    assert_eq!(text(json!({})), "{}");
    assert_eq!(text(json!({"class": "default"})), "{}");
    assert_eq!(
        text(json!({"resId": "a.b", "envType": "production", "class": "large"})),
        "{envType: production, resId: a.b, class: large}"
    );
}
