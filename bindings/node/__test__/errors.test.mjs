// Each error code from a real bad input, with its fields.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform, GoldpathError, ERROR_CODES } from '../goldpath.js'
import { platformDir, web } from './helpers.mjs'

function nested(depth) {
  let value = 'x'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

const cases = [
  ['GOLDPATH_YAML', () => Platform.default().plan(['metadata: [1, 2'], { app: 'a' })],
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
      assert.equal(typeof err.path, 'string')
      assert.equal(err.location.path, err.path)
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
  assert.throws(() => Platform.default().plan('not an array', { app: 'a' }), (err) => !(err instanceof GoldpathError))
})
