// A plain JavaScript pipeline doing the job goldpath does for the synthetic application, with
// the usual libraries: js-yaml to read, Ajv (the Score schema) to validate, a topological sort
// of workloads and resources, placeholder substitution and object rendering, js-yaml to write.
// It knows the four resource types of the synthetic app and nothing else: a baseline, not a
// second engine.
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const yaml = require('js-yaml')
const Ajv2020 = require('ajv/dist/2020').default

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'score-v1b1.schema.json'), 'utf8'))

const PROVIDERS = {
  postgres: (id) => ({ host: `pg-${id}`, port: 5432, name: id, username: id, password: { secretKeyRef: { name: `pg-${id}`, key: 'password' } } }),
  redis: (id) => ({ host: `redis-${id}`, port: 6379 }),
  route: (id, params) => ({ host: params.host }),
  service: (id, params) => ({ host: params.workload, port: 80, name: params.workload }),
}

function load(dir) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  const validate = ajv.compile(schema)
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const doc = yaml.load(fs.readFileSync(path.join(dir, f), 'utf8'))
    if (!validate(doc)) throw new Error(`${f}: ${ajv.errorsText(validate.errors)}`)
    return doc
  })
}

function graph(workloads) {
  const nodes = new Map()
  const edges = new Map()
  const add = (name, value) => { if (!nodes.has(name)) { nodes.set(name, value); edges.set(name, new Set()) } }
  for (const w of workloads) {
    const name = w.metadata.name
    add(name, { workload: w })
    for (const [res, req] of Object.entries(w.resources ?? {})) {
      const key = `${req.type}.${req.class ?? 'default'}#${req.id ?? `${name}.${res}`}`
      add(key, { type: req.type, id: req.id ?? `${name}.${res}`, params: req.params ?? {} })
      edges.get(name).add(key)
      if (req.type === 'service') edges.get(name).add(req.params.workload)
    }
  }
  return { nodes, edges }
}

function topoSort({ nodes, edges }) {
  const indegree = new Map([...nodes.keys()].map((k) => [k, 0]))
  const dependents = new Map([...nodes.keys()].map((k) => [k, []]))
  for (const [from, tos] of edges) for (const to of tos) { indegree.set(from, indegree.get(from) + 1); dependents.get(to).push(from) }
  const ready = [...nodes.keys()].filter((k) => indegree.get(k) === 0).sort()
  const order = []
  while (ready.length) {
    const next = ready.shift()
    order.push(next)
    for (const d of dependents.get(next)) { indegree.set(d, indegree.get(d) - 1); if (indegree.get(d) === 0) ready.push(d) }
  }
  if (order.length !== nodes.size) throw new Error('cycle')
  return order
}

const PLACEHOLDER = /\$\{resources\.([a-z0-9-]+)\.([a-z0-9-]+)\}/g

function render(workload, outputs, keys) {
  const name = workload.metadata.name
  const containers = Object.entries(workload.containers).map(([cname, c]) => ({
    name: cname,
    image: c.image,
    env: Object.entries(c.variables ?? {}).sort().map(([k, v]) => {
      const whole = /^\$\{resources\.([a-z0-9-]+)\.([a-z0-9-]+)\}$/.exec(v)
      if (whole) {
        const out = outputs.get(keys[whole[1]])[whole[2]]
        if (out && out.secretKeyRef) return { name: k, valueFrom: { secretKeyRef: out.secretKeyRef } }
      }
      return { name: k, value: v.replace(PLACEHOLDER, (_, r, o) => String(outputs.get(keys[r])[o])) }
    }),
    resources: c.resources,
    readinessProbe: c.readinessProbe && { httpGet: c.readinessProbe.httpGet },
  }))
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'js-pipeline' }
  const objects = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } } }]
  if (workload.service) {
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { selector: labels, ports: Object.entries(workload.service.ports).map(([p, v]) => ({ name: p, port: v.port, targetPort: v.targetPort ?? v.port })) } })
  }
  return objects
}

/** Plans the Score files of `dir` and returns the YAML text. */
function plan(dir) {
  const workloads = load(dir)
  const g = graph(workloads)
  const outputs = new Map()
  const objects = []
  for (const key of topoSort(g)) {
    const node = g.nodes.get(key)
    if (node.workload) {
      const keys = Object.fromEntries(Object.entries(node.workload.resources ?? {}).map(([r, req]) => [r, `${req.type}.${req.class ?? 'default'}#${req.id ?? `${node.workload.metadata.name}.${r}`}`]))
      objects.push(...render(node.workload, outputs, keys))
    } else {
      outputs.set(key, PROVIDERS[node.type](node.id, node.params))
    }
  }
  return objects.map((o) => `---\n${yaml.dump(o, { sortKeys: true, noRefs: true })}`).join('')
}

module.exports = { plan }
