import type { ConsumeMessage } from 'amqplib';
import {
  bindArgs,
  errorCatalog,
  errorOf,
  fail,
  isMirrorError,
  mirrorError,
  MirrorError,
  type MirrorErrorData,
  type Reply,
  type ServiceDefinition,
} from '../../core/index.js';
import {
  describeError,
  incorrectSignature,
  malformedRequest,
  methodNotFound,
  type NamekoError,
} from './nameko-errors.js';

/**
 * A reply's body as nameko sends it: `result` always present, `error` null on success.
 * A failure also carries Mirror's own error as data (`mirror_error`: code, message,
 * params), which nameko's clients ignore and Mirror's restore, so a refusal arrives as
 * the same error it was where it was made.
 */
export interface ReplyBody {
  readonly result: unknown;
  readonly error: NamekoError | null;
  readonly mirror_error?: MirrorErrorData;
}

/** A request's reply body: the seed verb's `[code, value]` as `result`, or a nameko error. */
export async function answerRequest(
  service: ServiceDefinition,
  method: string,
  content: Buffer,
  source: 'json' | 'text' = 'json',
): Promise<ReplyBody> {
  const definition = Object.prototype.hasOwnProperty.call(service.methods, method)
    ? service.methods[method]
    : undefined;
  if (!definition) {
    const unknown = mirrorError('METHOD_UNKNOWN', { method, service: service.name });
    return { result: null, error: methodNotFound(method), mirror_error: unknown.toJSON() };
  }
  let request: { args?: unknown; kwargs?: unknown };
  try {
    request = JSON.parse(content.toString('utf8')) as typeof request;
  } catch {
    return { result: null, error: malformedRequest('Message is not JSON') };
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return { result: null, error: malformedRequest('Message is not a JSON object') };
  }
  if (!Array.isArray(request.args) || typeof request.kwargs !== 'object' || request.kwargs === null) {
    return { result: null, error: malformedRequest('Message missing `args` or `kwargs`') };
  }
  // Positional arguments fill the declared parameters in order, as Python calls do.
  const kwargs: Record<string, unknown> = { ...(request.kwargs as Record<string, unknown>) };
  const positional = request.args as unknown[];
  if (positional.length > definition.params.length) {
    return {
      result: null,
      error: incorrectSignature(
        `${method}() takes ${definition.params.length} arguments but ${positional.length} were given`,
      ),
    };
  }
  for (const [i, value] of positional.entries()) {
    const name = definition.params[i]?.name ?? '';
    if (Object.prototype.hasOwnProperty.call(kwargs, name)) {
      return {
        result: null,
        error: incorrectSignature(`${method}() got multiple values for argument '${name}'`),
      };
    }
    kwargs[name] = value;
  }
  try {
    const result = await definition.call(bindArgs(definition.params, kwargs, source));
    const refused = errorOf(result);
    return refused ? { result, error: null, mirror_error: refused.toJSON() } : { result, error: null };
  } catch (err) {
    if (isMirrorError(err, 'ARG_UNKNOWN') || isMirrorError(err, 'ARG_MISSING')) {
      return {
        result: null,
        error: incorrectSignature(`${method}() ${err.message}`),
        mirror_error: err.toJSON(),
      };
    }
    // A wrongly typed argument is the verb's own refusal, as the original answered it.
    const result = fail(err);
    return { result, error: null, mirror_error: errorOf(result)?.toJSON() };
  }
}

/**
 * The AMQP header a Mirror caller sets to say its arguments are text (from `/proxy`),
 * to be parsed by the method's parameter types; Python callers send typed JSON and no
 * such header.
 */
export const SOURCE_HEADER = 'mirror.source';

/** How a request's arguments are to be read: `text` when its caller said so, else JSON. */
export function sourceOf(msg: ConsumeMessage): 'json' | 'text' {
  const headers = msg.properties.headers;
  return headers !== undefined && Object.hasOwn(headers, SOURCE_HEADER) && headers[SOURCE_HEADER] === 'text'
    ? 'text'
    : 'json';
}

/**
 * A Mirror caller's view of a reply: the result, or Mirror's own error restored (code,
 * message, params) when the server sent it, else nameko's error object in one line.
 */
export function replyOf(msg: ConsumeMessage): Reply<unknown> {
  try {
    const body = JSON.parse(msg.content.toString('utf8')) as {
      result?: unknown;
      error?: NamekoError | null;
      mirror_error?: unknown;
    };
    const own = restoredError(body.mirror_error);
    if (own) return fail(own);
    if (body.error) return [-1, describeError(body.error)];
    const result = body.result;
    // Whoever answers on the broker: a reply that is not [code, value] is not passed on as one.
    if (!Array.isArray(result) || result.length !== 2 || typeof result[0] !== 'number') {
      return [-1, 'malformed reply'];
    }
    return result as unknown as Reply<unknown>;
  } catch {
    return [-1, 'malformed reply'];
  }
}

/** Mirror's error sent as data, rebuilt; undefined when there is none or it is not one. */
function restoredError(data: unknown): MirrorError | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { code, message } = data as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string' || !Object.hasOwn(errorCatalog, code)) {
    return undefined; // not one this Mirror knows: its message stands as it was sent
  }
  return MirrorError.fromJSON(data as MirrorErrorData);
}
