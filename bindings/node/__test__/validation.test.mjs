// Issue 12's validation gaps through the Node binding: images and control characters in
// JavaScript objects reach the same rules as the CLI.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Platform } from '../goldpath.js'

const workload = (main) => ({
  apiVersion: 'score.dev/v1b1',
  metadata: { name: 'web' },
  containers: { main: { image: 'nginx:1.27', ...main } },
})

const plan = (doc) => Platform.default().plan([doc], { app: 'a' })

test('an image the kubelet refuses is GOLDPATH_INVALID naming the path', () => {
  for (const [image, words] of [
    ['ghcr.io/Acme/Web:1.0', 'lower-case'],
    [' nginx', 'white space'],
    ['nginx\u001b[2J', 'control character'],
  ]) {
    assert.throws(() => plan(workload({ image })), (err) => {
      assert.equal(err.code, 'GOLDPATH_INVALID')
      assert.match(err.message, /containers\.main\.image/)
      assert.ok(err.message.includes(words), err.message)
      assert.ok(!err.message.includes('\u001b'))
      return true
    })
  }
})

test('control characters in object values and keys are refused; tab and newline are values', () => {
  assert.throws(() => plan(workload({ args: ['ok', '\u0000'] })), /containers\.main\.args\[1\].*U\+0000/)
  assert.throws(() => plan(workload({ variables: { 'A\nB': 'x' } })), /rename it/)
  assert.ok(plan(workload({ variables: { PEM: 'a\nb\r\n' }, files: { '/etc/a': { content: 'a\tb\n' } } })))
})
