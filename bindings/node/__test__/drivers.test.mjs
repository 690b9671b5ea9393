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

test('a JavaScript driver in a synchronous plan fails instead of hanging', () => {
  const platform = Platform.fromDocuments([definition('js-sync')])
  platform.registerDriver('js-sync', () => ({ outputs: { host: 'h', port: 1 } }))
  assert.throws(() => platform.plan([workload], { app: 'shop' }), (err) => {
    assert.equal(err.code, 'GOLDPATH_DRIVER')
    assert.match(err.message, /planAsync/)
    return true
  })
})
