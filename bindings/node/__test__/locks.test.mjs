// Locked baselines through the Node binding: the namespace option cannot move the objects of an
// environment type that locks `namespace`.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError } from '../goldpath.js'

const locked = {
  apiVersion: 'goldpath.dev/v1alpha1',
  kind: 'EnvironmentType',
  metadata: { name: 'locked' },
  spec: { locked: ['namespace'] },
}
const web = 'apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main: {image: nginx:1.27}\n'
const context = { app: 'shop', env: 'prod', envType: 'locked' }

test('a namespace option that breaks the lock is a policy error', () => {
  const platform = Platform.fromDocuments([locked])
  assert.throws(
    () => platform.plan([web], { ...context, namespace: 'kube-system' }),
    (e) => {
      assert.ok(e instanceof GoldpathError, String(e))
      assert.equal(e.code, 'GOLDPATH_POLICY')
      assert.match(e.message, /locks `namespace`/)
      assert.match(e.message, /`shop-prod`/)
      return true
    },
  )
})

test("the type's own namespace passes the lock", () => {
  const platform = Platform.fromDocuments([locked])
  const plan = platform.plan([web], { ...context, namespace: 'shop-prod', createNamespace: true })
  const where = new Set(plan.manifests.map((m) => m.metadata.namespace ?? m.metadata.name))
  assert.deepEqual([...where], ['shop-prod'])
})
