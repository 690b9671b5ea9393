// `npm install` hook: builds the native addon with cargo when no prebuilt one is present.
// GOLDPATH_NODE_PROFILE=debug builds a debug addon (faster to build, what CI tests use);
// GOLDPATH_NODE_REBUILD=1 builds even when an addon exists.
'use strict'

const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')

function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') {
    const musl = !process.report?.getReport()?.header?.glibcVersionRuntime
    return `linux-${arch}-${musl ? 'musl' : 'gnu'}`
  }
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

function libraryName() {
  if (process.platform === 'win32') return 'goldpath_node.dll'
  if (process.platform === 'darwin') return 'libgoldpath_node.dylib'
  return 'libgoldpath_node.so'
}

const addon = path.join(root, `goldpath.${platformSuffix()}.node`)
if (fs.existsSync(addon) && !process.env.GOLDPATH_NODE_REBUILD) {
  process.exit(0)
}
const profile = process.env.GOLDPATH_NODE_PROFILE === 'debug' ? 'debug' : 'release'
const args = ['build', '--manifest-path', path.join(root, 'Cargo.toml'), '-p', 'goldpath-node']
if (profile === 'release') args.push('--release')
console.error(`goldpath: building the native addon (cargo ${args.join(' ')})`)
execFileSync('cargo', args, { stdio: 'inherit', cwd: root })
const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(root, process.env.CARGO_TARGET_DIR)
  : path.join(root, '..', '..', 'target')
fs.copyFileSync(path.join(targetDir, profile, libraryName()), addon)
console.error(`goldpath: wrote ${path.relative(process.cwd(), addon)}`)
