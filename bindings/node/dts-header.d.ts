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

/** Where a problem is. */
export interface ErrorLocation {
  file: string | null
  line: number | null
  column: number | null
  /** The path inside the document (`containers.web.image`), `''` for the whole document. */
  path: string
}

/** Every error goldpath throws or rejects with. */
export declare class GoldpathError extends Error {
  /** `GOLDPATH_SCHEMA`, `GOLDPATH_YAML`, ... one per kind of problem; `GOLDPATH_INTERNAL` for a bug. */
  readonly code: string
  /** The path inside the document of the first problem. */
  readonly path: string
  /** Where the first problem is. */
  readonly location: ErrorLocation
  /** Every problem. */
  readonly diagnostics: Array<{ code: string; message: string; location: ErrorLocation }>
}

/** Every `code` a GoldpathError can have. */
export declare const ERROR_CODES: ReadonlyArray<string>
