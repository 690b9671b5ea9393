// Each error code from a real bad input, with its fields.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError, ERROR_CODES, MemoryStore } from '../goldpath.js'
import { platformDir, web } from './helpers.mjs'

function nested(depth) {
  let value = 'x'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

const cases = [
  ['GOLDPATH_YAML', () => Platform.default().plan(['metadata: [1, 2\n'], { app: 'a' })],
  ['GOLDPATH_SCHEMA', () => Platform.default().plan([{ apiVersion: 'score.dev/v1b1', metadata: { name: 'web' } }], { app: 'a' })],
  ['GOLDPATH_NAME', () => Platform.default().plan([web()], { app: 'Bad App!' })],
  ['GOLDPATH_INVALID', () => Platform.load(platformDir).plan([web()], { app: 'a', envType: 'nowhere' })],
  ['GOLDPATH_PLACEHOLDER', () => Platform.default().plan([web().replace('cache.host', 'missing.host')], { app: 'a' })],
  ['GOLDPATH_LIMIT', () => Platform.default().plan([{ apiVersion: 'score.dev/v1b1', metadata: nested(80) }], { app: 'a' })],
  ['GOLDPATH_IO', () => Platform.load('/nonexistent/goldpath-platform')],
  ['GOLDPATH_NO_MATCH', () => Platform.fromDocuments([], { builtins: false }).plan([web()], { app: 'a' })],
  ['GOLDPATH_CYCLE', () => Platform.default().plan([linked('aa', 'bb'), linked('bb', 'aa')], { app: 'a' })],
  ['GOLDPATH_CONFLICT', () => Platform.default().plan([shared('aa', '6'), shared('bb', '7')], { app: 'a' })],
]

function linked(name, other) {
  return `apiVersion: score.dev/v1b1
metadata: {name: ${name}}
containers: {main: {image: nginx, variables: {PEER: "\${resources.peer.host}"}}}
service: {ports: {http: {port: 80}}}
resources: {peer: {type: service, params: {workload: ${other}}}}
`
}

function shared(name, version) {
  return `apiVersion: score.dev/v1b1
metadata: {name: ${name}}
containers: {main: {image: nginx}}
resources: {db: {type: postgres, id: main-db, params: {version: "${version}"}}}
`
}

for (const [code, run] of cases) {
  test(`${code} comes from a real bad input`, () => {
    assert.throws(run, (err) => {
      assert.ok(err instanceof GoldpathError, `${err}`)
      assert.ok(err instanceof Error)
      assert.equal(err.code, code, err.message)
      assert.ok(err.path === null || typeof err.path === 'string')
      assert.equal(err.location.path, err.path ?? '')
      assert.equal(err.kind, err.diagnostics[0].kind)
      assert.ok(err.diagnostics.length >= 1 && err.diagnostics[0].code === code)
      return true
    })
  })
}

test('errors name the file and the place', () => {
  assert.throws(() => Platform.default().plan(['', web().replace('name: web', 'name: Web')], { app: 'a' }), (err) => {
    assert.ok(err.diagnostics.length >= 1)
    return true
  })
  try {
    Platform.default().plan([{ apiVersion: 'score.dev/v1b1', metadata: { name: 'web' }, containers: { main: { image: 'nginx', variables: { PORT: 8080 } } } }], { app: 'a' })
    assert.fail('planned')
  } catch (err) {
    assert.equal(err.location.file, 'workloads[0]')
    assert.equal(err.path, 'containers.main.variables.PORT')
    assert.match(err.message, /workloads\[0\]/)
  }
})

test('the codes of later phases exist and other errors are not GoldpathErrors', () => {
  for (const code of ['GOLDPATH_POLICY', 'GOLDPATH_PERMISSION', 'GOLDPATH_STORE']) {
    assert.ok(ERROR_CODES.includes(code))
    assert.ok(new GoldpathError('refused', code) instanceof GoldpathError)
  }
  assert.equal(new Error('plain') instanceof GoldpathError, false)
  // A single input stands for a list of one (as in Python): here a path that does not exist.
  assert.throws(() => Platform.default().plan('not-a-file.yaml', { app: 'a' }), (err) => err instanceof GoldpathError && err.code === 'GOLDPATH_IO')
})

const cyclic = () => {
  const doc = { apiVersion: 'score.dev/v1b1', metadata: { name: 'web' }, containers: { main: { image: 'nginx' } } }
  doc.containers.main.self = doc
  return doc
}
const throwing = () => {
  const doc = { apiVersion: 'score.dev/v1b1', containers: { main: { image: 'nginx' } } }
  Object.defineProperty(doc, 'metadata', { enumerable: true, get() { throw new Error('getter says no') } })
  return doc
}
const proxied = () => new Proxy({}, { ownKeys() { throw new Error('trap says no') } })

for (const [what, make, code] of [
  ['a cycle', cyclic, 'GOLDPATH_LIMIT'],
  ['NaN', () => ({ apiVersion: 'score.dev/v1b1', metadata: { name: 'web' }, containers: { main: { image: 'nginx', variables: { N: NaN } } } }), 'GOLDPATH_SCHEMA'],
  ['a BigInt', () => ({ apiVersion: 'score.dev/v1b1', metadata: { name: 'web' }, containers: { main: { image: 'nginx', variables: { N: 1n } } } }), 'GOLDPATH_SCHEMA'],
  ['a throwing getter', throwing, 'GOLDPATH_SCHEMA'],
  ['a throwing proxy', proxied, 'GOLDPATH_SCHEMA'],
  ['a Date', () => ({ apiVersion: 'score.dev/v1b1', metadata: { name: 'web', at: new Date(0) } }), 'GOLDPATH_SCHEMA'],
  ['a Store inside a workload (only a plan\'s options.store may hold one)', () => ({ apiVersion: 'score.dev/v1b1', metadata: { name: 'web', store: MemoryStore() } }), 'GOLDPATH_SCHEMA'],
]) {
  test(`${what} in an input is a GoldpathError (${code}) naming its place`, async () => {
    const check = (err) => {
      assert.ok(err instanceof GoldpathError, String(err))
      assert.equal(err.code, code, err.message)
      assert.equal(err.location.file, 'workloads[0]')
      return true
    }
    assert.throws(() => Platform.default().plan([make()], { app: 'a' }), check)
    await assert.rejects(Platform.default().planAsync([make()], { app: 'a' }), check)
  })
}

test('a wrong argument type is a GoldpathError too', () => {
  assert.throws(() => Platform.default().plan([], { app: 42 }), (err) => err instanceof GoldpathError && err.code === 'GOLDPATH_INVALID')
  assert.throws(() => Platform.load(42), (err) => err instanceof GoldpathError)
})
