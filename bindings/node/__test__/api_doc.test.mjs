// docs/api.md matches what the package exports: every name documented exists, every public
// name of the package and of Platform, Plan and Store is documented.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(import.meta.url)
const goldpath = require('../goldpath.js')
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const doc = readFileSync(path.join(repo, 'docs/api.md'), 'utf8')
const classes = { Platform: goldpath.Platform, Plan: goldpath.Plan, Session: goldpath.Session, Store: goldpath.Store }

// [top-level names, Class.member names] of the Node column of the doc's tables.
function documented() {
  const names = new Set()
  const members = new Set()
  // The operations start at the Platform section (the Inputs table names types, not names).
  for (const line of doc.slice(doc.indexOf('## Platform')).split('\n')) {
    const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim())
    if (!line.startsWith('|') || cells.length !== 4 || /^-+$/.test(cells[0])) continue
    for (const [, code] of cells[3].matchAll(/`([^`]+)`/g)) {
      const name = code.match(/^[A-Za-z_][A-Za-z0-9_.]*/)
      if (!name) continue
      const [head, member] = name[0].split('.')
      names.add(head)
      if (member) members.add(`${head}.${member}`)
    }
  }
  return { names, members }
}

// The public members of a class: prototype methods and getters, and static functions.
function publicMembers(cls) {
  const skip = new Set(['constructor', 'prototype', 'length', 'name', 'arguments', 'caller'])
  const found = new Set()
  // The exported class guards the native one (boundary.js): walk both.
  for (let c = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const n of Object.getOwnPropertyNames(c)) if (typeof c[n] === 'function') found.add(n)
    for (const n of Object.getOwnPropertyNames(c.prototype || {})) found.add(n)
  }
  return [...found].filter((n) => !skip.has(n))
}

test('every documented Node name exists', () => {
  const { names, members } = documented()
  for (const name of names) assert.ok(name in goldpath, name)
  for (const member of members) {
    const [cls, attr] = member.split('.')
    assert.ok(publicMembers(classes[cls]).includes(attr), member)
  }
})

test('every exported name is documented', () => {
  const { names, members } = documented()
  for (const name of Object.keys(goldpath)) assert.ok(names.has(name), name)
  for (const [clsName, cls] of Object.entries(classes)) {
    for (const attr of publicMembers(cls)) assert.ok(members.has(`${clsName}.${attr}`), `${clsName}.${attr}`)
  }
})

test('each error kind of the engine has its code', () => {
  assert.ok(goldpath.ERROR_KINDS.length >= 15)
  for (const { kind, code } of goldpath.ERROR_KINDS) {
    assert.equal(code, `GOLDPATH_${kind.toUpperCase().replace(/-/g, '_')}`)
    assert.ok(goldpath.ERROR_CODES.includes(code))
  }
})
