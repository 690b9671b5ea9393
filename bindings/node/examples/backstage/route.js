// A backend route handler (express-style `(req, res)`): POST a Score file and a context, get
// the plan, an explanation or the graph as JSON. Mount it in a backend plugin's router, e.g.
// `router.post('/plan', express.json(), createGoldpathRouteHandler({ platformDir }))`.
'use strict'

const { Platform, GoldpathError } = require('goldpath')

const VIEWS = {
  plan: (plan) => ({ manifests: plan.manifests, resources: plan.resources, warnings: plan.warnings }),
  graph: (plan) => plan.graph,
  explain: (plan, body) => plan.explain(String(body.key ?? '')),
}

/** @param {{ platformDir: string }} options */
function createGoldpathRouteHandler({ platformDir }) {
  const platform = Platform.load(platformDir)
  return async function goldpathRoute(req, res) {
    const body = req.body ?? {}
    const view = VIEWS[body.view ?? 'plan']
    if (!view || typeof body.score !== 'string' || typeof body.app !== 'string') {
      res.status(400).json({ error: 'send {view: plan|graph|explain, score: <Score YAML>, app, envType?, env?, key?}' })
      return
    }
    try {
      const plan = await platform.planAsync([body.score], { app: body.app, envType: body.envType, env: body.env })
      res.status(200).json(view(plan, body))
    } catch (err) {
      if (!(err instanceof GoldpathError)) throw err
      res.status(422).json({ error: err.message, code: err.code, path: err.path, location: err.location })
    }
  }
}

module.exports = { createGoldpathRouteHandler }
