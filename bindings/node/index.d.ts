/* The types the generated declarations below refer to, and the error class. */

/** A node of the plan's graph: a workload or a resource. */
export interface PlanGraphNode {
  name: string
  kind: 'workload' | 'resource'
  type?: string
  class?: string
  id?: string | null
  definition?: string | null
}

/** The plan's graph: nodes in resolution order, edges where `from` needs `to` first. */
export interface PlanGraph {
  nodes: Array<PlanGraphNode>
  edges: Array<{ from: string; to: string; kind: string }>
}

/** A resource of a plan. */
export interface PlannedResource {
  key: string
  definition: string
  outputs: Record<string, unknown>
  /** The names of the secret outputs, never their values. */
  secrets: Array<string>
}

/** What a JavaScript driver receives. */
export interface DriverRequest {
  key: string
  type: string
  class: string
  id: string | null
  guid: string
  definition: string
  driver: string
  context: { app: string; env: string; env_type: string }
  params: Record<string, unknown>
  inputs: Record<string, unknown>
  secrets: Record<string, unknown>
  workloads: Record<string, unknown>
  source: string | null
}

/** What a JavaScript driver returns. */
export interface DriverAnswer {
  outputs?: Record<string, unknown>
  secrets?: Record<string, string | { secretKeyRef: { name: string; key: string } }>
  manifests?: Array<Record<string, unknown>>
}

/** One broken rule of a policy or lock of the environment type. */
export interface Violation {
  /** The rule id (`require-limits`, ..., or `locked-baseline`). */
  rule: string
  /** `error` blocks a deploy (`GOLDPATH_POLICY`); `warning` is reported. */
  severity: 'error' | 'warning'
  /** The `Policy` document the rule comes from (absent for `locked-baseline`). */
  policy?: string
  /** The workload at fault. */
  workload?: string
  /** The workload's Score file, when it was read from one. */
  file?: string
  /** A JSON pointer into the Score workload: where to change it. */
  path: string
  /** What is wrong and what to change. */
  message: string
}

/** What `authorize` decided. */
export interface Decision {
  /** Whether the action may go ahead. */
  allowed: boolean
  /** The binding that granted the action (for deploy-like actions, `deployer`); null when denied. */
  binding: string | null
  /** Every binding the grant needed, by name. */
  bindings: Array<string>
  /** Why: the roles that granted it, or what is missing. */
  reason: string
}

/** A Kubernetes object (or a Backstage entity) as plain data. */
export type KubeObject = Record<string, unknown>

/** A deployment record (Python: `Deployment`). */
export interface DeploymentRecord {
  format: string
  id: string
  inputs: {
    app: string
    env: string
    envType: string
    parent: string | null
    at: string
    principal?: string
    operation: Record<string, string>
    workloads: Array<Record<string, unknown>>
    [field: string]: unknown
  }
  manifests: Array<KubeObject>
  order: Array<string>
  resources: Array<Record<string, string>>
  warnings?: Array<string>
}

/** An environment of an application (Python: `Environment`). */
export interface EnvironmentRecord {
  app: string
  name: string
  envType: string
  ephemeral: boolean
  clonedFrom?: string
  createdAt: string
  namespace?: string
  uid?: string
}

/** What a rollback recorded and what changed since the record it went back to. */
export interface RollbackResult {
  record: DeploymentRecord
  platformChanged: boolean
  platformChanges: Array<Record<string, unknown>>
  manifestChanges: Array<Record<string, unknown>>
}

/** Why a resource got its definition (Python: `Explanation`). */
export interface Explanation {
  request: Record<string, string>
  winner: Record<string, unknown>
  candidates: Array<Record<string, unknown>>
}

/** What changed between two records (Python: `Diff`), with the text the CLI prints. */
export interface RecordDiff {
  inputs: Record<string, unknown>
  objects: Array<Record<string, unknown>>
  text: string
  [field: string]: unknown
}

/** One entry of an environment's history: the record, or why it cannot be read. */
export interface HistoryEntry {
  id: string
  /** Applying the record to a cluster failed: it is in the history but not current. */
  failed: boolean
  record?: DeploymentRecord
  error?: string
}

/** Where a problem is. */
export interface ErrorLocation {
  file: string | null
  line: number | null
  column: number | null
  /** The path inside the document (`containers.web.image`), `''` for the whole document. */
  path: string
}

/** One problem, in the serialized form both bindings share (Python: `Diagnostic.to_dict()`). */
export interface Diagnostic {
  /** `schema`, `yaml`, ... (`internal` for a bug). */
  kind: string
  /** `GOLDPATH_SCHEMA`, ... */
  code: string
  /** What is wrong and what to change. */
  message: string
  /** The path inside the document; null at its root. */
  path: string | null
  /** Where it is. */
  location: ErrorLocation
}

