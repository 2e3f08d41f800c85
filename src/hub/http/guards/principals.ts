import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { mirrorError, type MirrorError } from '../../../core/index.js';
import { routeOf } from './refuse.js';

/** What the two principals present: users the API token (none configured: anyone), agents their credential. */
export interface Credentials {
  /** `http.token`; empty means user routes are open (loopback only). */
  readonly userToken: string;
  /** The agent credential (`agent.credential`, or the one the hub generated). */
  readonly agentCredential: string;
}

export type Principal = 'user' | 'agent';

/** Which principal a route is for: agents under `/agent/`, users everywhere else. */
export function principalOf(route: string): Principal {
  return route === '/agent' || route.startsWith('/agent/') ? 'agent' : 'user';
}

/**
 * Why the request may not reach its route, or undefined. Agent routes take the agent
 * credential as `Authorization: Bearer` and nothing else (no user token, no anonymous
 * call, whatever `http.token` is). User routes never take the agent credential; with a
 * token configured they need it as `Authorization: Bearer`, `X-Mirror-Token`, or (for
 * the original's GET URLs) a `token` query parameter.
 */
export function principalRefusal(req: FastifyRequest, credentials: Credentials): MirrorError | undefined {
  const route = routeOf(req);
  const bearer = bearerOf(req);
  if (principalOf(route) === 'agent') {
    return matches(bearer, credentials.agentCredential)
      ? undefined
      : mirrorError('AGENT_UNAUTHORIZED', { route });
  }
  const given = [bearer, headerOf(req, 'x-mirror-token'), queryTokenOf(req)];
  if (given.some((value) => matches(value, credentials.agentCredential))) {
    return mirrorError('AGENT_CREDENTIAL_MISUSED', { route });
  }
  if (credentials.userToken === '') return undefined;
  const token = given.find((value) => value !== undefined);
  return matches(token, credentials.userToken) ? undefined : mirrorError('UNAUTHORIZED', { route });
}

/** Compares in constant time (over digests, so the length of the secret is not told either). */
function matches(given: string | undefined, secret: string): boolean {
  if (given === undefined || secret === '') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

function bearerOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
}

function headerOf(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function queryTokenOf(req: FastifyRequest): string | undefined {
  const query = req.query as Record<string, unknown> | undefined;
  const value = query !== undefined && Object.hasOwn(query, 'token') ? query['token'] : undefined;
  return typeof value === 'string' ? value : undefined;
}
