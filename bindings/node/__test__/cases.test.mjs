// The shared cases of bindings/cases/inputs.json: the Python tests run the same file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

import { Platform, GoldpathError, MemoryStore } from '../goldpath.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const { cases } = JSON.parse(readFileSync(path.join(repo, 'bindings/cases/inputs.json'), 'utf8'))

function input(item) {
  if ('path' in item) return path.join(repo, item.path)
  if ('text' in item) return item.text
  if ('json' in item) return JSON.stringify(item.json)
  return item.value
}

function run(c, operation) {
  try {
    const platform = c.platform === null ? Platform.default() : Platform.fromDocuments(c.platform.map(input))
    const { app, env, env_type: envType, store, provision } = c.context
    const options = { app, env, envType, provision, store: store === 'memory' ? new MemoryStore() : undefined }
    const workloads = c.workloads.map(input)
    const plan = operation === 'plan' ? platform.plan(workloads, options) : platform.session(workloads, options).plan
    const deployments = plan.manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name).sort()
    return { deployments }
  } catch (err) {
    assert.ok(err instanceof GoldpathError, `not a GoldpathError: ${err}`)
    // One serialized form of a diagnostic in both bindings.
    const first = err.diagnostics[0]
    assert.deepEqual(Object.keys(first).sort(), ['code', 'kind', 'location', 'message', 'path'])
    assert.equal(first.code, err.code)
    assert.equal(err.code, `GOLDPATH_${err.kind.toUpperCase().replace(/-/g, '_')}`)
    assert.deepEqual(Object.keys(first.location).sort(), ['column', 'file', 'line', 'path'])
    return { error: err.kind }
  }
}

// A session opens on the same inputs as a plan, with the same result.
for (const operation of ['plan', 'session']) {
  for (const c of cases) {
    test(`${operation}: ${c.name}`, () => {
      assert.deepEqual(run(c, operation), c.expect)
    })
  }
}
