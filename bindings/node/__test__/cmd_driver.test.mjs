// The `cmd` driver from JavaScript: deploy provisions and records its state; a plan with a
// store uses the recorded result and makes no call; `provision: true` calls the driver.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { Platform, MemoryStore } from '../goldpath.js'
import { repo } from './helpers.mjs'

/** A copy of fixtures/platform-drivers whose script keeps its databases in the copy. */
function example () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goldpath-cmd-'))
  for (const sub of ['platform', 'scripts', 'app']) {
    fs.cpSync(path.join(repo, 'fixtures', 'platform-drivers', sub), path.join(dir, sub), { recursive: true })
  }
  const definition = path.join(dir, 'platform', 'postgres-cmd.yaml')
  fs.writeFileSync(definition, fs.readFileSync(definition, 'utf8')
    .replace('/tmp/goldpath-example-databases', path.join(dir, 'databases')))
  return dir
}

const databases = (dir) => {
  const file = path.join(dir, 'databases', 'databases.json')
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}
}
const applies = (dir) => Object.values(databases(dir)).map((d) => d.applies)

test('deploy provisions and records; a plan with the store uses the recorded state', async () => {
  const dir = example()
  const platform = Platform.load(path.join(dir, 'platform'))
  const store = new MemoryStore()
  const app = fs.readFileSync(path.join(dir, 'app', 'score.yaml'), 'utf8')
  const where = { app: 'shop', env: 'dev', envType: 'development' }
  platform.createEnvironment(store, { ...where, at: '2026-12-01T10:00:00Z' })

  assert.throws(() => platform.plan([app], where), (e) => e.code === 'GOLDPATH_DRIVER' && /deploy to the environment first/.test(e.message))
  assert.deepEqual(applies(dir), [])

  const record = platform.deploy(store, [app], { app: 'shop', env: 'dev', at: '2026-12-01T10:01:00Z' })
  assert.deepEqual(applies(dir), [1])
  const driver = record.resources.find((r) => r.driver).driver
  assert.equal(driver.state.applies, 1)
  assert.equal(driver.secrets.password.key, 'password')

  const plan = platform.plan([app], { ...where, store })
  assert.match(plan.toYaml(), /db\.example\.internal/)
  assert.deepEqual(applies(dir), [1], 'the plan made no call')
  const later = await platform.planAsync([app], { ...where, store })
  assert.equal(later.toYaml(), plan.toYaml())
  assert.deepEqual(applies(dir), [1], 'planAsync with the store made no call')

  platform.plan([app], { ...where, provision: true })
  assert.deepEqual(applies(dir), [2])

  const again = platform.deploy(store, [app], { app: 'shop', env: 'dev', at: '2026-12-01T10:02:00Z' })
  assert.equal(again.resources.find((r) => r.driver).driver.state.applies, 2)

  platform.deleteEnvironment(store, { app: 'shop', env: 'dev' })
  assert.deepEqual(databases(dir), {})
  fs.rmSync(dir, { recursive: true, force: true })
})
