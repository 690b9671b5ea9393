// goldpath inside Backstage: a scaffolder action and a backend route handler.
'use strict'

const { createGoldpathPlanAction } = require('./action.js')
const { createGoldpathRouteHandler } = require('./route.js')

module.exports = { createGoldpathPlanAction, createGoldpathRouteHandler }
