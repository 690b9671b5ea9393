// The package's boundary. Every value a caller passes reaches the native side as plain data
// (strings, finite numbers, booleans, null, arrays and plain objects), and every error that
// leaves the package is a GoldpathError with a GOLDPATH_* code: cycles, NaN, BigInt, throwing
// getters and proxies included. JavaScript drivers are wrapped the same way: their answers
// (or what their Promises resolve to) become plain data inside the driver call, so a bad
// answer is the driver's error (GOLDPATH_DRIVER).
'use strict'

// The most values and the deepest nesting one argument may have; the engine's own limits
// (64 levels, 250,000 nodes by default) then apply to what passes; these only keep the copy
// itself bounded (an object shared many times).
const MAX_NODES = 4000000
const MAX_DEPTH = 1000

// The names of each operation's arguments, for diagnostics (`workloads[1].metadata`).
const ARGUMENT_NAMES = {
  plan: ['workloads', 'options'],
  planAsync: ['workloads', 'options'],
  deploy: ['store', 'workloads', 'options'],
  deployAsync: ['store', 'workloads', 'options'],
  fromDocuments: ['documents', 'options'],
  session: ['workloads', 'options'],
  update: ['workload'],
  updateAsync: ['workload'],
  remove: ['name'],
}

// Arguments that are lists of inputs: a single input stands for a list of one, as in Python.
const LISTS = new Set(['workloads', 'documents'])

