// planAsync: off the JavaScript thread, several at once, same results as plan (Python:
// tests/test_concurrency.py, plans from several threads).
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError } from '../goldpath.js'
import { platformDir, shopTexts } from './helpers.mjs'

const shop = shopTexts()

test('several planAsync calls at once give what plan gives', async () => {
  const platform = Platform.load(platformDir)
  const envTypes = ['development', 'qa-light', 'staging', 'production']
  const expected = envTypes.map((envType) => platform.plan(shop, { app: 'shop', envType }).toYaml())
  const plans = await Promise.all(
    [...envTypes, ...envTypes].map((envType) => platform.planAsync(shop, { app: 'shop', envType })),
  )
  assert.deepEqual(plans.map((p) => p.toYaml()), [...expected, ...expected])
})

test('planAsync rejects with a GoldpathError', async () => {
  await assert.rejects(Platform.load(platformDir).planAsync(shop, { app: 'shop', envType: 'nowhere' }), (err) => {
    assert.ok(err instanceof GoldpathError)
    assert.equal(err.code, 'GOLDPATH_INVALID')
    return true
  })
})
