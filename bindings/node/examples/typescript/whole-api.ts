// The whole goldpath API from TypeScript; `npm run typecheck` checks it with --strict against
// the generated index.d.ts. It also runs: `node --experimental-strip-types` is not needed, the
// suite runs the same calls in JavaScript.
import {
  ERROR_CODES,
  ERROR_KINDS,
  GoldpathError,
  Plan,
  Platform,
  Session,
  authorize,
  diff,
  DirStore,
  MemoryStore,
  Store,
  type DeployOptions,
  type DeploymentRecord,
  type EnvironmentRecord,
  type Explanation,
  type KubeObject,
  type RollbackResult,
  type Diagnostic,
  type HistoryEntry,
  type AccessTarget,
  type CatalogOptions,
  type Decision,
  type DriverAnswer,
  type DriverRequest,
  type PlanGraph,
  type PlannedResource,
  type PlanOptions,
  type PlatformOptions,
  type Principal,
  type Violation,
} from 'goldpath'

const platformOptions: PlatformOptions = { builtins: true, secretSeed: 'x'.repeat(32) }
const platform: Platform = Platform.load('fixtures/platform', platformOptions)
const other: Platform = Platform.fromDocuments(['apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: dev}\nspec: {}\n'])
const builtins: Platform = Platform.default()
const seedWarnings: string[] = builtins.warnings

platform.registerDriver('js-cache', (request: DriverRequest): DriverAnswer => ({
  outputs: { host: `cache-${request.context.app}` },
  secrets: { password: { secretKeyRef: { name: 'cache', key: 'password' } } },
  manifests: [],
}))

const options: PlanOptions = { app: 'shop', env: 'dev', envType: 'development', namespace: 'shop', createNamespace: true, image: 'nginx' }
const score = 'apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {main: {image: nginx}}\n'
const plan: Plan = platform.plan([score, { apiVersion: 'score.dev/v1b1', metadata: { name: 'api' }, containers: { main: { image: 'nginx' } } }], options)
const manifests: Array<KubeObject> = plan.manifests
const session: Session = platform.session([score], options)
const edited: Plan = session.update(score.replace('image: nginx', 'image: nginx:1.28'))
const removedAll: Plan = session.remove('web')
const names: string[] = session.workloads
const current: Plan = session.plan
const updating: Promise<Plan> = session.updateAsync(score)
const yaml: string = plan.toYaml()
const json: string = plan.toJson()
const graph: PlanGraph = plan.graph
const resources: PlannedResource[] = plan.resources
const why: Explanation = plan.explain('redis.default#web.cache')
const dot: string = plan.toDot()
const mermaid: string = plan.toMermaid()
const warnings: string[] = plan.warnings
const catalogOptions: CatalogOptions = { namespace: 'default', owner: 'group:default/shop-team', lifecycle: 'production' }
const entities: Array<KubeObject> = plan.catalog(catalogOptions)
const catalogYaml: string = plan.catalogYaml()
const violations: Violation[] = plan.violations
const blocking: boolean = violations.some((v: Violation) => v.severity === 'error' && v.workload !== undefined)
const ada: Principal = { user: 'ada', groups: ['shop-team', 'release-managers'] }
const target: AccessTarget = { app: 'shop', env: 'production', envType: 'production' }
const decision: Decision = authorize(platform, ada, 'promote', target)
const granted: string | null = decision.allowed ? decision.binding : decision.reason
const asUser: boolean = authorize(platform, 'ada', 'view', { app: 'shop' }).allowed

const store: Store = new MemoryStore()
const onDisk: Store = new DirStore('/tmp/goldpath-example-store')
const deployOptions: DeployOptions = { app: 'shop', env: 'qa-42', at: '2026-11-23T10:00:00Z', principal: ada }
const first: DeploymentRecord = platform.deploy(store, [score], deployOptions)
const second: DeploymentRecord = platform.deploy(store, [score], { ...deployOptions, at: '2026-11-23T11:00:00Z', principal: 'ada' })
const changes: string = diff(first, second).text
const history: HistoryEntry[] = store.history('shop', 'qa-42')
const back: RollbackResult = platform.rollback(store, { app: 'shop', env: 'qa-42', to: store.resolveId(first.id.slice(0, 8)), at: '2026-11-23T12:00:00Z', principal: ada })
const promoted: DeploymentRecord = platform.promote(store, { app: 'shop', fromEnv: 'qa-42', toEnv: 'staging', envType: 'staging', at: '2026-11-23T12:00:00Z', principal: ada })
const made = platform.createEnvironment(onDisk, { app: 'shop', env: 'pr-7', envType: 'qa-light', ephemeral: true, at: '2026-11-23T12:00:00Z', principal: ada })
platform.deleteEnvironment(onDisk, { app: 'shop', env: 'pr-7', principal: ada })
const envNames: string[] = store.environments('shop').map((e) => e.name)
const deployedLater: Promise<DeploymentRecord> = platform.deployAsync(store, [score], deployOptions)
const qa: EnvironmentRecord | null = store.environment('shop', 'qa-42')
const ids: string[] = store.recordIds()
platform.markFailed(store, { id: second.id, principal: ada })
const context: [string | null, string, string, string] = [plan.namespace ?? null, plan.app, plan.env, plan.envType]
const platformNames: string[] = [...platform.environmentTypes, ...platform.definitions]
const kinds: string[] = ERROR_KINDS.map((k) => `${k.kind}=${k.code}`)

async function later(): Promise<number> {
  try {
    const done: Plan = await other.planAsync([score], { app: 'shop', envType: 'dev' })
    return done.manifests.length
  } catch (err) {
    if (err instanceof GoldpathError) {
      const code: string = err.code
      const kind: string = err.kind
      const where: string | null = err.location.file
      const path: string | null = err.path
      const first: Diagnostic = err.diagnostics[0]
      console.error(code, kind, where, path, first.message, ERROR_CODES.includes(code))
    }
    throw err
  }
}

console.log(qa, ids, context, platformNames, kinds, seedWarnings, manifests, yaml, json, graph, resources, why, dot, mermaid, warnings, entities, catalogYaml, blocking, granted, decision.bindings, asUser, changes, history, back, promoted, made.environment, envNames, deployedLater, later)
