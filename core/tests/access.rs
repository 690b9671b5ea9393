//! The boundary of access and environment identity (docs/environments.md), attacked through the
//! Rust API: every write operation × (the environment's stored type, a type the platform
//! declares otherwise, a type the platform does not define, a namespace option), then the
//! regressions of issue 12 (findings 1 to 5 and 17) and the races around an append.

#[path = "common/fixtures.rs"]
mod fixtures;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use goldpath::deploy::{
    Actor, Deployer, Deployment, DirStore, Draft, DraftMeta, Environment, History, MemoryStore,
    NewEnvironment, Operation, PlatformDigest, Store,
};
use goldpath::load::Loader;
use goldpath::plan::{Engine, PlanOptions};
use goldpath::platform::{Context, Platform};
use goldpath::rbac::Principal;
use goldpath::{Error, ErrorKind, Result};

const T0: &str = "2026-11-23T09:00:00Z";
const T1: &str = "2026-11-23T10:00:00Z";
const T2: &str = "2026-11-23T11:00:00Z";

/// Documents added to the sample platform: `rob` owns the shop and may deploy to production
/// only; type `ops` puts an environment in `kube-ENV`.
fn extra() -> String {
    let owner = fixtures::role_binding("rob-owns-shop", "rob", "owner", "{app: shop}");
    let deployer = fixtures::role_binding(
        "rob-deploys-production",
        "rob",
        "deployer",
        "{envType: production}",
    );
    format!(
        "{owner}---\n{deployer}---\napiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {{name: ops}}\nspec: {{namespace: \"kube-${{context.env.id}}\", createNamespace: false}}\n"
    )
}

/// A type only the set-up platform defines (environments of it exist in the store, but the
/// platform in use dropped the type).
const RETIRED: &str = "apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: retired}\nspec: {}\n";

/// The text of the sample platform's documents, plus `extra`, loaded as one platform.
fn load(extra: &str, keep_declarations: bool) -> Platform {
    let folder = fixtures::repo().join("fixtures/platform");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut text = String::new();
    for path in names {
        if !keep_declarations && path.ends_with("environments.yaml") {
            continue;
        }
        text.push_str("---\n");
        text.push_str(&std::fs::read_to_string(path).unwrap());
        text.push('\n');
    }
    text.push_str("---\n");
    text.push_str(extra);
    let docs = Loader::default().str(&text, None).unwrap();
    Platform::from_documents(docs.platform.into_iter().map(|l| l.document))
}

/// The sample platform, plus [`extra`].
fn platform() -> Platform {
    load(&extra(), true)
}

/// The platform the store was set up with: [`platform`] without the `Environment`
/// declarations, plus type `retired`.
fn setup_platform() -> Platform {
    load(&format!("{}\n---\n{RETIRED}", extra()), false)
}

fn pat(at: &str) -> Actor {
    fixtures::admin(at)
}

/// Owner of the shop, deployer on qa-light, development and production.
fn ada(at: &str) -> Actor {
    Actor::at(at).by(Principal::user("ada")
        .in_group("shop-team")
        .in_group("release-managers"))
}

/// Developer of the shop, deployer on qa-light and development.
fn dan(at: &str) -> Actor {
    Actor::at(at).by(Principal::user("dan").in_group("shop-team"))
}

/// Owner of the shop, deployer on production only.
fn rob(at: &str) -> Actor {
    Actor::at(at).by(Principal::user("rob"))
}

/// A store set up before the platform in use: `development` (development), `preview`
/// (qa-light), `production` as qa-light (the platform in use declares it production) and
/// `old` (type `retired`, which the platform in use does not define), each with a record.
fn world() -> MemoryStore {
    let store = MemoryStore::new();
    let engine = Engine::new(setup_platform());
    let deployer = Deployer::new(&engine, &store);
    for (env, env_type) in [
        ("development", "development"),
        ("preview", "qa-light"),
        ("production", "qa-light"),
        ("old", "retired"),
    ] {
        deployer
            .create_environment(&NewEnvironment::new("shop", env, env_type), &pat(T0))
            .unwrap();
        deployer
            .deploy("shop", env, &fixtures::shop(), &pat(T0))
            .unwrap();
    }
    store
}

