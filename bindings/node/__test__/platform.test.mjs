// Platform constructors and properties (Python: tests/test_platform.py).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

import { Platform, GoldpathError } from '../goldpath.js'
import { platformDir, shopTexts, web } from './helpers.mjs'

const shop = shopTexts()
const options = { app: 'shop', envType: 'development', env: 'dev' }

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

test('a secret seed removes the development warning and changes generated secrets', () => {
  const seeded = Platform.load(platformDir, { secretSeed: 'x'.repeat(32) })
  assert.deepEqual(seeded.warnings, [])
  const a = seeded.plan(shop, options).toYaml()
  const b = Platform.load(platformDir).plan(shop, options).toYaml()
  assert.notEqual(a, b)
})
