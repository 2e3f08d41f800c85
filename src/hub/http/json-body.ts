import type { FastifyInstance } from 'fastify';
import { mirrorError } from '../../core/index.js';
import { JSON_TYPE } from './guards/index.js';

/** Thrown from inside JSON.parse's reviver, to tell a refused key from a syntax error. */
class RefusedKey extends Error {}

/**
 * A request's JSON body, or a BAD_REQUEST saying exactly what is wrong with it: empty,
 * not JSON (with the parser's reason), or holding a key that would reach into the hub's
 * objects (`__proto__`, or `constructor` with a `prototype`), refused wherever it is.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw mirrorError('BAD_REQUEST', { reason: 'the JSON body is empty' });
  try {
    return JSON.parse(text, (key, value: unknown) => {
      const constructorPrototype =
        key === 'constructor' &&
        typeof value === 'object' &&
        value !== null &&
        Object.hasOwn(value, 'prototype');
      if (key === '__proto__' || constructorPrototype) throw new RefusedKey(key);
      return value;
    });
  } catch (err) {
    if (err instanceof RefusedKey) {
      throw mirrorError('BAD_REQUEST', {
        reason: `the JSON body has a key ${JSON.stringify(err.message)}${err.message === 'constructor' ? ' with a prototype' : ''}, which is refused`,
      });
    }
    throw mirrorError('BAD_REQUEST', { reason: `the body is not JSON: ${(err as Error).message}` });
  }
}

/** Makes `parseJsonBody` the gateway's JSON parser. */
export function registerJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser(JSON_TYPE);
  app.addContentTypeParser(JSON_TYPE, { parseAs: 'string' }, (_req, text, done) => {
    try {
      done(null, parseJsonBody(text as string));
    } catch (err) {
      done(err as Error);
    }
  });
}
