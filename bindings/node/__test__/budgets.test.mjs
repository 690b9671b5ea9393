// Budgets through the Node binding: objects are held to the same depth, node and size limits as
// YAML, and amplification is refused with GOLDPATH_LIMIT naming the resource (issue 12,
// findings 10, 13, 19).
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError } from '../goldpath.js'
import { platformDir } from './helpers.mjs'

const workload = (name, extra = {}) => ({
  apiVersion: 'score.dev/v1b1',
  metadata: { name },
  containers: { main: { image: 'nginx:1.27' } },
  ...extra,
})

const plan = (doc) => Platform.load(platformDir).plan([doc], { app: 'shop', env: 'dev', envType: 'development' })

function limitError(run, check = () => {}) {
  assert.throws(run, (err) => {
    assert.ok(err instanceof GoldpathError, `${err}`)
    assert.equal(err.code, 'GOLDPATH_LIMIT', err.message)
    check(err)
    return true
  })
}

test('finding 13: an object with 150,000 resources is refused by the node limit', () => {
  const resources = {}
  for (let i = 0; i < 150_000; i++) resources[`r${i}`] = { type: 'volume' }
  limitError(() => plan(workload('wide', { resources })), (err) => assert.match(err.message, /250000 nodes/))
})

test('a wide array and a long string are refused like YAML', () => {
  const wide = workload('wide')
  wide.containers.main.args = new Array(300_000).fill('x')
  limitError(() => plan(wide), (err) => assert.match(err.message, /nodes/))
  const big = workload('big')
  big.containers.main.variables = { BIG: 'z'.repeat(5 * 1024 * 1024) }
  limitError(() => plan(big), (err) => assert.equal(err.path, 'containers.main.variables.BIG'))
})

test('deep arrays and objects are refused like deep YAML', () => {
  let deep = 'x'
  for (let i = 0; i < 100; i++) deep = [deep]
  const doc = workload('deep')
  doc.containers.main.args = deep
  limitError(() => plan(doc), (err) => assert.match(err.message, /deeper than 64/))
})

test('an object that shares itself is refused, not expanded', () => {
  let shared = { leaf: 'x' }
  for (let i = 0; i < 40; i++) shared = { a: shared, b: shared }
  const bomb = workload('bomb', { resources: { db: { type: 'volume', params: { p: shared } } } })
  assert.throws(() => plan(bomb))
})

test('finding 10: a doubling chain of routes is a limit error naming the resource and path', () => {
  const resources = { r0: { type: 'route', params: { host: 'a'.repeat(16), port: 80 } } }
  for (let i = 1; i < 40; i++) {
    const prev = `\${resources.r${i - 1}.host}`
    resources[`r${i}`] = { type: 'route', params: { host: prev + prev, port: 80 } }
  }
  limitError(() => plan(workload('amp', { resources })), (err) => {
    assert.match(err.message, /route\.default#amp\.r17/)
    assert.equal(err.path, 'resources.r17.params.host')
  })
})

test('finding 19: 65 containers are refused', () => {
  const many = workload('many')
  for (let i = 1; i < 65; i++) many.containers[`c${i}`] = { image: 'nginx:1.27' } // with main: 65
  limitError(() => plan(many), (err) => assert.match(err.message, /65 containers/))
})
