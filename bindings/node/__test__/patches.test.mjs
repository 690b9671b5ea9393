// Workload patches through the Node binding (docs/patches.md): the production render of the
// sample application carries the platform's `production-workload` patch and is byte for byte the
// golden file that `goldpath render` writes (cli/tests/render.rs checks the CLI against it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

import { Platform, GoldpathError } from '../goldpath.js'
import { platformDir, repo, shopTexts } from './helpers.mjs'

const shop = shopTexts()
const golden = fs.readFileSync(path.join(repo, 'fixtures', 'golden', 'shop-production.yaml'), 'utf8')
const production = {
  apiVersion: 'goldpath.dev/v1alpha1',
  kind: 'EnvironmentType',
  metadata: { name: 'production' },
  spec: { namespace: 'shop-prod', replicas: 2, locked: ['replicas'] },
}
const patching = (name, update) => ({
  apiVersion: 'goldpath.dev/v1alpha1',
  kind: 'ResourceDefinition',
  metadata: { name },
  spec: { type: 'workload', driver: 'template', criteria: [{ app: 'shop' }], templates: { outputs: `update: ${update}` } },
})
const web = 'apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main: {image: nginx:1.27}\n'
const context = { app: 'shop', env: 'prod', envType: 'production' }

test('the patched production render is the bytes of the CLI', () => {
  const plan = Platform.load(platformDir).plan(shop, { app: 'shop', env: 'production', envType: 'production' })
  assert.equal(plan.toYaml(), golden)
  const backend = plan.manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'backend')
  assert.equal(backend.spec.template.spec.serviceAccountName, 'backend')
  assert.equal(backend.spec.template.spec.topologySpreadConstraints.length, 2)
  assert.equal(plan.explain('workload#backend').winner.name, 'production-workload')
})

test('a patch uses context.workload, and a locked field or a failing test is refused', () => {
  const sa = "[{op: add, path: '{{ context.workload.podSpecPath }}/serviceAccountName', value: '{{ context.workload.name }}-sa'}]"
  const plan = Platform.fromDocuments([production, patching('sa', sa)]).plan([web], context)
  const deployment = plan.manifests.find((m) => m.kind === 'Deployment')
  assert.equal(deployment.spec.template.spec.serviceAccountName, 'web-sa')
  const scale = Platform.fromDocuments([production, patching('scale-up', '[{op: replace, path: /spec/replicas, value: 5}]')])
  assert.throws(() => scale.plan([web], context), (e) => {
    assert.ok(e instanceof GoldpathError, String(e))
    assert.equal(e.code, 'GOLDPATH_POLICY')
    assert.match(e.message, /resource definition `scale-up`/)
    assert.match(e.message, /locks `replicas`/)
    return true
  })
  const check = Platform.fromDocuments([production, patching('checker', '[{op: test, path: /kind, value: CronJob}]')])
  assert.throws(() => check.plan([web], context), (e) => {
    assert.equal(e.code, 'GOLDPATH_INVALID')
    assert.match(e.message, /operation 0 \(`test` at `\/kind`\)/)
    return true
  })
})