/// A record of `env` made as an older goldpath made them: with the namespace option `ns`.
fn record_with_namespace(store: &dyn Store, env: &str, ns: &str) -> String {
    let engine = Engine::new(setup_platform());
    let environment = store.environment("shop", env).unwrap().unwrap();
    let plan = fixtures::shop_plan(&engine, env, &environment.env_type, &PlanOptions::default());
    let meta = DraftMeta {
        principal: None,
        options: goldpath::plan::PlanOptions {
            namespace: Some(ns.to_owned()),
            ..goldpath::plan::PlanOptions::default()
        },
        platform: PlatformDigest::of(engine.platform()),
        environment,
    };
    store
        .append(Draft::new(&plan, Operation::Deploy, T0, meta).unwrap())
        .unwrap()
        .id
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Deploy,
    RecordPlan,
    Rollback,
    /// From `development` into the environment.
    Promote,
    /// A new environment (of the row's type) cloned from `development`.
    Clone,
    /// A new environment of the row's type.
    Create,
    Delete,
    /// Marks the environment's first record failed to apply.
    MarkFailed,
}

/// What a row expects.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Allowed,
    Refused(ErrorKind),
}

use Op::*;
use Want::*;

/// One attempt: `op` on environment `env` (for a new one: of type `new_type`) by `actor`,
/// with the namespace option `ns`.
struct Row {
    op: Op,
    env: &'static str,
    new_type: &'static str,
    actor: fn(&str) -> Actor,
    ns: Option<&'static str>,
    want: Want,
}

const fn row(op: Op, env: &'static str, actor: fn(&str) -> Actor, want: Want) -> Row {
    Row {
        op,
        env,
        new_type: "",
        actor,
        ns: None,
        want,
    }
}

const fn new(
    op: Op,
    env: &'static str,
    new_type: &'static str,
    actor: fn(&str) -> Actor,
    want: Want,
) -> Row {
    Row {
        op,
        env,
        new_type,
        actor,
        ns: None,
        want,
    }
}

const fn with_ns(mut r: Row, ns: &'static str) -> Row {
    r.ns = Some(ns);
    r
}

const INVALID: Want = Refused(ErrorKind::Invalid);
const DENIED: Want = Refused(ErrorKind::Permission);
const TAKEN: Want = Refused(ErrorKind::Store);

