import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mirrorError } from '../../core/index.js';

/**
 * Token authentication: with a token configured, every route needs it — as
 * `Authorization: Bearer <token>`, an `X-Mirror-Token` header, or (for the original's
 * GET URLs) a `token` query parameter. Otherwise 401: `[-1, message]` on `/proxy`,
 * `{"error": {...}}` elsewhere.
 */
export function registerAuth(app: FastifyInstance, token: string): void {
  if (token === '') return;
  const expected = Buffer.from(token);
  app.addHook('onRequest', async (req, reply) => {
    const given = Buffer.from(tokenOf(req) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    const route = req.url.split('?')[0] ?? req.url;
    const err = mirrorError('UNAUTHORIZED', { route });
    reply.code(401).header('www-authenticate', 'Bearer realm="mirror"');
    await reply.send(
      route.startsWith('/proxy/') ? [-1, err.message] : { error: { code: err.code, message: err.message } },
    );
  });
}

function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  const header = req.headers['x-mirror-token'];
  if (typeof header === 'string') return header;
  const query = (req.query as Record<string, unknown> | undefined)?.['token'];
  return typeof query === 'string' ? query : undefined;
}

/** Loopback addresses: the only ones Mirror listens on without a token unless told to. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Refuses a listening address that is not loopback when there is no token (and no override). */
export function checkListenAddress(host: string, token: string, allowInsecure: boolean): void {
  if (token === '' && !allowInsecure && !isLoopback(host)) throw mirrorError('INSECURE_LISTEN', { host });
}
