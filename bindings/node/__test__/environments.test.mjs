// Environment identity and access (docs/environments.md): every write method × (the
// environment's stored type, a type the platform declares otherwise, a type the platform does
// not define, a namespace option), and the regressions of issue 12 findings 1 to 3.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { Platform, MemoryStore, DirStore, GoldpathError } from '../goldpath.js'
import { platformDir, shopDir } from './helpers.mjs'

const SEED = 'a-test-seed-of-at-least-32-bytes!!'
const T0 = '2026-11-23T09:00:00Z'
const T1 = '2026-11-23T10:00:00Z'
const pat = { user: 'pat', groups: ['platform-team'] }
const ada = { user: 'ada', groups: ['shop-team', 'release-managers'] }
const dan = { user: 'dan', groups: ['shop-team'] }
const sam = 'sam'
const shop = ['backend.score.yaml', 'frontend.score.yaml'].map((f) => fs.readFileSync(path.join(shopDir, f), 'utf8'))

// The sample platform declares production as production and has no type `retired`.
const platform = Platform.load(platformDir, { secretSeed: SEED })

// The platform the store was set up with: no declarations, and a type `retired`.
const setupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goldpath-setup-'))
for (const name of fs.readdirSync(platformDir)) {
  if (name !== 'environments.yaml') fs.copyFileSync(path.join(platformDir, name), path.join(setupDir, name))
}
fs.writeFileSync(
  path.join(setupDir, 'retired.yaml'),
  'apiVersion: goldpath.dev/v1alpha1\nkind: EnvironmentType\nmetadata: {name: retired}\nspec: {}\n',
)
const setup = Platform.load(setupDir, { secretSeed: SEED })

// `development`, `preview` (qa-light), `production` as qa-light and `old` (retired), each
// deployed once.
function world() {
  const store = new MemoryStore()
  for (const [env, envType] of [['development', 'development'], ['preview', 'qa-light'], ['production', 'qa-light'], ['old', 'retired']]) {
    setup.createEnvironment(store, { app: 'shop', env, envType, at: T0, principal: pat })
    setup.deploy(store, shop, { app: 'shop', env, at: T0, principal: pat })
  }
  return store
}

const writes = {
  deploy: (p, s, env, who, ns) => p.deploy(s, shop, { app: 'shop', env, at: T1, principal: who, namespace: ns }),
  rollback: (p, s, env, who) => p.rollback(s, { app: 'shop', env, to: s.history('shop', env)[0].id, at: T1, principal: who }),
  promote: (p, s, env, who) => p.promote(s, { app: 'shop', fromEnv: 'development', toEnv: env, at: T1, principal: who }),
  delete: (p, s, env, who) => p.deleteEnvironment(s, { app: 'shop', env, principal: who }),
  create: (envType) => (p, s, env, who) => p.createEnvironment(s, { app: 'shop', env, envType, at: T1, principal: who }),
  clone: (envType) => (p, s, env, who) =>
    p.createEnvironment(s, { app: 'shop', env, envType, cloneFrom: 'development', at: T1, principal: who }),
}

