// The package's entry: the native classes (loaded by the generated index.js) and the error
// class their errors belong to.
'use strict'

const native = require('./index.js')

const ERROR_CODES = Object.freeze([
  'GOLDPATH_YAML', 'GOLDPATH_SCHEMA', 'GOLDPATH_NAME', 'GOLDPATH_INVALID',
  'GOLDPATH_PLACEHOLDER', 'GOLDPATH_LIMIT', 'GOLDPATH_IO', 'GOLDPATH_NO_MATCH',
  'GOLDPATH_CYCLE', 'GOLDPATH_CONFLICT', 'GOLDPATH_DRIVER', 'GOLDPATH_POLICY',
  'GOLDPATH_PERMISSION', 'GOLDPATH_STORE', 'GOLDPATH_CLUSTER', 'GOLDPATH_INTERNAL',
])

/**
 * Every error goldpath throws or rejects with: an Error with `code`, `path`, `location` and
 * `diagnostics`. The native side creates them; `instanceof GoldpathError` recognises them.
 */
class GoldpathError extends Error {
  constructor(message, code = 'GOLDPATH_INTERNAL', location = { file: null, line: null, column: null, path: '' }) {
    super(message)
    this.name = 'GoldpathError'
    this.code = code
    this.path = location.path
    this.location = location
    this.diagnostics = [{ code, message, location }]
  }

  static [Symbol.hasInstance](value) {
    return value instanceof Error && value.name === 'GoldpathError' && ERROR_CODES.includes(value.code)
  }
}

// Named one by one so that ESM `import { Platform } from 'goldpath'` sees them.
module.exports.Platform = native.Platform
module.exports.Plan = native.Plan
module.exports.Session = native.Session
module.exports.authorize = native.authorize
module.exports.Store = native.Store
module.exports.diff = native.diff
// `new MemoryStore()` and `new DirStore(path)`: a constructor returning an object makes `new`
// return that object, a native Store.
module.exports.MemoryStore = function MemoryStore() { return native.Store.memory() }
module.exports.DirStore = function DirStore(path) { return native.Store.dir(path) }
module.exports.GoldpathError = GoldpathError
module.exports.ERROR_CODES = ERROR_CODES
