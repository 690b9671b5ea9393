// The PostgreSQL store from Node: `Store.postgres(url)` has the methods of the other stores,
// hides the URL's password, and refuses a malformed URL or another scheme. The cases that need
// a server run when GOLDPATH_TEST_PG_URL names one (`.ci/postgres.sh start DIR` prints it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

import { Platform, Store } from '../goldpath.js'
import { platformDir, shopDir } from './helpers.mjs'

const failsWith = (code, without) => (error) => {
  assert.equal(error.code, code, String(error))
  if (without) assert.ok(!String(error).includes(without), `${without} shows: ${error}`)
  return true
}

test('a malformed URL or another scheme is GOLDPATH_INVALID, without the password', () => {
  assert.throws(() => Store.postgres('postgres://app:hunter2secret@db:notaport/goldpath'), failsWith('GOLDPATH_INVALID', 'hunter2secret'))
  assert.throws(() => Store.postgres('mysql://db/goldpath'), failsWith('GOLDPATH_INVALID'))
  assert.throws(() => Store.postgres('some/folder'), failsWith('GOLDPATH_INVALID'))
  assert.throws(() => Store.postgres('postgres://app:hunter2secret@127.0.0.1:1/goldpath'), failsWith('GOLDPATH_IO', 'hunter2secret'))
})

/** The URL of a new schema of the test server, or null with the reason. */
const freshDatabase = () => {
  const url = process.env.GOLDPATH_TEST_PG_URL
  if (!url) return [null, 'GOLDPATH_TEST_PG_URL is not set: no PostgreSQL server to test against']
  const schema = `node_${randomBytes(6).toString('hex')}`
  try {
    execFileSync('psql', [url, '-qc', `CREATE SCHEMA ${schema}`])
  } catch (error) {
    return [null, `psql cannot create a schema: ${error.message}`]
  }
  return [`${url}${url.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`, null]
}

test('deploy, history and records through a database', (t) => {
  const [url, why] = freshDatabase()
  if (!url) return t.skip(why)
  const platform = Platform.load(platformDir, { secretSeed: 'a-test-seed-of-at-least-32-bytes!!' })
  const shop = ['backend.score.yaml', 'frontend.score.yaml'].map((f) => fs.readFileSync(path.join(shopDir, f), 'utf8'))
  const store = Store.postgres(url)
  const options = { app: 'shop', env: 'qa-42', principal: { user: 'ada', groups: ['shop-team'] } }
  const first = platform.deploy(store, shop, { ...options, at: '2026-11-23T10:00:00Z' })
  const second = platform.deploy(Store.postgres(url), shop, { ...options, at: '2026-11-23T11:00:00Z' })
  assert.equal(second.inputs.parent, first.id)
  assert.deepEqual(store.history('shop', 'qa-42').map((e) => e.id), [first.id, second.id])
  assert.equal(store.record(first.id).id, first.id)
  assert.equal(store.resolveId(second.id.slice(0, 8)), second.id)
  assert.deepEqual(store.environments('shop').map((e) => e.name), ['qa-42'])
})
