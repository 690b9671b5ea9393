// Shared inputs of the tests: the repository's sample application and platform.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const platformDir = path.join(repo, 'fixtures', 'platform')
export const shopDir = path.join(repo, 'fixtures', 'shop')

/** The shop's Score files as YAML texts, in file name order. */
export const shopTexts = () => fs.readdirSync(shopDir).sort().map((f) => fs.readFileSync(path.join(shopDir, f), 'utf8'))

export const web = (extra = '') => `apiVersion: score.dev/v1b1
metadata:
  name: web
containers:
  main:
    image: nginx:1.27
    variables:
      REDIS: \${resources.cache.host}
service:
  ports:
    http: {port: 80, targetPort: 8080}
resources:
  cache: {type: redis}
${extra}`
