// The `goldpath:plan` scaffolder action: plans the template's Score file against a platform
// folder, writes the manifests and catalog-info.yaml into the workspace, and outputs the
// manifests, the graph and the catalog entities to the following steps.
'use strict'

const fs = require('node:fs/promises')
const path = require('node:path')
const { resolveSafeChildPath } = require('@backstage/backend-plugin-api')
const { createTemplateAction } = require('@backstage/plugin-scaffolder-node')
const { Platform } = require('goldpath')

/**
 * @param {{ platformDir: string, owner?: string }} options the platform folder the action
 *   plans against, and the default owner of catalog entities
 */
function createGoldpathPlanAction({ platformDir, owner }) {
  const platform = Platform.load(platformDir)
  return createTemplateAction({
    id: 'goldpath:plan',
    description: "Plans the template's Score file with goldpath: Kubernetes manifests, resource graph and Backstage entities.",
    schema: {
      input: {
        scoreFile: (z) => z.string().default('score.yaml').describe('The Score file, relative to the workspace'),
        app: (z) => z.string().describe('The application id'),
        envType: (z) => z.string().default('development').describe('The environment type'),
        env: (z) => z.string().optional().describe('The environment id (default: the environment type)'),
      },
      output: {
        manifests: (z) => z.string().describe('The manifests as YAML'),
        graph: (z) => z.object({}).passthrough().describe('The resource graph: nodes and edges'),
        entities: (z) => z.array(z.object({}).passthrough()).describe('The Backstage catalog entities'),
      },
    },
    async handler(ctx) {
      const { scoreFile, app, envType, env } = ctx.input
      const file = resolveSafeChildPath(ctx.workspacePath, scoreFile)
      const text = await fs.readFile(file, 'utf8')
      ctx.logger.info(`goldpath: planning ${scoreFile} for ${app} in ${envType}`)
      const plan = await platform.planAsync([text], { app, envType, env })
      plan.warnings.forEach((w) => ctx.logger.warn(`goldpath: ${w}`))
      const entities = plan.catalog({ owner })
      await fs.writeFile(path.join(ctx.workspacePath, 'manifests.yaml'), plan.toYaml())
      await fs.writeFile(path.join(ctx.workspacePath, 'catalog-info.yaml'), plan.catalogYaml({ owner }))
      ctx.output('manifests', plan.toYaml())
      ctx.output('graph', plan.graph)
      ctx.output('entities', entities)
    },
  })
}

module.exports = { createGoldpathPlanAction }