/** Every error goldpath throws or rejects with. */
export declare class GoldpathError extends Error {
  /** `schema`, `yaml`, ... the kind of the first problem; `internal` for a bug. */
  readonly kind: string
  /** `GOLDPATH_SCHEMA`, `GOLDPATH_YAML`, ... one per kind of problem; `GOLDPATH_INTERNAL` for a bug. */
  readonly code: string
  /** The path inside the document of the first problem; null at its root. */
  readonly path: string | null
  /** Where the first problem is. */
  readonly location: ErrorLocation
  /** Every problem. */
  readonly diagnostics: Array<Diagnostic>
}

/** A store in memory: `new MemoryStore()` is `Store.memory()`. */
export declare const MemoryStore: { new (): Store }
/** A store in a directory: `new DirStore(path)` is `Store.dir(path)`. */
export declare const DirStore: { new (path: string): Store }
/** A store in a PostgreSQL database: `new PgStore(url)` is `Store.postgres(url)`. */
export declare const PgStore: { new (url: string): Store }

/** Every `code` a GoldpathError can have. */
export declare const ERROR_CODES: ReadonlyArray<string>
/** Every kind of problem with its code, from the engine's one list (Python: `ERROR_KINDS`). */
export declare const ERROR_KINDS: ReadonlyArray<{ readonly kind: string; readonly code: string }>

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/** A plan, as `Platform.plan` returns it. */
export declare class Plan {
  /** The manifests in apply order, as plain objects. */
  get manifests(): Array<KubeObject>
  /** The manifests as a stream of YAML documents. */
  toYaml(): string
  /** The manifests as a JSON array (text). */
  toJson(): string
  /** The graph: `{nodes, edges}`, nodes in resolution order, `from` needs `to`. */
  get graph(): PlanGraph
  /** The resources in resolution order: key, definition, outputs, names of secret outputs. */
  get resources(): Array<PlannedResource>
  /** Warnings about the plan. */
  get warnings(): Array<string>
  /** The namespace of the objects, if any. */
  get namespace(): string | null
  /** The application planned. */
  get app(): string
  /** The environment planned for. */
  get env(): string
  /** The environment type planned for. */
  get envType(): string
  /**
   * The violations of the environment type's policies and locks, as plain objects
   * (`rule`, `severity`, `policy`, `workload`, `file`, `path`, `message`): `error`
   * violations block a deploy (`GOLDPATH_POLICY`), `warning`s are reported.
   */
  get violations(): Array<Violation>
  /** Why the resource `key` got its definition. */
  explain(key: string): Explanation
  /** The graph in Graphviz DOT. */
  toDot(): string
  /** The graph as a Mermaid flowchart. */
  toMermaid(): string
  /** The Backstage catalog entities that describe the plan. */
  catalog(options?: CatalogOptions | undefined | null): Array<KubeObject>
  /** The catalog entities as a stream of YAML documents (a `catalog-info.yaml`). */
  catalogYaml(options?: CatalogOptions | undefined | null): string
}

