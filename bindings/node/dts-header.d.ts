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
