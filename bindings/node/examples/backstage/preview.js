// A live-preview route handler (express-style `(req, res)`): a portal POSTs the Score file
// being edited on every change and gets the whole application's plan back. One goldpath
// Session is kept per application and environment, so an edit replans what it changes (an
// image or a variable: that workload alone) instead of the whole application. Mount it with
// `router.post('/preview', express.json(), createGoldpathPreviewHandler({ platformDir }))`.
'use strict'

const { Platform, GoldpathError } = require('goldpath')

/** @param {{ platformDir: string }} options */
function createGoldpathPreviewHandler({ platformDir }) {
  const platform = Platform.load(platformDir)
  /** @type {Map<string, import('goldpath').Session>} */
  const sessions = new Map()

  // The session of the body's app and environment; the first Score file sent opens it (a
  // session, like a plan, holds at least one workload).
  function sessionFor(body) {
    const options = { app: body.app, envType: body.envType, env: body.env }
    const id = JSON.stringify([options.app, options.env ?? null, options.envType ?? null])
    const session = sessions.get(id)
    if (session || typeof body.score !== 'string') return { session }
    const opened = platform.session([body.score], options)
    sessions.set(id, opened)
    return { session: opened, plan: opened.plan }
  }

  return async function goldpathPreview(req, res) {
    const body = req.body ?? {}
    const edits = typeof body.score === 'string' || typeof body.remove === 'string'
    if (!edits || typeof body.app !== 'string') {
      res.status(400).json({ error: 'send {app, envType?, env?, score: <Score YAML>} or {app, envType?, env?, remove: <workload name>}' })
      return
    }
    try {
      const { session, plan: opened } = sessionFor(body)
      if (!session) {
        res.status(404).json({ error: `no preview of app ${body.app} in this environment: send a Score file first` })
        return
      }
      const plan = opened ?? (typeof body.score === 'string' ? await session.updateAsync(body.score) : session.remove(body.remove))
      res.status(200).json({ workloads: session.workloads, manifests: plan.toYaml(), violations: plan.violations, warnings: plan.warnings })
    } catch (err) {
      if (!(err instanceof GoldpathError)) throw err
      // The session keeps its last good plan: the preview shows the error beside it.
      res.status(422).json({ error: err.message, code: err.code, path: err.path, location: err.location })
    }
  }
}

module.exports = { createGoldpathPreviewHandler }
