import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { isMirrorError, mirrorError, toMirrorError } from '../../core/index.js';
import type { Hub } from '../create-hub.js';
import { registerApi } from '../api/index.js';
import { createLocalHubLink } from '../local-hub-link.js';
import { registerAgentLink } from '../../hub-link/index.js';
import { registerApiDocs } from './api-docs.js';
import { registerDashboard } from './dashboard.js';
import { registerEvents } from './events.js';
import { registerFiles } from './files.js';
import { registerGuards } from './guards/index.js';
import { registerJsonBodies } from './json-body.js';
import { refuse, routeOf } from './guards/refuse.js';
import { registerProxy } from './proxy.js';

/** One route the gateway serves: its method and its URL pattern (`/api/jobs/:id`). */
export interface GatewayRoute {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the gateway registered, in order (filled as plugins load: complete once ready). */
    readonly mirrorRoutes: readonly GatewayRoute[];
  }
}

/** Mirror's version, as the OpenAPI document states it. */
const MIRROR_VERSION = '0.1.0';

/**
 * The hub's HTTP gateway: the original's `/proxy`, the files `jobgetdata` points at,
 * the REST API, live events, what remote agents ask (`/agent`), behind one trust boundary
 * (guards/: hosts, cross-site requests, the two principals, body types).
 * Errors outside `/proxy` answer `{"error": {"code", "message"}}` with the catalog's
 * status. Slow clients are cut off (`http.*TimeoutMs`). Built without listening (tests
 * use `inject`).
 */
export async function createGateway(hub: Hub): Promise<FastifyInstance> {
  const { config } = hub;
  const { requestTimeoutMs, headersTimeoutMs, idleTimeoutMs } = config.http;
  const app = Fastify({
    bodyLimit: config.limits.uploadBytes,
    logger: false,
    connectionTimeout: idleTimeoutMs,
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout: requestTimeoutMs,
          headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
          // How often those two are checked: a tenth of the shorter, within 0.1 to 30 s.
          connectionsCheckingInterval: Math.max(
            100,
            Math.min(30_000, Math.min(headersTimeoutMs, requestTimeoutMs) / 10),
          ),
        },
        handler,
      ),
  });
  // Every route as registered (HEAD twins aside): what the attacker's suite walks.
  const routes: GatewayRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  app.decorate('mirrorRoutes', routes);
  registerGuards(app, {
    userToken: config.http.token,
    agentCredential: hub.agentCredential,
    listenHost: config.http.host,
    allowedHosts: config.http.allowedHosts,
    allowedOrigins: config.http.allowedOrigins,
    publicUrl: config.http.publicUrl,
  });
  registerJsonBodies(app);
  await app.register(multipart, {
    // The whole name a client gives, so the name rules judge it as given (never cut to its last part).
    preservePath: true,
    limits: { fileSize: config.limits.uploadBytes, files: 10_000 },
  });
  app.setNotFoundHandler((req, reply) =>
    refuse(
      req,
      reply,
      mirrorError('ROUTE_NOT_FOUND', { method: req.method, route: JSON.stringify(routeOf(req)) }),
    ),
  );
  app.setErrorHandler(async (err, _req, reply) => {
    const { status, code, message } = failureOf(err);
    await reply.code(status).send({ error: { code, message } });
  });
  await registerProxy(app, hub.rpc);
  registerFiles(app, hub);
  registerEvents(app, hub.events, {
    unsentBytes: config.limits.eventStreamBytes,
    streams: config.limits.eventStreams,
  });
  registerApi(app, hub, MIRROR_VERSION);
  registerApiDocs(app);
  registerDashboard(app);
  registerAgentLink(app, createLocalHubLink(hub, { seesRunDirs: false }), {
    store: hub.store,
    fileStore: hub.fileStore,
    tmpDir: join(config.workdir, 'tmp'),
    maxBytes: config.limits.uploadBytes,
  });
  return app;
}

/** The status and catalog error of a failure; Fastify's own client errors keep their status. */
function failureOf(err: unknown): { status: number; code: string; message: string } {
  if (isMirrorError(err)) return { status: err.status, code: err.code, message: err.message };
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const failure = mirrorError('BAD_REQUEST', { reason: (err as Error).message });
    return { status, code: failure.code, message: failure.message };
  }
  const failure = toMirrorError(err);
  return { status: failure.status, code: failure.code, message: failure.message };
}