function makeBoundary(GoldpathError, nativeClasses) {
  const blank = (file, path) => ({ file, line: null, column: null, path })

  function fail(code, message, file = null, path = '') {
    const where = [file, path].filter(Boolean).join(': ')
    return new GoldpathError(where ? `${where}: ${message}` : message, code, blank(file, path))
  }

  function toGoldpath(err) {
    if (err instanceof GoldpathError) return err
    if (err instanceof RangeError) return fail('GOLDPATH_LIMIT', `the value is too large or too deep: ${err.message}`)
    const message = err instanceof Error ? err.message : String(err)
    return fail('GOLDPATH_INVALID', message)
  }

  function joinPath(path, key) {
    if (typeof key === 'number') return `${path}[${key}]`
    const word = /^[A-Za-z0-9_-]+$/.test(key)
    if (!word) return `${path}[${JSON.stringify(key)}]`
    return path ? `${path}.${key}` : key
  }

  // A plain copy of `value`, or a GoldpathError naming the source and the path.
  function plain(value, source) {
    const state = { nodes: 0, stack: new Set() }
    try {
      return copy(value, source, '', 0, state)
    } catch (err) {
      if (err instanceof GoldpathError) throw err
      if (err instanceof RangeError) throw fail('GOLDPATH_LIMIT', `nested too deeply: ${err.message}`, source)
      throw fail('GOLDPATH_SCHEMA', `reading the value failed: ${err instanceof Error ? err.message : String(err)}`, source)
    }
  }

  function copy(value, source, path, depth, state) {
    state.nodes += 1
    if (state.nodes > MAX_NODES) throw fail('GOLDPATH_LIMIT', `more than ${MAX_NODES} values: split the input`, source, path)
    if (depth > MAX_DEPTH) throw fail('GOLDPATH_LIMIT', `nested deeper than ${MAX_DEPTH} levels`, source, path)
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value
      case 'number':
        if (Number.isFinite(value)) return value
        throw fail('GOLDPATH_SCHEMA', `${value} has no YAML/JSON form: give a finite number`, source, path)
      case 'undefined':
        return null
      case 'bigint':
        throw fail('GOLDPATH_SCHEMA', 'a BigInt has no YAML/JSON form: give a number or a string', source, path)
      case 'object':
        if (value === null) return null
        // The one native value an argument may hold: the Store of a plan's options.
        if (source === 'options' && path === 'store' && depth === 1 && isNative(value)) return value
        return copyObject(value, source, path, depth, state)
      default:
        throw fail('GOLDPATH_SCHEMA', `a ${typeof value} has no YAML/JSON form: give plain data`, source, path)
    }
  }

  function copyObject(value, source, path, depth, state) {
    if (state.stack.has(value)) throw fail('GOLDPATH_LIMIT', 'the value refers to itself (a cycle): give a tree of plain data', source, path)
    state.stack.add(value)
    try {
      if (Array.isArray(value)) {
        return Array.from({ length: value.length }, (_, i) => copy(value[i], source, joinPath(path, i), depth + 1, state))
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) {
        const name = (proto && proto.constructor && proto.constructor.name) || 'object'
        throw fail('GOLDPATH_SCHEMA', `a ${name} is not plain data: give an object, an array, a string, a number, a boolean or null`, source, path)
      }
      const out = {}
      for (const key of Object.keys(value)) {
        const item = value[key]
        if (item === undefined) continue // as JSON: an undefined property is absent
        out[key] = copy(item, source, joinPath(path, key), depth + 1, state)
      }
      return out
    } finally {
      state.stack.delete(value)
    }
  }

  const isNative = (value) => nativeClasses.some((cls) => value instanceof cls)
  const isThenable = (value) => value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function'

  // A driver whose answer is plain data (or a Promise of it); a bad answer throws inside it.
  function driver(name, fn) {
    if (typeof fn !== 'function') throw fail('GOLDPATH_INVALID', `the driver \`${name}\` is not a function`)
    const where = `the answer of driver \`${name}\``
    return (request) => {
      const answer = fn(request)
      return isThenable(answer) ? Promise.resolve(answer).then((a) => plain(a, where)) : plain(answer, where)
    }
  }

  function argument(value, name) {
    if (isNative(value)) return value
    if (LISTS.has(name)) {
      const list = Array.isArray(value) ? value : [value]
      return list.map((item, i) => plain(item, `${name}[${i}]`))
    }
    return plain(value, name)
  }

  function convertArgs(method, args) {
    const names = ARGUMENT_NAMES[method] || []
    if (method === 'registerDriver') return [args[0], driver(args[0], args[1])]
    return args.map((value, i) => argument(value, names[i] || `argument ${i + 1} of ${method}`))
  }

  // `fn` with converted arguments and every error (thrown or rejected) as a GoldpathError.
  function guard(method, fn) {
    return function guarded(...args) {
      let result
      try {
        result = fn.apply(this, convertArgs(method, args))
      } catch (err) {
        // An operation that returns a Promise reports bad arguments by rejecting it too.
        if (method.endsWith('Async')) return Promise.reject(toGoldpath(err))
        throw toGoldpath(err)
      }
      return isThenable(result) ? Promise.resolve(result).catch((err) => { throw toGoldpath(err) }) : result
    }
  }

  // Guards every method of a native class's prototype in place, and returns a class whose
  // static methods (the native ones cannot be redefined) are guarded too; native instances
  // are `instanceof` it.
  function guardClass(cls) {
    const skip = new Set(['constructor', 'prototype', 'length', 'name', 'arguments', 'caller'])
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, name)
      if (skip.has(name) || !descriptor.configurable || typeof descriptor.value !== 'function') continue
      Object.defineProperty(cls.prototype, name, { ...descriptor, value: guard(name, descriptor.value) })
    }
    const facade = class extends cls {
      static [Symbol.hasInstance](value) {
        return value instanceof cls
      }
    }
    Object.defineProperty(facade, 'name', { value: cls.name })
    for (const name of Object.getOwnPropertyNames(cls)) {
      const descriptor = Object.getOwnPropertyDescriptor(cls, name)
      if (skip.has(name) || typeof descriptor.value !== 'function') continue
      const guarded = guard(name, descriptor.value)
      Object.defineProperty(facade, name, { value: (...args) => guarded.apply(cls, args), writable: true, configurable: true })
    }
    return facade
  }

  return { guard, guardClass, plain, toGoldpath }
}

module.exports = { makeBoundary }
