// Access control and guardrails: authorize and Plan.violations.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError, authorize } from '../goldpath.js'
import { platformDir, shopTexts } from './helpers.mjs'

const platform = Platform.load(platformDir)
const shop = shopTexts()
const production = { app: 'shop', env: 'production', envType: 'production' }
const api = (image) => `apiVersion: score.dev/v1b1
metadata:
  name: api
containers:
  main:
    image: ${image}
`

test('authorize allows with the bindings that grant it', () => {
  const rita = { user: 'rita', groups: ['shop-team', 'release-managers'] }
  const decision = authorize(platform, rita, 'promote', production)
  assert.equal(decision.allowed, true)
  assert.equal(decision.binding, 'release-managers')
  assert.deepEqual(decision.bindings, ['release-managers', 'shop-developers'])
  assert.match(decision.reason, /deployer/)
})

test('authorize denies and says what is missing', () => {
  const decision = authorize(platform, { user: 'sam', groups: ['shop-team'] }, 'promote', production)
  assert.deepEqual(
    { allowed: decision.allowed, binding: decision.binding, bindings: decision.bindings },
    { allowed: false, binding: null, bindings: [] },
  )
  assert.match(decision.reason, /deployer on `production`/)
  assert.match(decision.reason, /`sam`/)
})

test('a string principal is a user without groups', () => {
  assert.equal(authorize(platform, 'ada', 'delete-environment', { app: 'shop' }).allowed, true)
  assert.equal(authorize(platform, 'eve', 'view', { app: 'shop' }).allowed, false)
  assert.equal(authorize(platform, 'ada', 'manage-platform').allowed, false)
  assert.equal(authorize(platform, { user: 'root', groups: ['platform-team'] }, 'manage-platform').allowed, true)
})

test('an unknown action is GOLDPATH_INVALID', () => {
  assert.throws(() => authorize(platform, 'ada', 'fly', { app: 'shop' }), (e) => {
    assert.ok(e instanceof GoldpathError)
    assert.equal(e.code, 'GOLDPATH_INVALID')
    assert.match(e.message, /fly/)
    return true
  })
})

test('violations name the rule, policy, workload, file and path', () => {
  const plan = platform.plan([api('postgres:latest')], production)
  const byRule = Object.fromEntries(plan.violations.map((v) => [v.rule, v]))
  const latest = byRule['forbid-latest-tag']
  assert.deepEqual(
    [latest.severity, latest.policy, latest.workload, latest.path],
    ['error', 'production-guardrails', 'api', '/containers/main/image'],
  )
  // A workload given as text is named by its place in the list, as in Python.
  assert.equal(latest.file, 'workloads[0]')
  assert.match(latest.message, /`latest` tag/)
  assert.equal(byRule['require-digest'].severity, 'warning')
})

test('violations of a clean plan are warnings', () => {
  const plan = platform.plan(shop, production)
  assert.deepEqual(plan.violations.map((v) => v.rule), Array(5).fill('require-digest'))
  assert.deepEqual(plan.violations.map((v) => v.workload), ['backend', 'backend', 'frontend', 'migrate', 'nightly-report'])
  assert.ok(plan.violations.every((v) => v.severity === 'warning'))
  const dev = Platform.default().plan([api('nginx:1.27')], { app: 'a', env: 'd', envType: 'development' })
  assert.deepEqual(dev.violations, [])
})
