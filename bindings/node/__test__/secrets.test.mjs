// The secret boundary through Node (issue 12, finding 6): a secret a JavaScript driver
// returns, or a secret input it receives, shown outside a Secret refuses the plan, and no
// error shows it.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError } from '../goldpath.js'

const HOST_SECRET = 'Js-host-secret-0123456789'
const INPUT_SECRET = 'Js-secret-input-9876543210'

const definition = {
  apiVersion: 'goldpath.dev/v1alpha1',
  kind: 'ResourceDefinition',
  metadata: { name: 'cache-by-js' },
  spec: { type: 'redis', driver: 'js-cache', criteria: [{}], inputs: { secrets: { token: INPUT_SECRET } } },
}

const workload = `apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx
    variables: {URL: "\${resources.cache.url}", PASS: "\${resources.cache.password}"}
resources: {cache: {type: redis}}
`

async function refusal(driver) {
  const platform = Platform.fromDocuments([definition])
  platform.registerDriver('js-cache', driver)
  let caught
  await assert.rejects(platform.planAsync([workload], { app: 'shop' }), (err) => {
    assert.ok(err instanceof GoldpathError)
    caught = err
    return true
  })
  return `${caught.message}\n${JSON.stringify(caught)}\n${String(caught.stack)}`
}

test('a host secret inside a longer output refuses the plan without showing it', async () => {
  const text = await refusal(() => ({
    outputs: { url: `redis://:${HOST_SECRET}@cache:6379` },
    secrets: { password: HOST_SECRET },
  }))
  assert.match(text, /redis\.default#web\.cache/)
  assert.match(text, /outputs\.url/)
  assert.ok(!text.includes(HOST_SECRET), text)
})

test('a secret input embedded in a ConfigMap refuses the plan without showing it', async () => {
  const text = await refusal((request) => ({
    outputs: { url: 'redis://cache:6379' },
    secrets: { password: HOST_SECRET },
    manifests: [{
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cache-js' },
      data: { url: `redis://:${request.secrets.token.split('').reverse().join('')}@cache` },
    }],
  }))
  assert.match(text, /ConfigMap `cache-js`/)
  assert.match(text, /data\.url/)
  assert.ok(!text.includes(INPUT_SECRET.split('').reverse().join('')), text)
  assert.ok(!text.includes(INPUT_SECRET), text)
})
