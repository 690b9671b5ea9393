// The Backstage catalog of a plan: entities as objects, catalog-info.yaml text (Python:
// tests/test_catalog.py).
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform } from '../goldpath.js'
import { platformDir, shopTexts } from './helpers.mjs'

const shop = shopTexts()
const options = { app: 'shop', envType: 'development', env: 'dev' }

test('the catalog has a System, Components and Resources, as objects and as YAML', () => {
  const plan = Platform.load(platformDir).plan(shop, options)
  const entities = plan.catalog()
  assert.deepEqual(entities.slice(0, 3).map((e) => `${e.kind}/${e.metadata.name}`), ['System/shop', 'Component/backend', 'Component/frontend'])
  const named = plan.catalog({ namespace: 'shop', owner: 'user:jane', lifecycle: 'experimental' })
  assert.equal(named[0].spec.owner, 'user:shop/jane')
  assert.match(plan.catalogYaml(), /^---\napiVersion: backstage.io\/v1alpha1\nkind: System\n/)
})