/** A platform ready to plan with. */
export declare class Platform {
  /** Plans the workloads and records the deployment in `store`; returns the record. */
  deploy(store: Store, workloads: Array<string | Record<string, unknown>>, options: DeployOptions): DeploymentRecord
  /**
   * `deploy` on a worker thread; the promise resolves to the record or rejects with a
   * `GoldpathError`.
   */
  deployAsync(store: Store, workloads: Array<string | Record<string, unknown>>, options: DeployOptions): Promise<DeploymentRecord>
  /**
   * Records a new deployment of the workloads and options of record `to`; returns
   * `{record, platformChanged, platformChanges, manifestChanges}` (Python's `Rollback`).
   */
  rollback(store: Store, options: RollbackOptions): RollbackResult
  /**
   * Records the current workloads of `from` as a deployment of `to`, under `to`'s policies
   * (`GOLDPATH_POLICY` when they block it); returns the record.
   */
  promote(store: Store, options: PromoteOptions): DeploymentRecord
  /**
   * Creates an environment; returns `{environment, record}` (`record` is null unless it
   * was cloned).
   */
  createEnvironment(store: Store, options: EnvironmentOptions): { environment: EnvironmentRecord; record: DeploymentRecord | null }
  /**
   * Deletes environment `env` of `app` and its history (its records stay readable by id).
   * Deleting records nothing, so no time is asked for (as in Python).
   */
  deleteEnvironment(store: Store, options: TargetOptions): void
  /** Loads the platform documents of a folder (or file). */
  static load(path: string, options?: PlatformOptions | undefined | null): Platform
  /**
   * A platform of documents loaded as one set: YAML or JSON text (a stream of documents),
   * objects, or paths of files and folders.
   */
  static fromDocuments(documents: Array<string | Record<string, unknown>>, options?: PlatformOptions): Platform
  /** goldpath's built-in default platform alone (what `goldpath render score.yaml` uses). */
  static default(options?: PlatformOptions | undefined | null): Platform
  /**
   * Registers a JavaScript driver: `fn(request)` returns `{outputs, secrets, manifests}`.
   * A synchronous `plan` calls it on the calling thread (it must answer with a value);
   * `planAsync` calls it on the JavaScript thread while planning runs on a worker, and
   * awaits a Promise it returns (a rejection becomes `GOLDPATH_DRIVER`).
   */
  registerDriver(name: string, driver: (request: DriverRequest) => DriverAnswer | Promise<DriverAnswer>): void
  /**
   * Plans the workloads (Score YAML text or objects) on the calling thread: a preview,
   * whose `cmd` and `http` resources take their results and states from the current record
   * of environment `options.env` in `options.store` (no call), unless `options.provision`
   * is set.
   */
  plan(workloads: Array<string | Record<string, unknown>>, options: PlanOptions): Plan
  /**
   * Plans on a worker thread; the promise resolves to the plan or rejects with a
   * `GoldpathError`.
   */
  planAsync(workloads: Array<string | Record<string, unknown>>, options: PlanOptions): Promise<Plan>
  /** A session over the workloads: their plan, kept up to date by `update` and `remove`. */
  session(workloads: Array<string | Record<string, unknown>>, options: PlanOptions): Session
  /** Warnings every plan of this platform carries (the development seed, ...). */
  get warnings(): Array<string>
  /**
   * Marks a record as failed to apply: it stays in its environment's history but is no
   * longer current. Needs the right to deploy to that environment.
   */
  markFailed(store: Store, options: MarkFailedOptions): void
  /** The names of the environment types. */
  get environmentTypes(): Array<string>
  /** The names of the resource definitions, the built-ins (if any) last. */
  get definitions(): Array<string>
}

/**
 * A live plan, as `Platform.session` returns it: `update(workload)` adds a workload or
 * replaces the one of the same name, `remove(name)` removes one; each returns the new plan,
 * equal to what `plan` makes of the same workloads. An update that fails throws and leaves
 * the session at its last good plan. An edit of a workload's containers alone (image,
 * variable values, ...) replans that workload alone; adding, removing or replacing one
 * recomputes what it touches. The plans returned share what did not change with the session
 * (nothing is copied).
 */
export declare class Session {
  /**
   * Adds the workload (Score YAML text or an object), or replaces the workload of the same
   * name, and returns the new plan.
   */
  update(workload: string | Record<string, unknown>): Plan
  /**
   * `update` on a worker thread; the promise resolves to the plan or rejects with a
   * `GoldpathError`. Updates run one at a time, in the order they were made.
   */
  updateAsync(workload: string | Record<string, unknown>): Promise<Plan>
  /** Removes the workload named `name` and returns the new plan. */
  remove(name: string): Plan
  /** The plan of the current workloads. */
  get plan(): Plan
  /** The names of the current workloads, in the order they are planned. */
  get workloads(): Array<string>
}

/** Where environments and deployment records are kept. */
export declare class Store {
  /** A store in memory. */
  static memory(): Store
  /** A store in the directory `path` (created when missing). */
  static dir(path: string): Store
  /**
   * A store in the PostgreSQL database of `url` (`postgres://USER@HOST:PORT/DATABASE`), its
   * schema created on first use. The password comes from the URL, `PGPASSWORD` or
   * `~/.pgpass` and never shows; `sslmode=require` or `verify-full` turns on TLS.
   */
  static postgres(url: string): Store
  /** The environments of `app`. */
  environments(app: string): Array<EnvironmentRecord>
  /**
   * The history of an environment, oldest first: `{id, failed, record}` or, for an
   * unreadable record, `{id, failed, error}`.
   */
  history(app: string, name: string): Array<HistoryEntry>
  /** The record of that full id; `GOLDPATH_STORE` when there is none or it is corrupt. */
  record(id: string): DeploymentRecord
  /** The full id of the one record whose id starts with `prefix`. */
  resolveId(prefix: string): string
  /** Environment `env` of `app`, or null when there is none. */
  environment(app: string, name: string): EnvironmentRecord | null
  /** The ids of every record in the store. */
  recordIds(): Array<string>
}

/** What an action is done to: the application, the environment and its type. */
export interface AccessTarget {
  /** The application. */
  app?: string
  /** The environment. */
  env?: string
  /** The environment's type. */
  envType?: string
}

/**
 * Decides whether `principal` may perform `action` (`view`, `plan`, `deploy`, `rollback`,
 * `promote`, `create-environment`, `delete-environment`, `manage-members`,
 * `manage-platform`, `read-secrets`) on `target` under the platform's `RoleBinding`
 * documents: `{allowed, binding, bindings, reason}`. An unknown action throws
 * `GOLDPATH_INVALID`.
 */