/// The table: every write operation × (stored type, declared type, unknown type, namespace
/// option).
const TABLE: &[Row] = &[
    // The stored type decides: `preview` is qa-light, which rob may not deploy to although he
    // owns the app; ada may.
    row(Deploy, "preview", ada, Allowed),
    row(Deploy, "preview", rob, DENIED),
    row(RecordPlan, "preview", ada, Allowed),
    row(RecordPlan, "preview", rob, DENIED),
    row(Rollback, "preview", ada, Allowed),
    row(Rollback, "preview", rob, DENIED),
    row(Promote, "preview", ada, Allowed),
    row(Promote, "preview", rob, DENIED),
    row(MarkFailed, "preview", dan, Allowed),
    row(MarkFailed, "preview", rob, DENIED),
    row(Delete, "preview", dan, DENIED),
    row(Delete, "preview", ada, Allowed),
    new(Create, "fresh", "qa-light", dan, Allowed),
    new(Create, "fresh", "qa-light", rob, Allowed),
    new(Clone, "fresh", "qa-light", dan, Allowed),
    new(Clone, "fresh", "qa-light", rob, DENIED),
    // The platform declares `production` as production; the store holds it as qa-light:
    // every write but delete is refused, whoever asks. A declared environment is only created
    // with its declared type.
    row(Deploy, "production", ada, INVALID),
    row(Deploy, "production", rob, INVALID),
    row(Deploy, "production", pat, INVALID),
    row(RecordPlan, "production", ada, INVALID),
    row(Rollback, "production", ada, INVALID),
    row(Promote, "production", ada, INVALID),
    row(MarkFailed, "production", ada, INVALID),
    row(Delete, "production", ada, Allowed),
    new(Create, "staging", "qa-light", ada, INVALID),
    new(Create, "staging", "qa-light", pat, INVALID),
    new(Clone, "staging", "qa-light", ada, INVALID),
    new(Create, "staging", "staging", dan, Allowed),
    // `old` is of type `retired`, which the platform in use does not define: refused, but a
    // platform-admin may delete it.
    row(Deploy, "old", ada, INVALID),
    row(Deploy, "old", pat, INVALID),
    row(RecordPlan, "old", pat, INVALID),
    row(Rollback, "old", pat, INVALID),
    row(Promote, "old", pat, INVALID),
    row(MarkFailed, "old", pat, INVALID),
    row(Delete, "old", ada, INVALID),
    row(Delete, "old", pat, Allowed),
    new(Create, "x", "nope", pat, INVALID),
    new(Clone, "x", "nope", pat, INVALID),
    // A namespace option must be the environment's own namespace.
    with_ns(row(Deploy, "preview", ada, INVALID), "kube-system"),
    with_ns(row(Deploy, "preview", pat, INVALID), "kube-system"),
    with_ns(row(Deploy, "preview", ada, INVALID), "shop-development"),
    with_ns(row(Deploy, "preview", ada, Allowed), "shop-preview"),
    with_ns(row(RecordPlan, "preview", ada, INVALID), "kube-system"),
    with_ns(row(RecordPlan, "preview", ada, INVALID), "shop-development"),
    with_ns(row(RecordPlan, "preview", ada, Allowed), "shop-preview"),
    with_ns(row(Rollback, "preview", ada, INVALID), "kube-system"),
    with_ns(row(Rollback, "preview", pat, INVALID), "shop-development"),
    with_ns(row(Promote, "preview", ada, INVALID), "kube-system"),
    with_ns(row(Promote, "preview", ada, Allowed), "shop-preview"),
    with_ns(new(Clone, "fresh", "qa-light", ada, INVALID), "kube-system"),
    with_ns(new(Clone, "fresh", "qa-light", ada, Allowed), "shop-fresh"),
    // A namespace belongs to one environment; Kubernetes' own need platform-admin.
    new(Create, "production-eu", "production", pat, TAKEN),
    new(Clone, "production-eu", "production", pat, TAKEN),
    new(Create, "system", "ops", ada, DENIED),
    new(Create, "system", "ops", pat, Allowed),
];

fn options(ns: Option<&str>) -> PlanOptions {
    PlanOptions {
        namespace: ns.map(str::to_owned),
        ..PlanOptions::default()
    }
}

/// The record a rollback row goes back to: for a row with a namespace option, a record made
/// with that option as older goldpath versions made them.
fn rollback_target(store: &MemoryStore, r: &Row) -> String {
    match r.ns {
        Some(ns) => record_with_namespace(store, r.env, ns),
        None => store.history("shop", r.env).unwrap().ids()[0].to_owned(),
    }
}

/// Runs one row against `store`.
fn attempt(engine: &Engine, store: &MemoryStore, r: &Row, to: &str) -> Result<()> {
    let actor = (r.actor)(T1);
    let deployer = Deployer::new(engine, store).with_options(options(r.ns));
    let shop = fixtures::shop();
    match r.op {
        Deploy => deployer.deploy("shop", r.env, &shop, &actor).map(drop),
        RecordPlan => {
            let env_type = store.environment("shop", r.env)?.unwrap().env_type;
            let context = Context::new("shop", r.env, env_type);
            let plan = engine.plan(&shop, &context, &options(r.ns))?;
            deployer.record_plan(&plan, &actor).map(drop)
        }
        Rollback => deployer.rollback("shop", r.env, to, &actor).map(drop),
        Promote => deployer
            .promote("shop", "development", r.env, &actor)
            .map(drop),
        Clone => {
            let new = NewEnvironment::new("shop", r.env, r.new_type).cloned_from("development");
            deployer.create_environment(&new, &actor).map(drop)
        }
        Create => {
            let new = NewEnvironment::new("shop", r.env, r.new_type);
            deployer.create_environment(&new, &actor).map(drop)
        }
        Delete => deployer.delete_environment("shop", r.env, &actor),
        MarkFailed => {
            let record = store.record(store.history("shop", r.env)?.ids()[0])?;
            deployer.mark_failed(&record, &actor)
        }
    }
}

