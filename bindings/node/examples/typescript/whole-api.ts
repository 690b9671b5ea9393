// The whole goldpath API from TypeScript; `npm run typecheck` checks it with --strict against
// the generated index.d.ts. It also runs: `node --experimental-strip-types` is not needed, the
// suite runs the same calls in JavaScript.
import {
  ERROR_CODES,
  GoldpathError,
  Plan,
  Platform,
  authorize,
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
const manifests: Array<Record<string, any>> = plan.manifests
const yaml: string = plan.toYaml()
const json: string = plan.toJson()
const graph: PlanGraph = plan.graph
const resources: PlannedResource[] = plan.resources
const why: Record<string, any> = plan.explain('redis.default#web.cache')
const dot: string = plan.toDot()
const mermaid: string = plan.toMermaid()
const warnings: string[] = plan.warnings
const catalogOptions: CatalogOptions = { namespace: 'default', owner: 'group:default/shop-team', lifecycle: 'production' }
const entities: Array<Record<string, any>> = plan.catalog(catalogOptions)
const catalogYaml: string = plan.catalogYaml()
const violations: Violation[] = plan.violations
const blocking: boolean = violations.some((v: Violation) => v.severity === 'error' && v.workload !== undefined)
const ada: Principal = { user: 'ada', groups: ['shop-team', 'release-managers'] }
const target: AccessTarget = { app: 'shop', env: 'production', envType: 'production' }
const decision: Decision = authorize(platform, ada, 'promote', target)
const granted: string | null = decision.allowed ? decision.binding : decision.reason
const asUser: boolean = authorize(platform, 'ada', 'view', { app: 'shop' }).allowed

async function later(): Promise<number> {
  try {
    const done: Plan = await other.planAsync([score], { app: 'shop', envType: 'dev' })
    return done.manifests.length
  } catch (err) {
    if (err instanceof GoldpathError) {
      const code: string = err.code
      const where: string | null = err.location.file
      const path: string = err.path
      console.error(code, where, path, err.diagnostics.length, ERROR_CODES.includes(code))
    }
    throw err
  }
}

console.log(seedWarnings, manifests, yaml, json, graph, resources, why, dot, mermaid, warnings, entities, catalogYaml, blocking, granted, decision.bindings, asUser, later)
