import type { FastifyInstance } from 'fastify';
import type { Hub } from '../create-hub.js';
import { openApiDocument } from './openapi.js';
import { registerRoutes, type ApiRoute } from './route.js';
import { calcPackageRoutes } from './routes/calc-packages.js';
import { dispatchRoutes } from './routes/dispatch.js';
import { dispatchesRoutes } from './routes/dispatches.js';
import { jobActionRoutes } from './routes/job-actions.js';
import { jobRoutes } from './routes/jobs.js';
import { jobSeriesRoutes } from './routes/job-series.js';
import { machineRoutes } from './routes/machines.js';
import { projectRoutes } from './routes/projects.js';

/** Every `/api` route of the hub. */
export function apiRoutes(hub: Hub): ApiRoute[] {
  return [
    ...projectRoutes(hub),
    ...calcPackageRoutes(hub),
    ...dispatchRoutes(hub),
    ...dispatchesRoutes(hub),
    ...jobRoutes(hub),
    ...jobSeriesRoutes(hub),
    ...jobActionRoutes(hub),
    ...machineRoutes(hub),
  ];
}

/** Registers the REST API, its raw upload bodies and `/api/openapi.json`. */
export function registerApi(app: FastifyInstance, hub: Hub, version: string): void {
  const routes = apiRoutes(hub);
  app.addContentTypeParser(
    ['application/zip', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_req, body, done) => {
      done(null, body);
    },
  );
  registerRoutes(app, routes);
  const document = openApiDocument(routes, version);
  app.get('/api/openapi.json', () => Promise.resolve(document));
}

export { openApiDocument } from './openapi.js';
export { defineRoute, type ApiRoute } from './route.js';