/// What a refused write must leave unchanged: the environments and every history.
fn snapshot(store: &MemoryStore) -> Vec<(Environment, Vec<(String, bool)>)> {
    store
        .all_environments()
        .unwrap()
        .into_iter()
        .map(|e| {
            let history = store.history(&e.app, &e.name).unwrap();
            let entries = history
                .entries
                .iter()
                .map(|h| (h.id.clone(), h.failed))
                .collect();
            (e, entries)
        })
        .collect()
}

#[test]
fn every_write_is_admitted_by_stored_type_declaration_definition_and_namespace() {
    let engine = Engine::new(platform());
    let mut failures = Vec::new();
    for (n, r) in TABLE.iter().enumerate() {
        let store = world();
        let to = match r.op {
            Rollback => rollback_target(&store, r),
            _ => String::new(),
        };
        let before = snapshot(&store);
        let result = attempt(&engine, &store, r, &to);
        let got = match &result {
            Ok(()) => Allowed,
            Err(e) => Refused(e.kind()),
        };
        if got != r.want {
            failures.push(format!(
                "row {n} {:?} {} ns={:?}: want {:?}, got {result:?}",
                r.op, r.env, r.ns, r.want
            ));
            continue;
        }
        if r.want != Allowed && before != snapshot(&store) {
            failures.push(format!("row {n}: a refused write changed the store"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Regressions of issue 12.

/// Finding 1: a developer creates the declared `production` as qa-light before it exists.
#[test]
fn a_declared_environment_cannot_be_created_with_another_type() {
    let engine = Engine::new(platform());
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    for actor in [dan(T1), ada(T1), pat(T1)] {
        fixtures::refused(
            deployer.create_environment(
                &NewEnvironment::new("shop", "production", "qa-light"),
                &actor,
            ),
            ErrorKind::Invalid,
            &["declares environment `production` of app `shop` with type `production`"],
        );
    }
    assert!(
        store.all_environments().unwrap().is_empty(),
        "nothing was created"
    );
    // Deploying creates it as declared, in the production type's namespace.
    let record = deployer
        .deploy("shop", "production", &fixtures::shop(), &ada(T2))
        .unwrap();
    assert_eq!(record.inputs.env_type, "production");
    let production = store.environment("shop", "production").unwrap().unwrap();
    assert_eq!(production.namespace.as_deref(), Some("shop-production"));
    let namespaces: BTreeSet<&str> = record
        .manifests
        .iter()
        .filter_map(|m| m.pointer("/metadata/namespace").and_then(|v| v.as_str()))
        .collect();
    assert_eq!(namespaces, BTreeSet::from(["shop-production"]));
}

/// Finding 2: a qa environment's objects recorded into `kube-system` or into another
/// environment's namespace, through the namespace option of deploy and of an applied plan.
#[test]
fn nothing_is_recorded_outside_the_environment_namespace() {
    let engine = Engine::new(platform());
    let store = world();
    for ns in ["kube-system", "shop-development", "shop-production"] {
        let opts = options(Some(ns));
        let deployer = Deployer::new(&engine, &store).with_options(opts.clone());
        fixtures::refused(
            deployer.deploy("shop", "preview", &fixtures::shop(), &pat(T1)),
            ErrorKind::Invalid,
            &[&format!("`{ns}`"), "`shop-preview`"],
        );
        // A plan made in that namespace, recorded by a deployer without the option.
        let plan = fixtures::shop_plan(&engine, "preview", "qa-light", &opts);
        fixtures::refused(
            Deployer::new(&engine, &store).record_plan(&plan, &pat(T1)),
            ErrorKind::Invalid,
            &["namespace"],
        );
    }
    assert_eq!(store.history("shop", "preview").unwrap().entries.len(), 1);
    // A declared environment that does not exist yet is not created for a refused plan.
    let plan = fixtures::shop_plan(&engine, "qa-42", "qa-light", &options(Some("kube-system")));
    fixtures::refused(
        Deployer::new(&engine, &store).record_plan(&plan, &pat(T1)),
        ErrorKind::Invalid,
        &[],
    );
    assert!(store.environment("shop", "qa-42").unwrap().is_none());
}

/// A plan handed to `record_plan` must come from the deployer's platform: one made with a
/// platform of other policies or baselines is not recorded under this one's digest.
#[test]
fn a_plan_of_another_platform_is_not_recorded() {
    let store = world();
    let other = Engine::new(setup_platform());
    let plan = fixtures::shop_plan(&other, "preview", "qa-light", &PlanOptions::default());
    let engine = Engine::new(platform());
    fixtures::refused(
        Deployer::new(&engine, &store).record_plan(&plan, &pat(T1)),
        ErrorKind::Invalid,
        &["another platform"],
    );
    let same = fixtures::shop_plan(&engine, "preview", "qa-light", &PlanOptions::default());
    Deployer::new(&engine, &store)
        .record_plan(&same, &pat(T1))
        .unwrap();
    assert_eq!(store.history("shop", "preview").unwrap().entries.len(), 2);
}

/// Finding 2: an environment whose type's pattern gives a `kube-` namespace needs a
/// platform-admin, for its creation and for every write.
#[test]
fn kubernetes_own_namespaces_need_a_platform_admin() {
    let engine = Engine::new(platform());
    let store = MemoryStore::new();
    let deployer = Deployer::new(&engine, &store);
    fixtures::refused(
        deployer.create_environment(&NewEnvironment::new("shop", "system", "ops"), &ada(T1)),
        ErrorKind::Permission,
        &["`kube-system`"],
    );
    deployer
        .create_environment(&NewEnvironment::new("shop", "system", "ops"), &pat(T1))
        .unwrap();
    fixtures::refused(
        deployer.deploy("shop", "system", &fixtures::shop(), &ada(T2)),
        ErrorKind::Permission,
        &[],
    );
}

/// Finding 3: a deploy with a platform that does not define the environment's type (the
/// `--platform` left out) is refused before planning.
#[test]
fn a_platform_without_the_stored_type_cannot_write() {
    let store = world();
    let bare = Engine::new(Platform::default());
    let deployer = Deployer::new(&bare, &store);
    fixtures::refused(
        deployer.deploy("shop", "preview", &fixtures::shop(), &Actor::at(T1)),
        ErrorKind::Invalid,
        &["type `qa-light`, which the platform in use does not define"],
    );
    fixtures::refused(
        deployer.rollback(
            "shop",
            "preview",
            store.history("shop", "preview").unwrap().ids()[0],
            &Actor::at(T1),
        ),
        ErrorKind::Invalid,
        &[],
    );
    fixtures::refused(
        deployer.promote("shop", "development", "preview", &Actor::at(T1)),
        ErrorKind::Invalid,
        &[],
    );
    fixtures::refused(
        deployer.delete_environment("shop", "preview", &Actor::at(T1)),
        ErrorKind::Invalid,
        &[],
    );
    assert_eq!(store.history("shop", "preview").unwrap().entries.len(), 1);
}

/// A store that, armed, deletes the environment and creates it again as production just
/// before an append: what another process does while a deploy is planning.
struct Racing<'a> {
    inner: &'a dyn Store,
    armed: AtomicBool,
}

impl Racing<'_> {
    fn race(&self, app: &str, env: &str) {
        let first = self.inner.environment(app, env).unwrap().unwrap();
        self.inner.delete_environment(&first).unwrap();
        let again = Environment {
            app: app.to_owned(),
            name: env.to_owned(),
            env_type: "production".to_owned(),
            created_at: T2.to_owned(),
            namespace: Some(format!("{app}-{env}")),
            uid: Some("the-second-creation".to_owned()),
            ..Environment::default()
        };
        self.inner.create_environment(&again, &|_| Ok(())).unwrap();
    }
}

impl Store for Racing<'_> {
    fn create_environment(
        &self,
        environment: &Environment,
        admit: &dyn Fn(&[Environment]) -> Result<()>,
    ) -> Result<()> {
        self.inner.create_environment(environment, admit)
    }
    fn environment(&self, app: &str, env: &str) -> Result<Option<Environment>> {
        self.inner.environment(app, env)
    }
    fn environments(&self, app: &str) -> Result<Vec<Environment>> {
        self.inner.environments(app)
    }
    fn all_environments(&self) -> Result<Vec<Environment>> {
        self.inner.all_environments()
    }
    fn delete_environment(&self, environment: &Environment) -> Result<()> {
        self.inner.delete_environment(environment)
    }
    fn append(&self, draft: Draft) -> Result<Deployment> {
        if self.armed.swap(false, Ordering::SeqCst) {
            self.race(draft.app(), draft.env());
        }
        self.inner.append(draft)
    }
    fn record(&self, id: &str) -> Result<Deployment> {
        self.inner.record(id)
    }
    fn history(&self, app: &str, env: &str) -> Result<History> {
        self.inner.history(app, env)
    }
    fn mark_failed(&self, app: &str, env: &str, id: &str) -> Result<()> {
        self.inner.mark_failed(app, env, id)
    }
    fn record_ids(&self) -> Result<Vec<String>> {
        self.inner.record_ids()
    }
    fn pending_deprovisions(
        &self,
        app: &str,
        env: &str,
    ) -> Result<Vec<goldpath::deploy::PendingDeprovision>> {
        self.inner.pending_deprovisions(app, env)
    }
    fn set_pending_deprovisions(
        &self,
        environment: &Environment,
        pending: &[goldpath::deploy::PendingDeprovision],
    ) -> Result<()> {
        self.inner.set_pending_deprovisions(environment, pending)
    }
}

fn deleted_and_recreated_while_planning(inner: &dyn Store) {
    let engine = Engine::new(setup_platform());
    let store = Racing {
        inner,
        armed: AtomicBool::new(false),
    };
    let deployer = Deployer::new(&engine, &store);
    deployer
        .create_environment(
            &NewEnvironment::new("shop", "preview", "qa-light"),
            &pat(T0),
        )
        .unwrap();
    store.armed.store(true, Ordering::SeqCst);
    fixtures::refused(
        deployer.deploy("shop", "preview", &fixtures::shop(), &pat(T1)),
        ErrorKind::Store,
        &["deleted and created again (now of type `production`"],
    );
    let now = store.environment("shop", "preview").unwrap().unwrap();
    assert_eq!(now.env_type, "production");
    assert!(
        store.history("shop", "preview").unwrap().entries.is_empty(),
        "the qa-light plan did not land in the new production environment"
    );
}

/// Finding 4, deterministic: the environment is deleted and re-created with another type
/// between the plan and the append.
#[test]
fn an_environment_recreated_while_a_deploy_plans_refuses_the_append() {
    fixtures::in_each_store(deleted_and_recreated_while_planning);
}

/// The qa-light environment `fresh` created at T1, deleted, and created again at `again`:
/// both creations.
fn created_twice(store: &dyn Store, again: &str) -> (Environment, Environment) {
    let engine = Engine::new(platform());
    let deployer = Deployer::new(&engine, store);
    let new = NewEnvironment::new("shop", "fresh", "qa-light");
    let (first, _) = deployer.create_environment(&new, &pat(T1)).unwrap();
    deployer
        .delete_environment("shop", "fresh", &pat(T1))
        .unwrap();
    let (second, _) = deployer.create_environment(&new, &pat(again)).unwrap();
    (first, second)
}

/// A delete admitted for one creation of an environment does not delete the next one.
fn stale_delete(store: &dyn Store) {
    let (first, second) = created_twice(store, T2);
    fixtures::refused(
        store.delete_environment(&first),
        ErrorKind::Store,
        &["deleted and created again"],
    );
    assert_eq!(store.environment("shop", "fresh").unwrap(), Some(second));
}

#[test]
fn a_delete_of_an_earlier_creation_leaves_the_new_one() {
    fixtures::in_each_store(stale_delete);
}

#[test]
fn a_recreated_environment_has_another_creation_id() {
    let (first, second) = created_twice(&MemoryStore::new(), T1);
    assert!(first.uid.is_some() && second.uid.is_some());
    assert_ne!(first.uid, second.uid);
    assert_eq!(first.namespace.as_deref(), Some("shop-fresh"));
}

/// Finding 5: a truncated head record makes promote and clone fail naming the file, instead
/// of shipping the record before it.
#[test]
fn an_unreadable_current_record_is_never_replaced_by_an_older_one() {
    let folder = tempfile::tempdir().unwrap();
    let store = DirStore::open(folder.path()).unwrap();
    let engine = Engine::new(platform());
    let deployer = Deployer::new(&engine, &store);
    deployer
        .deploy("shop", "development", &fixtures::shop(), &pat(T0))
        .unwrap();
    let head = deployer
        .deploy("shop", "development", &fixtures::shop(), &pat(T1))
        .unwrap();
    let file = fixtures::record_file(folder.path(), &head.id);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &text[..text.len() / 3]).unwrap();
    let named = |err: &Error| {
        assert_eq!(err.kind(), ErrorKind::Store, "{err}");
        assert_eq!(
            err.location().file.as_deref(),
            Some(file.display().to_string().as_str()),
            "{err}"
        );
    };

    named(
        &deployer
            .promote("shop", "development", "qa-42", &pat(T2))
            .unwrap_err(),
    );
    let clone = NewEnvironment::new("shop", "copy", "development").cloned_from("development");
    named(&deployer.create_environment(&clone, &pat(T2)).unwrap_err());
    assert!(store.environment("shop", "copy").unwrap().is_none());
    assert!(store.environment("shop", "qa-42").unwrap().is_none());

    let history = store.history("shop", "development").unwrap();
    assert!(history.current().is_none());
    named(&history.current_record().unwrap_err());
    assert!(history.entries[1].record.is_err(), "history shows it");
}

/// Finding 17: what a writer killed mid-write leaves, exactly as it leaves it (a partial
/// temporary file nobody holds a lock on, a half-done delete), is removed on the next open;
/// a live writer's temporary file is left alone.
#[test]
fn dead_writers_leftovers_are_removed_on_open_and_live_ones_kept() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    let store = DirStore::open(root).unwrap();
    let engine = Engine::new(platform());
    let record = Deployer::new(&engine, &store)
        .deploy("shop", "development", &fixtures::shop(), &pat(T0))
        .unwrap();
    let text = std::fs::read_to_string(fixtures::record_file(root, &record.id)).unwrap();
    let dead = [
        root.join("records")
            .join(format!("{}.tmp.4194303.7", "a".repeat(64))),
        root.join("apps/shop/development/index.tmp.4194303.8"),
        root.join("apps/shop/development/environment.tmp.4194303.9"),
    ];
    for path in &dead {
        std::fs::write(path, &text[..text.len() / 2]).unwrap();
    }
    let trash = root.join("apps/shop/.deleted-gone-4194303");
    std::fs::create_dir_all(&trash).unwrap();
    std::fs::write(trash.join("index.json"), "{}").unwrap();
    let live = root
        .join("records")
        .join(format!("{}.tmp.1.0", "b".repeat(64)));
    let held = std::fs::File::create(&live).unwrap();
    held.lock().unwrap();

    let store = DirStore::open(root).unwrap();
    for path in &dead {
        assert!(!path.exists(), "{} was left", path.display());
    }
    assert!(!trash.exists());
    assert!(live.exists(), "a live writer's file was removed");
    drop(held);
    DirStore::open(root).unwrap();
    assert!(!live.exists(), "once its writer is gone, it is removed");
    let history = store.history("shop", "development").unwrap();
    assert_eq!(history.current().unwrap().id, record.id);
}

