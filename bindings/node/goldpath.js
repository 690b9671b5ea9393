// The package's entry: the native classes (loaded by the generated index.js) and the error
// class their errors belong to.
'use strict'

const native = require('./index.js')
const { makeBoundary } = require('./boundary.js')

// Made from the engine's one list of error kinds (`ErrorKind::ALL`), plus the code of a bug.
const ERROR_KINDS = Object.freeze(native.errorKinds().map((k) => Object.freeze(k)))
const ERROR_CODES = Object.freeze([...ERROR_KINDS.map((k) => k.code), 'GOLDPATH_INTERNAL'])

/**
 * Every error goldpath throws or rejects with: an Error with `code`, `path`, `location` and
 * `diagnostics`. The native side creates them; `instanceof GoldpathError` recognises them.
 */
class GoldpathError extends Error {
  constructor(message, code = 'GOLDPATH_INTERNAL', location = { file: null, line: null, column: null, path: '' }) {
    super(message)
    const kind = code === 'GOLDPATH_INTERNAL' ? 'internal' : code.slice('GOLDPATH_'.length).toLowerCase().replace(/_/g, '-')
    const path = location.path === '' ? null : location.path
    this.name = 'GoldpathError'
    this.kind = kind
    this.code = code
    this.path = path
    this.location = location
    this.diagnostics = [{ kind, code, message, path, location }]
  }

  static [Symbol.hasInstance](value) {
    return value instanceof Error && value.name === 'GoldpathError' && ERROR_CODES.includes(value.code)
  }
}

// Every native method and function converts its arguments to plain data and throws or rejects
// with GoldpathErrors only (boundary.js).
const boundary = makeBoundary(GoldpathError, [native.Platform, native.Plan, native.Store, native.Session])
const Platform = boundary.guardClass(native.Platform)
const Plan = boundary.guardClass(native.Plan)
const Store = boundary.guardClass(native.Store)
const Session = boundary.guardClass(native.Session)

// Named one by one so that ESM `import { Platform } from 'goldpath'` sees them.
module.exports.Platform = Platform
module.exports.Plan = Plan
module.exports.Session = Session
module.exports.authorize = boundary.guard('authorize', native.authorize)
module.exports.Store = Store
module.exports.diff = boundary.guard('diff', native.diff)
// `new MemoryStore()`, `new DirStore(path)` and `new PgStore(url)`: a constructor returning an object makes `new`
// return that object, a native Store.
module.exports.MemoryStore = function MemoryStore() { return Store.memory() }
module.exports.DirStore = function DirStore(path) { return Store.dir(path) }
module.exports.PgStore = function PgStore(url) { return Store.postgres(url) }
module.exports.GoldpathError = GoldpathError
module.exports.ERROR_CODES = ERROR_CODES
module.exports.ERROR_KINDS = ERROR_KINDS
