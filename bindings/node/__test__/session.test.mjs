// Sessions: a plan kept up to date by update, updateAsync and remove, equal to a full plan.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

import { Platform, GoldpathError } from '../goldpath.js'
import { platformDir, shopDir, web } from './helpers.mjs'

const shop = fs.readdirSync(shopDir).sort().map((f) => fs.readFileSync(path.join(shopDir, f), 'utf8'))
const options = { app: 'shop', env: 'qa-42', envType: 'qa-light' }
const backend = shop.findIndex((text) => text.includes('name: backend'))

test('update and remove give the plan a full plan gives', () => {
  const platform = Platform.load(platformDir)
  const workloads = [...shop]
  const session = platform.session(workloads, options)
  assert.equal(session.plan.toYaml(), platform.plan(workloads, options).toYaml())

  workloads[backend] = workloads[backend].replace('backend:2.0.1', 'backend:2.0.2')
  const plan = session.update(workloads[backend])
  assert.match(plan.toYaml(), /shop\/backend:2\.0\.2/)
  assert.equal(plan.toYaml(), platform.plan(workloads, options).toYaml())
  assert.deepEqual(plan.violations, platform.plan(workloads, options).violations)

  workloads.push(web())
  assert.equal(session.update(web()).toYaml(), platform.plan(workloads, options).toYaml())
  assert.deepEqual(session.workloads, ['backend', 'frontend', 'migrate', 'nightly-report', 'web'])

  const removed = session.remove('web')
  assert.equal(removed.toYaml(), platform.plan(shop.map((t, i) => (i === backend ? workloads[backend] : t)), options).toYaml())
  assert.equal(session.plan.toYaml(), removed.toYaml())
})

test('a failed update throws a GoldpathError and keeps the last good plan', () => {
  const session = Platform.load(platformDir).session(shop, options)
  const before = session.plan.toYaml()
  const broken = shop[backend].replace('${resources.db.host}', '${resources.db.nothere}')
  assert.throws(() => session.update(broken), (err) => {
    assert.ok(err instanceof GoldpathError)
    assert.equal(err.code, 'GOLDPATH_PLACEHOLDER')
    assert.match(err.message, /nothere/)
    return true
  })
  assert.equal(session.plan.toYaml(), before)
  assert.throws(() => session.remove('nope'), /no workload `nope`/)
  assert.equal(session.plan.toYaml(), before)
})

test('updateAsync runs off the JavaScript thread and resolves or rejects like update', async () => {
  const platform = Platform.load(platformDir)
  const session = platform.session(shop, options)
  const edited = shop[backend].replace('backend:2.0.1', 'backend:2.0.9')
  const plan = await session.updateAsync(edited)
  assert.equal(plan.toYaml(), platform.plan(shop.map((t, i) => (i === backend ? edited : t)), options).toYaml())
  await assert.rejects(session.updateAsync({ apiVersion: 'score.dev/v1b1' }), (err) => {
    assert.ok(err instanceof GoldpathError)
    return true
  })
  assert.equal(session.plan.toYaml(), plan.toYaml())
})

test("the README's session example runs as written", async () => {
  const { execFileSync } = await import('node:child_process')
  const { repo } = await import('./helpers.mjs')
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8')
  const section = readme.split('\n## Sessions')[1].split('\n## ')[0]
  const script = section.split('cd bindings/node && npm install && node -e "\n')[1].split('\n"\n```')[0]
  const out = execFileSync(process.execPath, ['-e', script], { cwd: path.join(repo, 'bindings', 'node'), encoding: 'utf8' })
  assert.match(out, /^true \d+ \[ 'backend', 'frontend', 'migrate' \]\n$/)
})

// Workload `i` of `benches/gen_app.py`: a postgres shared by ten, its own redis, a route, a link.
function generated(i) {
  const resources = {
    db: { type: 'postgres', id: `db-${Math.floor(i / 10)}` },
    cache: { type: 'redis' },
    web: { type: 'route', params: { host: `svc-${i}.example.com`, path: '/', port: 'http' } },
  }
  const variables = { DB: '${resources.db.host}', CACHE: '${resources.cache.host}' }
  if (i > 0) {
    resources.prev = { type: 'service', params: { workload: `svc-${i - 1}`, port: 'http' } }
    variables.PREVIOUS = 'http://${resources.prev.host}:${resources.prev.port}'
  }
  return {
    apiVersion: 'score.dev/v1b1',
    metadata: { name: `svc-${i}` },
    containers: { main: { image: `registry.example.com/app/svc-${i}:1.0.${i}`, variables } },
    service: { ports: { http: { port: 80, targetPort: 8080 } } },
    resources,
  }
}

test('adding and removing linked workloads gives the full plan, and plans handed out stay', () => {
  const platform = Platform.default()
  const opts = { app: 'shop', env: 'dev', envType: 'development' }
  const app = Array.from({ length: 15 }, (_, i) => generated(i))
  const session = platform.session(app, opts)
  const full = (workloads) => platform.plan(workloads, opts).toYaml()
  const held = session.plan
  const heldYaml = held.toYaml()
  app.push(generated(15))
  const added = session.update(app[15])
  assert.equal(added.toYaml(), full(app))
  assert.equal(session.plan.toYaml(), full(app))
  assert.equal(held.toYaml(), heldYaml)
  app.push(generated(16))
  session.update(app[16])
  assert.equal(session.remove('svc-16').toYaml(), full(app.slice(0, 16)))
  assert.equal(session.remove('svc-15').toYaml(), full(app.slice(0, 15)))
  assert.equal(session.plan.toYaml(), heldYaml)
  assert.equal(added.toYaml(), full(app.slice(0, 16)))
})
