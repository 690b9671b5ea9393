// Planning and everything a Plan exposes (Python: tests/test_plan.py).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

import { Platform, Plan, ERROR_CODES } from '../goldpath.js'
import { platformDir, shopTexts } from './helpers.mjs'

const require = createRequire(import.meta.url)
const shop = shopTexts()
const options = { app: 'shop', envType: 'development', env: 'dev' }

test('the package exports the classes, the error class and its codes', () => {
  const exported = Object.keys(require('../goldpath.js')).sort()
  assert.deepEqual(exported, ['DirStore', 'ERROR_CODES', 'ERROR_KINDS', 'GoldpathError', 'MemoryStore', 'PgStore', 'Plan', 'Platform', 'Session', 'Store', 'authorize', 'diff'])
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

test('workloads may be objects, and the same inputs give the same YAML', () => {
  const object = { apiVersion: 'score.dev/v1b1', metadata: { name: 'api' }, containers: { main: { image: 'nginx' } } }
  const platform = Platform.default()
  assert.equal(platform.plan([object], { app: 'a' }).toYaml(), platform.plan([object], { app: 'a' }).toYaml())
})
