// Every export of the package, used as a caller uses it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'

import { Platform, Plan, GoldpathError, ERROR_CODES } from '../goldpath.js'
import { platformDir, shopDir, web } from './helpers.mjs'

const require = createRequire(import.meta.url)
const shop = fs.readdirSync(shopDir).sort().map((f) => fs.readFileSync(path.join(shopDir, f), 'utf8'))
const options = { app: 'shop', envType: 'development', env: 'dev' }

test('the package exports the classes, the error class and its codes', () => {
  const exported = Object.keys(require('../goldpath.js')).sort()
  assert.deepEqual(exported, ['DirStore', 'ERROR_CODES', 'ERROR_KINDS', 'GoldpathError', 'MemoryStore', 'PgStore', 'Plan', 'Platform', 'Store', 'authorize', 'diff'])
  assert.equal(typeof Platform.load, 'function')
  assert.ok(ERROR_CODES.includes('GOLDPATH_NO_MATCH'))
})

test('Platform.load plans the shop into manifests, YAML and JSON', () => {
  const plan = Platform.load(platformDir).plan(shop, options)
  assert.ok(plan instanceof Plan)
  const kinds = plan.manifests.map((m) => m.kind)
  assert.ok(kinds.includes('Deployment') && kinds.includes('Service'), kinds.join())
  assert.match(plan.toYaml(), /^---\n/)
  assert.deepEqual(JSON.parse(plan.toJson()), plan.manifests)
  assert.ok(plan.warnings.some((w) => w.includes('development seed')))
})

test('the graph, resources, explain, DOT and Mermaid describe the same plan', () => {
  const plan = Platform.load(platformDir).plan(shop, options)
  const names = plan.graph.nodes.map((n) => n.name)
  assert.ok(names.includes('postgres.default#backend.db'))
  assert.ok(plan.graph.edges.some((e) => e.from === 'frontend' && e.to === 'backend'))
  const db = plan.resources.find((r) => r.key === 'postgres.default#backend.db')
  assert.equal(db.definition, 'postgres-in-cluster')
  assert.ok(db.secrets.includes('password') && !('password' in db.outputs))
  const why = plan.explain('postgres.default#backend.db')
  assert.equal(why.winner.name, 'postgres-in-cluster')
  assert.ok(why.candidates.some((c) => c.name === 'postgres-managed' && c.verdict.outcome === 'no-match'))
  assert.match(plan.toDot(), /^digraph goldpath \{/)
  assert.match(plan.toMermaid(), /^flowchart LR\n/)
})

test('the catalog has a System, Components and Resources, as objects and as YAML', () => {
  const plan = Platform.load(platformDir).plan(shop, options)
  const entities = plan.catalog()
  assert.deepEqual(entities.slice(0, 3).map((e) => `${e.kind}/${e.metadata.name}`), ['System/shop', 'Component/backend', 'Component/frontend'])
  const named = plan.catalog({ namespace: 'shop', owner: 'user:jane', lifecycle: 'experimental' })
  assert.equal(named[0].spec.owner, 'user:shop/jane')
  assert.match(plan.catalogYaml(), /^---\napiVersion: backstage.io\/v1alpha1\nkind: System\n/)
})

test('Platform.fromDocuments takes YAML text and objects, Platform.default the built-ins', () => {
  const text = fs.readFileSync(path.join(platformDir, 'environment-types.yaml'), 'utf8')
  const fromText = Platform.fromDocuments([text])
  const object = { apiVersion: 'goldpath.dev/v1alpha1', kind: 'EnvironmentType', metadata: { name: 'sandbox' }, spec: {} }
  const fromObject = Platform.fromDocuments([object])
  assert.equal(fromObject.plan([web()], { app: 'a', envType: 'sandbox' }).manifests.length > 0, true)
  assert.throws(() => fromObject.plan([web()], { app: 'a', envType: 'development' }), GoldpathError)
  assert.ok(fromText.plan([web()], { app: 'a', envType: 'development' }).manifests.length > 0)
  const plan = Platform.default().plan([web()], { app: 'a' })
  assert.ok(plan.manifests.some((m) => m.kind === 'Deployment'))
})

test('workloads may be objects, and the same inputs give the same YAML', () => {
  const object = { apiVersion: 'score.dev/v1b1', metadata: { name: 'api' }, containers: { main: { image: 'nginx' } } }
  const platform = Platform.default()
  assert.equal(platform.plan([object], { app: 'a' }).toYaml(), platform.plan([object], { app: 'a' }).toYaml())
})

test('a secret seed removes the development warning and changes generated secrets', () => {
  const seeded = Platform.load(platformDir, { secretSeed: 'x'.repeat(32) })
  assert.deepEqual(seeded.warnings, [])
  const a = seeded.plan(shop, options).toYaml()
  const b = Platform.load(platformDir).plan(shop, options).toYaml()
  assert.notEqual(a, b)
})
