// JavaScript drivers: registered by name, called with the request as plain data.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError } from '../goldpath.js'

const definition = (driver) => ({
  apiVersion: 'goldpath.dev/v1alpha1',
  kind: 'ResourceDefinition',
  metadata: { name: 'cache-by-js' },
  spec: { type: 'redis', driver, criteria: [{}], inputs: { values: { size: 'small' } } },
})

const workload = `apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx
    variables: {REDIS: "\${resources.cache.host}:\${resources.cache.port}", PASS: "\${resources.cache.password}"}
resources: {cache: {type: redis}}
`

test('a JavaScript driver provisions a resource in planAsync', async () => {
  const platform = Platform.fromDocuments([definition('js-cache')])
  const requests = []
  platform.registerDriver('js-cache', (request) => {
    requests.push(request)
    return {
      outputs: { host: `cache-${request.context.app}`, port: 6379 },
      secrets: { password: 'a-secret-from-js' },
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cache-js' }, data: { size: request.inputs.size } }],
    }
  })
  const plan = await platform.planAsync([workload], { app: 'shop' })
  assert.equal(requests.length, 1)
  assert.equal(requests[0].key, 'redis.default#web.cache')
  assert.equal(requests[0].definition, 'cache-by-js')
  const deployment = plan.manifests.find((m) => m.kind === 'Deployment')
  const env = deployment.spec.template.spec.containers[0].env
  assert.equal(env.find((e) => e.name === 'REDIS').value, 'cache-shop:6379')
  assert.ok(env.find((e) => e.name === 'PASS').valueFrom.secretKeyRef)
  assert.ok(plan.manifests.some((m) => m.kind === 'ConfigMap' && m.metadata.name === 'cache-js'))
  assert.ok(!JSON.stringify(plan.graph).includes('a-secret-from-js'))
})

test('a throwing JavaScript driver becomes a driver error naming the resource', async () => {
  const platform = Platform.fromDocuments([definition('js-broken')])
  platform.registerDriver('js-broken', () => {
    throw new Error('the cache service is down')
  })
  await assert.rejects(platform.planAsync([workload], { app: 'shop' }), (err) => {
    assert.ok(err instanceof GoldpathError)
    assert.equal(err.code, 'GOLDPATH_DRIVER')
    assert.match(err.message, /the cache service is down/)
    assert.match(err.message, /redis\.default#web\.cache|cache-by-js/)
    return true
  })
})

test('a synchronous plan calls a JavaScript driver on the calling thread', () => {
  const platform = Platform.fromDocuments([definition('js-sync')])
  let calls = 0
  platform.registerDriver('js-sync', () => {
    calls += 1
    return { outputs: { host: 'h', port: 1 }, secrets: { password: 'pw-from-sync-js' } }
  })
  const plan = platform.plan([workload], { app: 'shop' })
  assert.equal(calls, 1)
  const env = plan.manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0].env
  assert.equal(env.find((e) => e.name === 'REDIS').value, 'h:1')
})

test('a synchronous plan refuses a driver Promise; planAsync awaits it', async () => {
  const platform = Platform.fromDocuments([definition('js-promise')])
  platform.registerDriver('js-promise', async () => ({ outputs: { host: 'later', port: 2 }, secrets: { password: 'pw-async' } }))
  assert.throws(() => platform.plan([workload], { app: 'shop' }), (err) => {
    assert.ok(err instanceof GoldpathError)
    assert.equal(err.code, 'GOLDPATH_DRIVER')
    assert.match(err.message, /Promise/)
    return true
  })
  const plan = await platform.planAsync([workload], { app: 'shop' })
  const env = plan.manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0].env
  assert.equal(env.find((e) => e.name === 'REDIS').value, 'later:2')
})

test('a rejecting driver Promise is GOLDPATH_DRIVER, and the process lives on', async () => {
  const platform = Platform.fromDocuments([definition('js-reject')])
  platform.registerDriver('js-reject', () => Promise.reject(new Error('quota exceeded')))
  await assert.rejects(platform.planAsync([workload], { app: 'shop' }), (err) => {
    assert.ok(err instanceof GoldpathError)
    assert.equal(err.code, 'GOLDPATH_DRIVER')
    assert.match(err.message, /quota exceeded/)
    return true
  })
  // The synchronous plan drops the Promise it refuses without an unhandled rejection.
  assert.throws(() => platform.plan([workload], { app: 'shop' }), (err) => err.code === 'GOLDPATH_DRIVER')
  await new Promise((resolve) => setTimeout(resolve, 20))
})

test('an answer that is not plain data is the driver\'s error', async () => {
  const platform = Platform.fromDocuments([definition('js-nan')])
  platform.registerDriver('js-nan', () => ({ outputs: { host: 'h', port: NaN } }))
  assert.throws(() => platform.plan([workload], { app: 'shop' }), (err) => {
    assert.equal(err.code, 'GOLDPATH_DRIVER')
    assert.match(err.message, /NaN/)
    return true
  })
  await assert.rejects(platform.planAsync([workload], { app: 'shop' }), (err) => err.code === 'GOLDPATH_DRIVER')
})
