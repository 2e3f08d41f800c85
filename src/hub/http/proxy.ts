import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { fail, mirrorError, toMirrorError, type Reply } from '../../core/index.js';
import type { Rpc } from '../../bus/index.js';
import { FORM_TYPE, JSON_TYPE, type BodyTypes } from './guards/index.js';

const PROXY_BODIES: BodyTypes = { accepts: [FORM_TYPE, JSON_TYPE] };

/**
 * The original's gateway: `GET /proxy/<service>-<method>?<kwargs>` (and POST with a form
 * or JSON body) calls the seed service and answers its `[code, value]` as JSON, with
 * HTTP 200 whatever the code, as the original did. Arguments arrive as text and are
 * converted by the method's declared parameter types; a repeated, unknown, missing or
 * malformed one answers `[-1, "..."]` naming it, `__proto__` included. A body that
 * cannot be read at all keeps its HTTP status (400, 413) but answers in the same shape.
 */
export async function registerProxy(app: FastifyInstance, rpc: Rpc): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody);
    // Plain JSON.parse: a `__proto__` key is an own key like any other (an unknown argument).
    scope.removeContentTypeParser(JSON_TYPE);
    scope.addContentTypeParser(JSON_TYPE, { parseAs: 'string' }, (_req, text, done) => {
      try {
        done(null, text === '' ? {} : JSON.parse(text as string));
      } catch (err) {
        done(
          mirrorError('BAD_REQUEST', { reason: `the JSON body cannot be read: ${(err as Error).message}` }),
        );
      }
    });
    scope.setErrorHandler(async (err, _req, reply) => {
      const status = (err as { statusCode?: unknown }).statusCode;
      const failure = toMirrorError(err);
      const message =
        typeof status === 'number' && failure.code === 'INTERNAL'
          ? mirrorError('BAD_REQUEST', { reason: (err as Error).message }).message
          : failure.message;
      await reply.code(typeof status === 'number' ? status : failure.status).send([-1, message]);
    });
    const handle = async (path: string, kwargs: unknown): Promise<Reply<unknown>> => {
      try {
        const dash = path.lastIndexOf('-');
        if (dash < 1 || dash === path.length - 1)
          throw mirrorError('PROXY_PATH', { path: JSON.stringify(path) });
        return await rpc.call(path.slice(0, dash), path.slice(dash + 1), textArguments(kwargs), 'text');
      } catch (err) {
        return fail(err);
      }
    };
    scope.get<{ Params: { call: string } }>('/proxy/:call', (req) => handle(req.params.call, req.query));
    scope.post<{ Params: { call: string } }>('/proxy/:call', { config: PROXY_BODIES }, (req) =>
      handle(req.params.call, { ...asObject(req.query), ...asObject(req.body) }),
    );
  });
}

/**
 * Keyword arguments as text, as `/proxy` takes them: a key given twice is an error; a
 * JSON body's numbers become their decimal text (so `{"job_id": 1}` and `job_id=1` are
 * the same call); anything that is not text or a number is malformed. The result has
 * no prototype, so every name given (`__proto__` too) is an own key the service judges.
 */
function textArguments(kwargs: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(asObject(kwargs))) {
    if (name === 'token') continue;
    if (Array.isArray(value)) throw mirrorError('ARG_REPEATED', { name });
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = String(value);
    else if (typeof value === 'string') out[name] = value;
    else
      throw mirrorError('ARG_INVALID', {
        name,
        value: JSON.stringify(value) ?? String(value),
        expected: 'text or a number',
      });
  }
  return out;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
