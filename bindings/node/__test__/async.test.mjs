// planAsync: off the JavaScript thread, several at once, same results as plan.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

import { Platform, GoldpathError } from '../goldpath.js'
import { platformDir, shopDir } from './helpers.mjs'

const shop = fs.readdirSync(shopDir).sort().map((f) => fs.readFileSync(path.join(shopDir, f), 'utf8'))

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
