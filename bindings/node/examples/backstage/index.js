// goldpath inside Backstage: a scaffolder action, a backend route handler and a live-preview
// route handler.
'use strict'

const { createGoldpathPlanAction } = require('./action.js')
const { createGoldpathRouteHandler } = require('./route.js')
const { createGoldpathPreviewHandler } = require('./preview.js')

module.exports = { createGoldpathPlanAction, createGoldpathRouteHandler, createGoldpathPreviewHandler }
