// Times planning the synthetic application: goldpath's plan and planAsync from Node, the
// goldpath CLI, and the plain JavaScript pipeline. Usage (from the repository root, after a
// release build of the CLI and the addon):
//   python3 benches/gen_app.py 10000 /tmp/app10k
//   node benches/node/bench.js /tmp/app10k [runs]
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { Platform } = require('goldpath')
const pipeline = require('./pipeline.js')

const dir = process.argv[2]
const runs = Number(process.argv[3] ?? 3)
const cli = process.env.GOLDPATH_CLI ?? path.join(process.env.CARGO_TARGET_DIR ?? 'target', 'release', 'goldpath')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f))

async function time(label, work) {
  const seconds = []
  let size = 0
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    size = (await work()).length
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9)
  }
  seconds.sort((a, b) => a - b)
  console.log(`${label.padEnd(34)} median ${seconds[Math.floor(runs / 2)].toFixed(2)} s  min ${seconds[0].toFixed(2)} s  (${(size / 1e6).toFixed(1)} MB of YAML)`)
}

async function main() {
  const platform = Platform.default()
  const options = { app: 'bench', envType: 'development' }
  const read = () => files.map((f) => fs.readFileSync(f, 'utf8'))
  console.log(`${files.length} workloads, ${runs} runs each`)
  await time('goldpath CLI (goldpath render)', () => execFileSync(cli, ['render', dir, '--app', 'bench', '-o', '-'], { maxBuffer: 1 << 30 }))
  await time('Node plan + toYaml', () => platform.plan(read(), options).toYaml())
  await time('Node planAsync + toYaml', async () => (await platform.planAsync(read(), options)).toYaml())
  await time('plain JS pipeline (js-yaml + Ajv)', () => pipeline.plan(dir))
}

main().catch((err) => { console.error(err); process.exit(1) })
