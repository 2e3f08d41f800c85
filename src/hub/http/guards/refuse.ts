import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MirrorError } from '../../../core/index.js';

/** The path of a request, without its query. */
export function routeOf(req: FastifyRequest): string {
  return req.url.split('?')[0] ?? req.url;
}

/**
 * Answers a request refused before it reached its route, with the error's status: as
 * `[-1, message]` on `/proxy` (the original's shape), `{"error": {code, message}}`
 * everywhere else.
 */
export function refuse(req: FastifyRequest, reply: FastifyReply, err: MirrorError): FastifyReply {
  const body = routeOf(req).startsWith('/proxy/')
    ? [-1, err.message]
    : { error: { code: err.code, message: err.message } };
  return reply.code(err.status).send(body);
}
