// Deployments: stores, deploy, rollback, diff and the records they keep.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { Platform, Store, MemoryStore, DirStore, GoldpathError, diff } from '../goldpath.js'
import { platformDir, shopDir } from './helpers.mjs'

const SEED = 'a-test-seed-of-at-least-32-bytes!!'
const platform = Platform.load(platformDir, { secretSeed: SEED })
const read = (f) => fs.readFileSync(path.join(shopDir, f), 'utf8')
const shop = ['backend.score.yaml', 'frontend.score.yaml'].map(read)
const shopNext = shop.map((text) => text.replace('backend:2.0.1', 'backend:2.1.0'))
const ada = { user: 'ada', groups: ['shop-team', 'release-managers'] }
const at = '2026-11-23T10:00:00Z'
const later = '2026-11-23T11:00:00Z'
const qa = { app: 'shop', env: 'qa-42', principal: ada }

const failsWith = (code) => (e) => {
  assert.ok(e instanceof GoldpathError, String(e))
  assert.equal(e.code, code)
  return true
}

test('the edited shop differs from the shop', () => {
  assert.notDeepEqual(shopNext, shop)
})

test('deploy, diff and rollback round trip on the shop', () => {
  const store = new MemoryStore()
  assert.ok(store instanceof Store)
  const first = platform.deploy(store, shop, { ...qa, at })
  const second = platform.deploy(store, shopNext, { ...qa, at: later })
  assert.equal(store.resolveId(first.id.slice(0, 8)), first.id)
  assert.deepEqual(store.record(first.id), first)
  assert.deepEqual(store.history('shop', 'qa-42').map((e) => e.id), [first.id, second.id])
  assert.deepEqual(store.environments('shop').map((e) => e.name), ['qa-42'])

  const changes = diff(first, second)
  assert.match(changes.text, /backend:2\.1\.0/)
  assert.ok(JSON.stringify(changes).includes('backend:2.0.1'))

  const back = platform.rollback(store, { app: 'shop', env: 'qa-42', to: first.id, at: later, principal: ada })
  assert.deepEqual(back.record.manifests, first.manifests)
  assert.equal(back.platformChanged, false)
  assert.deepEqual(back.platformChanges, [])
  assert.equal(store.history('shop', 'qa-42').length, 3)
  assert.match(diff(first, back.record).text, /\nno changes\n$/)
})

test('a rollback under a changed platform lists the platform changes, as in Python', () => {
  const store = new MemoryStore()
  const first = platform.deploy(store, shop, { ...qa, at })
  const changed = Platform.fromDocuments([platformDir, 'apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: extra}\nspec: {}\n'], { secretSeed: SEED })
  const back = changed.rollback(store, { app: 'shop', env: 'qa-42', to: first.id, at: later, principal: ada })
  assert.equal(back.platformChanged, true)
  assert.ok(back.platformChanges.length >= 1, JSON.stringify(back.platformChanges))
  assert.ok(JSON.stringify(back.platformChanges).includes('extra'))
})

test('the store lists one environment and every record id; a record can be marked failed', () => {
  const store = new MemoryStore()
  const first = platform.deploy(store, shop, { ...qa, at })
  assert.equal(store.environment('shop', 'qa-42').name, 'qa-42')
  assert.equal(store.environment('shop', 'nowhere'), null)
  assert.deepEqual(store.recordIds(), [first.id])
  platform.markFailed(store, { id: first.id, principal: ada })
  assert.equal(store.history('shop', 'qa-42')[0].failed, true)
})

test('a denied deploy is GOLDPATH_PERMISSION and records nothing', () => {
  const store = new MemoryStore()
  const sam = { user: 'sam', groups: ['shop-team'] }
  assert.throws(
    () => platform.deploy(store, shop, { app: 'shop', env: 'production', envType: 'production', at, principal: sam }),
    failsWith('GOLDPATH_PERMISSION'),
  )
  // Access is checked before the declared environment is created: nothing is left behind.
  assert.deepEqual(store.environments('shop'), [])
})

test('an unknown id or a corrupt record is GOLDPATH_STORE', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goldpath-node-'))
  const store = new DirStore(dir)
  assert.throws(() => store.record('0000000000000000'), failsWith('GOLDPATH_STORE'))
  const record = platform.deploy(store, shop, { ...qa, at })
  const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes(record.id))
  assert.ok(files.length > 0, 'the record has a file named by its id')
  fs.writeFileSync(path.join(dir, files[0]), '{ not json')
  assert.throws(() => new DirStore(dir).record(record.id), failsWith('GOLDPATH_STORE'))
})