const CHILD_STORE: &str = "GOLDPATH_TEST_ACCESS_CHILD_STORE";

/// The body of the child process of the test below: deploys until killed.
#[test]
fn child_deploys_until_killed() {
    let Some(root) = std::env::var_os(CHILD_STORE) else {
        return;
    };
    let store = DirStore::open(root).unwrap();
    let engine = Engine::new(platform());
    let deployer = Deployer::new(&engine, &store);
    for i in 0.. {
        let at = format!("2026-11-23T10:00:00.{i:09}Z");
        deployer
            .deploy("shop", "development", &fixtures::shop(), &pat(&at))
            .unwrap();
    }
}

fn temp_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().contains(".tmp.") {
                found.push(path);
            }
        }
    }
    found
}

/// kill -9 of a writer in the middle of its appends, then a read: the history is one line of
/// readable records and no temporary file survives the next open.
#[test]
fn a_writer_killed_mid_append_leaves_a_readable_store() {
    let folder = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_deploys_until_killed", "--test-threads=1"])
        .env(CHILD_STORE, folder.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let index = folder.path().join("apps/shop/development/index.json");
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&index).map_or(true, |t| t.matches('"').count() < 12) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the child made no records"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = DirStore::open(folder.path()).unwrap();
    assert_eq!(temp_files(folder.path()), Vec::<std::path::PathBuf>::new());
    let history = store.history("shop", "development").unwrap();
    assert!(history.entries.len() >= 2);
    let mut parent = None;
    for entry in &history.entries {
        let record = entry.record.as_ref().unwrap();
        assert_eq!(record.inputs.parent, parent);
        parent = Some(record.id.clone());
    }
}

