// The scaffolder action run with Backstage's own mock action context, its entities checked
// with Backstage's own entity validators, the route handler answering JSON, and the live
// preview keeping one session per application and environment.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fn } from 'jest-mock'

// Backstage's test utilities are written for jest: give them jest's own mock functions.
globalThis.jest = { fn }
const { createMockActionContext } = await import('@backstage/plugin-scaffolder-node-test-utils')
const catalogModel = await import('@backstage/catalog-model')
const { createGoldpathPlanAction, createGoldpathRouteHandler, createGoldpathPreviewHandler } = await import('../index.js')
const { Platform } = await import('goldpath')

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..')
const platformDir = path.join(repo, 'fixtures', 'platform')
const backendScore = fs.readFileSync(path.join(repo, 'fixtures', 'shop', 'backend.score.yaml'), 'utf8')

function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goldpath-backstage-'))
  fs.writeFileSync(path.join(dir, 'score.yaml'), backendScore)
  return dir
}

const validators = {
  System: catalogModel.systemEntityV1alpha1Validator,
  Component: catalogModel.componentEntityV1alpha1Validator,
  API: catalogModel.apiEntityV1alpha1Validator,
  Resource: catalogModel.resourceEntityV1alpha1Validator,
}

test('the goldpath:plan action outputs manifests, graph and valid catalog entities', async () => {
  const action = createGoldpathPlanAction({ platformDir, owner: 'group:default/shop-team' })
  const workspacePath = workspace()
  const ctx = createMockActionContext({ input: { scoreFile: 'score.yaml', app: 'shop', envType: 'development' }, workspacePath })
  await action.handler(ctx)
  const outputs = Object.fromEntries(ctx.output.mock.calls)
  assert.match(outputs.manifests, /kind: Deployment/)
  assert.ok(outputs.graph.nodes.some((n) => n.name === 'postgres.default#backend.db'))
  assert.equal(fs.readFileSync(path.join(workspacePath, 'manifests.yaml'), 'utf8'), outputs.manifests)
  assert.match(fs.readFileSync(path.join(workspacePath, 'catalog-info.yaml'), 'utf8'), /kind: Component/)
  const policy = catalogModel.EntityPolicies.allOf([
    new catalogModel.DefaultNamespaceEntityPolicy(),
    new catalogModel.FieldFormatEntityPolicy(),
    new catalogModel.NoForeignRootFieldsEntityPolicy(),
    new catalogModel.SchemaValidEntityPolicy(),
  ])
  assert.deepEqual(outputs.entities.map((e) => e.kind), ['System', 'Component', 'API', 'Resource'])
  for (const entity of outputs.entities) {
    assert.ok(await policy.enforce(entity), `${entity.kind} ${entity.metadata.name}`)
    assert.equal(await validators[entity.kind].check(entity), true, `${entity.kind} ${entity.metadata.name}`)
    for (const ref of [...(entity.spec.dependsOn ?? []), entity.spec.owner, entity.spec.system].filter(Boolean)) {
      assert.doesNotThrow(() => catalogModel.parseEntityRef(ref), ref)
    }
  }
})

test('the action refuses a Score file outside the workspace', async () => {
  const action = createGoldpathPlanAction({ platformDir })
  const ctx = createMockActionContext({ input: { scoreFile: '../../etc/passwd', app: 'shop', envType: 'development' }, workspacePath: workspace() })
  await assert.rejects(action.handler(ctx), /outside|not allowed/i)
})

function response() {
  const res = { statusCode: 0, body: undefined }
  res.status = (code) => { res.statusCode = code; return res }
  res.json = (body) => { res.body = body; return res }
  return res
}

test('the route handler answers plan, graph and explain as JSON, and errors as 422', async () => {
  const handler = createGoldpathRouteHandler({ platformDir })
  const ask = async (body) => { const res = response(); await handler({ body }, res); return res }
  const plan = await ask({ view: 'plan', score: backendScore, app: 'shop' })
  assert.equal(plan.statusCode, 200)
  assert.ok(plan.body.manifests.some((m) => m.kind === 'Deployment'))
  const graph = await ask({ view: 'graph', score: backendScore, app: 'shop' })
  assert.ok(graph.body.edges.some((e) => e.from === 'backend'))
  const explain = await ask({ view: 'explain', score: backendScore, app: 'shop', key: 'postgres.default#backend.db' })
  assert.equal(explain.statusCode, 200)
  assert.match(JSON.stringify(explain.body), /postgres-in-cluster/)
  const bad = await ask({ view: 'plan', score: backendScore, app: 'shop', envType: 'nowhere' })
  assert.equal(bad.statusCode, 422)
  assert.equal(bad.body.code, 'GOLDPATH_INVALID')
  assert.equal((await ask({ view: 'nothing' })).statusCode, 400)
})

test('the preview keeps one session per app and environment, each equal to a full plan', async () => {
  const handler = createGoldpathPreviewHandler({ platformDir })
  const ask = async (body) => { const res = response(); await handler({ body }, res); return res }
  const frontendScore = fs.readFileSync(path.join(repo, 'fixtures', 'shop', 'frontend.score.yaml'), 'utf8')
  const platform = Platform.load(platformDir)
  const full = (scores, envType) => platform.plan(scores, { app: 'shop', envType }).toYaml()

  const first = await ask({ app: 'shop', envType: 'staging', score: backendScore })
  assert.equal(first.statusCode, 200)
  assert.deepEqual(first.body.workloads, ['backend'])
  assert.equal(first.body.manifests, full([backendScore], 'staging'))
  const both = await ask({ app: 'shop', envType: 'staging', score: frontendScore })
  assert.deepEqual(both.body.workloads, ['backend', 'frontend'])
  assert.equal(both.body.manifests, full([backendScore, frontendScore], 'staging'))
  // An edit of the image replaces the workload of that name.
  const edited = backendScore.replace('backend:2.0.1', 'backend:2.1.0')
  const image = await ask({ app: 'shop', envType: 'staging', score: edited })
  assert.equal(image.body.manifests, full([edited, frontendScore], 'staging'))

  // Another environment has a session of its own.
  const dev = await ask({ app: 'shop', envType: 'development', score: backendScore })
  assert.deepEqual(dev.body.workloads, ['backend'])
  assert.equal(dev.body.manifests, full([backendScore], 'development'))

  // A failed edit answers 422 and the session keeps its last good plan.
  const broken = await ask({ app: 'shop', envType: 'staging', score: edited.replace('${resources.db.host}', '${resources.db.nothere}') })
  assert.equal(broken.statusCode, 422)
  assert.equal(broken.body.code, 'GOLDPATH_PLACEHOLDER')
  const removed = await ask({ app: 'shop', envType: 'staging', remove: 'frontend' })
  assert.deepEqual(removed.body.workloads, ['backend'])
  assert.equal(removed.body.manifests, full([edited], 'staging'))
  assert.equal((await ask({ app: 'shop', envType: 'staging', remove: 'frontend' })).statusCode, 422)
  assert.equal((await ask({ app: 'shop' })).statusCode, 400)
  assert.equal((await ask({ app: 'bank', envType: 'staging', remove: 'frontend' })).statusCode, 404)
})