const secretValues = (plan) => plan.manifests
  .filter((m) => m.kind === 'Secret')
  .flatMap((m) => [
    ...Object.values(m.data ?? {}).flatMap((v) => [v, Buffer.from(v, 'base64').toString()]),
    ...Object.values(m.stringData ?? {}),
  ])
  .filter((v) => v.length >= 8)

test('no secret value reaches a record or a diff', () => {
  const other = Platform.load(platformDir, { secretSeed: 'another-seed-of-at-least-32-bytes-long' })
  const options = { app: 'shop', env: 'qa-42', envType: 'qa-light' }
  const secrets = [...secretValues(platform.plan(shop, options)), ...secretValues(other.plan(shop, options))]
  assert.ok(secrets.length > 0, "the shop's database has a generated password")
  const store = new MemoryStore()
  const a = platform.deploy(store, shop, { ...qa, at })
  const b = other.deploy(store, shop, { ...qa, at: later })
  const text = JSON.stringify([a, b, diff(a, b), store.history('shop', 'qa-42')])
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret value leaked')
})

test('diff of something that is not a record is GOLDPATH_INVALID', () => {
  assert.throws(() => diff({}, {}), failsWith('GOLDPATH_INVALID'))
})

test('promoting an image tagged :latest to production is GOLDPATH_POLICY', () => {
  const store = new MemoryStore()
  const latest = 'apiVersion: score.dev/v1b1\nmetadata:\n  name: api\ncontainers:\n  main:\n    image: nginx:latest\n'
  platform.deploy(store, [latest], { ...qa, at })
  const promotion = { app: 'shop', fromEnv: 'qa-42', toEnv: 'production', envType: 'production', at: later, principal: ada }
  assert.throws(() => platform.promote(store, promotion), (e) => {
    failsWith('GOLDPATH_POLICY')(e)
    assert.match(e.message, /forbid-latest-tag/)
    return true
  })
  assert.deepEqual(store.history('shop', 'production'), [])
})

test('promote records the source workloads in the target environment', () => {
  const store = new MemoryStore()
  const source = platform.deploy(store, shop, { ...qa, at })
  const promoted = platform.promote(store, { app: 'shop', fromEnv: 'qa-42', toEnv: 'production', envType: 'production', at: later, principal: ada })
  assert.deepEqual(store.history('shop', 'production').map((e) => e.record.id), [promoted.id])
  assert.notEqual(promoted.id, source.id)
  assert.ok(JSON.stringify(promoted).includes(source.id), 'the promotion names its source record')
})

test('createEnvironment and deleteEnvironment', () => {
  const store = new MemoryStore()
  const made = platform.createEnvironment(store, { app: 'shop', env: 'pr-7', envType: 'qa-light', ephemeral: true, at, principal: ada })
  assert.deepEqual(
    [made.environment.name, made.environment.envType, made.environment.ephemeral, made.record],
    ['pr-7', 'qa-light', true, null],
  )
  assert.deepEqual(store.environments('shop').map((e) => e.name), ['pr-7'])
  assert.throws(() => platform.deleteEnvironment(store, { app: 'shop', env: 'pr-7', principal: 'eve' }), failsWith('GOLDPATH_PERMISSION'))
  platform.deleteEnvironment(store, { app: 'shop', env: 'pr-7', principal: ada })
  assert.deepEqual(store.environments('shop'), [])
})

test('deployAsync records like deploy and rejects like it', async () => {
  const store = new MemoryStore()
  const pending = platform.deployAsync(store, shop, { ...qa, at })
  assert.ok(pending instanceof Promise)
  const record = await pending
  assert.deepEqual(store.record(record.id), record)
  const sync = platform.deploy(new MemoryStore(), shop, { ...qa, at })
  assert.deepEqual(record.manifests, sync.manifests)
  const sam = { user: 'sam', groups: ['shop-team'] }
  const denied = { app: 'shop', env: 'production', envType: 'production', at, principal: sam }
  await assert.rejects(platform.deployAsync(store, shop, denied), failsWith('GOLDPATH_PERMISSION'))
})
