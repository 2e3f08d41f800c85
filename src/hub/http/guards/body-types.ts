import type { FastifyRequest } from 'fastify';
import { mirrorError, type MirrorError } from '../../../core/index.js';
import { routeOf } from './refuse.js';

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';
export const MULTIPART_TYPE = 'multipart/form-data';
export const OCTET_TYPE = 'application/octet-stream';

/** What a route declares in its config: the media types of the bodies it takes. */
export interface BodyTypes {
  /** Default: JSON only. An upload route names exactly what it documents. */
  readonly accepts?: readonly string[];
}

/**
 * Refuses, before any parsing, a body of a type its route does not take (415): JSON
 * routes take JSON only (no form a page elsewhere could post without asking), upload
 * routes exactly the types they document. A body with no type on a route that takes
 * raw bytes is raw bytes (`curl -T`). A request without a body passes.
 */
export function bodyTypeRefusal(req: FastifyRequest): MirrorError | undefined {
  if (!hasBody(req)) return undefined;
  const accepts = req.routeOptions.config.accepts ?? [JSON_TYPE];
  const header = req.headers['content-type'];
  const given = header?.split(';')[0]?.trim().toLowerCase();
  if (given === undefined || given === '') {
    if (accepts.includes(OCTET_TYPE)) {
      req.headers['content-type'] = OCTET_TYPE;
      return undefined;
    }
  } else if (accepts.includes(given)) return undefined;
  return mirrorError('MEDIA_TYPE_REFUSED', {
    route: `${req.method} ${routeOf(req)}`,
    accepted: accepts.join(' or '),
    given: given === undefined || given === '' ? 'a body without a content type' : given,
    hint:
      given === FORM_TYPE && accepts.includes(OCTET_TYPE)
        ? " (curl's --data-binary sends a form type: add -H 'content-type: application/octet-stream', or use -T FILE)"
        : '',
  });
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