/// Environments of stores written before goldpath kept namespaces and creation ids still
/// read; their namespace is the type's pattern, and it must not be another environment's.
#[test]
fn environments_of_older_stores_read_and_derive_their_namespace() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    let store = DirStore::open(root).unwrap();
    let engine = Engine::new(platform());
    let deployer = Deployer::new(&engine, &store);
    for (env, env_type) in [("legacy", "qa-light"), ("production-eu", "production")] {
        let dir = root.join("apps/shop").join(env);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("environment.json"),
            format!(r#"{{"app": "shop", "name": "{env}", "envType": "{env_type}", "createdAt": "{T0}"}}"#),
        )
        .unwrap();
        std::fs::write(
            dir.join("index.json"),
            r#"{"format": "goldpath.dev/environment-index/v1", "records": []}"#,
        )
        .unwrap();
    }
    let legacy = store.environment("shop", "legacy").unwrap().unwrap();
    assert_eq!((legacy.namespace, legacy.uid), (None, None));
    let record = deployer
        .deploy("shop", "legacy", &fixtures::shop(), &pat(T1))
        .unwrap();
    assert!(
        record
            .manifests
            .iter()
            .filter_map(|m| m.pointer("/metadata/namespace"))
            .all(|ns| ns == "shop-legacy")
    );
    // `production-eu` (older store) derives `shop-production`; the declared `production`
    // would take the same namespace.
    fixtures::refused(
        deployer.deploy("shop", "production", &fixtures::shop(), &pat(T1)),
        ErrorKind::Store,
        &["belongs to environment `production-eu` of app `shop`"],
    );
    assert!(store.environment("shop", "production").unwrap().is_none());
}

/// Two creations racing for one namespace: exactly one wins, in both stores.
fn one_namespace_one_environment(store: &dyn Store) {
    let engine = Engine::new(platform());
    let wins: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = [
            "production-eu",
            "production-us",
            "production-ap",
            "production-sa",
        ]
        .into_iter()
        .map(|env| {
            let engine = &engine;
            scope.spawn(move || {
                let new = NewEnvironment::new("shop", env, "production");
                Deployer::new(engine, store)
                    .create_environment(&new, &pat(T1))
                    .map_err(|e| assert_eq!(e.kind(), ErrorKind::Store, "{e}"))
                    .is_ok()
            })
        })
        .collect();
        handles
            .into_iter()
            .map(|h| usize::from(h.join().unwrap()))
            .sum()
    });
    assert_eq!(wins, 1);
    assert_eq!(store.all_environments().unwrap().len(), 1);
}

#[test]
fn concurrent_creations_never_share_a_namespace() {
    fixtures::in_each_store(one_namespace_one_environment);
}