const OK = null
const table = [
  // The stored type decides: preview is qa-light.
  ['deploy stored', writes.deploy, 'preview', dan, undefined, OK],
  ['deploy stored, no right', writes.deploy, 'preview', sam, undefined, 'GOLDPATH_PERMISSION'],
  ['rollback stored', writes.rollback, 'preview', dan, undefined, OK],
  ['rollback stored, no right', writes.rollback, 'preview', sam, undefined, 'GOLDPATH_PERMISSION'],
  ['promote stored', writes.promote, 'preview', dan, undefined, OK],
  ['promote stored, no right', writes.promote, 'preview', sam, undefined, 'GOLDPATH_PERMISSION'],
  ['delete, not owner', writes.delete, 'preview', dan, undefined, 'GOLDPATH_PERMISSION'],
  ['delete, owner', writes.delete, 'preview', 'ada', undefined, OK],
  ['create', writes.create('qa-light'), 'fresh', dan, undefined, OK],
  ['clone without deployer on staging', writes.clone('staging'), 'fresh', dan, undefined, 'GOLDPATH_PERMISSION'],
  // Declared production, stored qa-light.
  ['deploy declared', writes.deploy, 'production', ada, undefined, 'GOLDPATH_INVALID'],
  ['rollback declared', writes.rollback, 'production', ada, undefined, 'GOLDPATH_INVALID'],
  ['promote declared', writes.promote, 'production', ada, undefined, 'GOLDPATH_INVALID'],
  ['create declared', writes.create('qa-light'), 'staging', pat, undefined, 'GOLDPATH_INVALID'],
  ['clone declared', writes.clone('qa-light'), 'staging', pat, undefined, 'GOLDPATH_INVALID'],
  ['delete declared', writes.delete, 'production', 'ada', undefined, OK],
  // A type the platform does not define.
  ['deploy unknown type', writes.deploy, 'old', pat, undefined, 'GOLDPATH_INVALID'],
  ['rollback unknown type', writes.rollback, 'old', pat, undefined, 'GOLDPATH_INVALID'],
  ['promote unknown type', writes.promote, 'old', pat, undefined, 'GOLDPATH_INVALID'],
  ['create unknown type', writes.create('nope'), 'x', pat, undefined, 'GOLDPATH_INVALID'],
  ['delete unknown type, owner', writes.delete, 'old', 'ada', undefined, 'GOLDPATH_INVALID'],
  ['delete unknown type, admin', writes.delete, 'old', pat, undefined, OK],
  // The namespace option.
  ['deploy into kube-system', writes.deploy, 'preview', pat, 'kube-system', 'GOLDPATH_INVALID'],
  ["deploy into another environment's namespace", writes.deploy, 'preview', dan, 'shop-development', 'GOLDPATH_INVALID'],
  ['deploy into its own namespace', writes.deploy, 'preview', dan, 'shop-preview', OK],
  // A namespace belongs to one environment.
  ['create in a taken namespace', writes.create('production'), 'production-eu', pat, undefined, 'GOLDPATH_STORE'],
]

const snapshot = (store) =>
  store.environments('shop').map((e) => [e, store.history('shop', e.name).map((h) => h.id)])

for (const [name, write, env, who, ns, want] of table) {
  test(`every write is admitted: ${name}`, () => {
    const store = world()
    const before = snapshot(store)
    if (want === OK) {
      write(platform, store, env, who, ns)
      return
    }
    assert.throws(
      () => write(platform, store, env, who, ns),
      (e) => e instanceof GoldpathError && e.code === want,
    )
    assert.deepEqual(snapshot(store), before, 'a refused write changed the store')
  })
}

test('finding 1: a declared environment is only created with its declared type', () => {
  const store = new MemoryStore()
  for (const who of [dan, pat]) {
    assert.throws(
      () => platform.createEnvironment(store, { app: 'shop', env: 'production', envType: 'qa-light', at: T1, principal: who }),
      /declares environment `production` of app `shop` with type `production`/,
    )
  }
  assert.deepEqual(store.environments('shop'), [])
  platform.deploy(store, shop, { app: 'shop', env: 'production', at: T1, principal: ada })
  const [production] = store.environments('shop')
  assert.equal(production.envType, 'production')
  assert.equal(production.namespace, 'shop-production')
  assert.equal(production.uid.length, 32)
})

test('finding 2: the namespace option cannot move a deploy into kube-system', async () => {
  const store = world()
  const options = { app: 'shop', env: 'preview', at: T1, principal: pat, namespace: 'kube-system', createNamespace: true }
  assert.throws(() => platform.deploy(store, shop, options), /namespace option `kube-system` would move its objects elsewhere/)
  await assert.rejects(platform.deployAsync(store, shop, options), (e) => e.code === 'GOLDPATH_INVALID')
  assert.equal(store.history('shop', 'preview').length, 1)
})

test('finding 3: a platform that does not define the stored type cannot deploy', () => {
  const store = world()
  const bare = Platform.default({ secretSeed: SEED })
  assert.throws(
    () => bare.deploy(store, shop, { app: 'shop', env: 'preview', at: T1 }),
    /type `qa-light`, which the platform in use does not define/,
  )
  assert.equal(store.history('shop', 'preview').length, 1)
})

test("a dir store clears dead writers' leftovers when opened", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goldpath-store-'))
  const record = platform.deploy(new DirStore(folder), shop, {
    app: 'shop',
    env: 'development',
    at: T1,
    principal: pat,
  })
  const leftover = path.join(folder, 'records', `${record.id}.tmp.4194303.0`)
  fs.writeFileSync(leftover, '{"format": ')
  new DirStore(folder)
  assert.equal(fs.existsSync(leftover), false)
})