export declare function authorize(platform: Platform, principal: string | Principal, action: string, target?: AccessTarget | undefined | null): Decision

/** How catalog entities are named and owned. */
export interface CatalogOptions {
  /** The Backstage namespace of the entities; default `default`. */
  namespace?: string
  /** The default owner (an entity reference); default `guests`. */
  owner?: string
  /** The lifecycle of Components and APIs; default `production`. */
  lifecycle?: string
}

/** How a deploy is made: the plan options, when (`at`, RFC 3339) and by whom. */
export interface DeployOptions {
  /** The application. */
  app: string
  /** The environment. */
  env: string
  /** The environment type, for an environment that does not exist yet. */
  envType?: string
  /** The Kubernetes namespace. */
  namespace?: string
  /** Whether to render the Namespace object. */
  createNamespace?: boolean
  /** The image of workloads whose image is `.`. */
  image?: string
  /** When, in RFC 3339. */
  at: string
  /** Who: `{user, groups}` or a user id. */
  principal?: string | Principal
}

/**
 * What changed from record `a` to record `b`: the structured diff plus `text` (as the CLI
 * prints it).
 */
export declare function diff(a: DeploymentRecord, b: DeploymentRecord): RecordDiff

/** A new environment of `app`. */
export interface EnvironmentOptions {
  /** The application. */
  app: string
  /** The environment's name. */
  env: string
  /** The environment type it instantiates. */
  envType: string
  /** The environment whose current record the new one starts from. */
  cloneFrom?: string
  /** Short-lived (a preview environment). */
  ephemeral?: boolean
  /** When, in RFC 3339. */
  at: string
  /** Who: `{user, groups}` or a user id. */
  principal?: string | Principal
}

/**
 * Every error kind as `{kind, code}`, in the order of `ErrorKind::ALL`: the package builds
 * `ERROR_CODES` from it.
 */
export declare function errorKinds(): Array<{ kind: string; code: string }>

/** Which record to mark failed, and who acts. */
export interface MarkFailedOptions {
  /** The full id of the record (`store.resolveId` expands a prefix). */
  id: string
  /** Who: `{user, groups}` or a user id. */
  principal?: string | Principal
}

/** Where and how to plan. */
export interface PlanOptions {
  /** The application id. */
  app: string
  /** The environment id; defaults to the environment type. */
  env?: string
  /** The environment type; defaults to `development`. */
  envType?: string
  /** The namespace of every namespaced object (overrides the environment type's pattern). */
  namespace?: string
  /** Also emit the Namespace object. */
  createNamespace?: boolean
  /** The image of containers whose image is `.`. */
  image?: string
  /**
   * The store whose current record of environment `env` gives the results and states of
   * the `cmd` and `http` resources of a plan (no call); `plan` and `planAsync` only.
   */
  store?: Store
  /**
   * Call the `cmd` and `http` drivers (they act on real infrastructure); otherwise their
   * results come from `store`'s current record.
   */
  provision?: boolean
}

/** How a platform is built. */
export interface PlatformOptions {
  /** Keep goldpath's built-in resource definitions beneath the platform's; default true. */
  builtins?: boolean
  /**
   * The seed of generated secrets (at least 32 bytes); without it a fixed development seed
   * is used and plans carry a warning.
   */
  secretSeed?: string
}

/** Who acts: a user id and the user's groups, as the caller's identity provider gives them. */
export interface Principal {
  /** The user's id. */
  user: string
  /** The ids of the user's groups. */
  groups?: Array<string>
}

/**
 * A promotion of `app`'s workloads from environment `fromEnv` to environment `toEnv` (the
 * names of Python's `from_env` and `to_env`).
 */
export interface PromoteOptions {
  /** The application. */
  app: string
  /** The environment whose current record is promoted. */
  fromEnv: string
  /** The environment it is promoted to. */
  toEnv: string
  /** The environment type of `toEnv`, when it does not exist yet. */
  envType?: string
  /** When, in RFC 3339. */
  at: string
  /** Who: `{user, groups}` or a user id. */
  principal?: string | Principal
}

/** A rollback of `app`'s environment `env` to the record `to`. */
export interface RollbackOptions {
  /** The application. */
  app: string
  /** The environment. */
  env: string
  /** The id of the record to go back to. */
  to: string
  /** When, in RFC 3339. */
  at: string
  /** Who: `{user, groups}` or a user id. */
  principal?: string | Principal
}

/** An environment of an application, and who acts on it. */
export interface TargetOptions {
  /** The application. */
  app: string
  /** The environment. */
  env: string
  /** Who: `{user, groups}` or a user id. */
  principal?: string | Principal
}
