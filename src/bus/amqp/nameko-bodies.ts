import type { ConsumeMessage } from 'amqplib';
import { bindArgs, fail, isMirrorError, type Reply, type ServiceDefinition } from '../../core/index.js';
import {
  describeError,
  incorrectSignature,
  malformedRequest,
  methodNotFound,
  type NamekoError,
} from './nameko-errors.js';

/** A reply's body as nameko sends it: `result` always present, `error` null on success. */
export interface ReplyBody {
  readonly result: unknown;
  readonly error: NamekoError | null;
}

/** A request's reply body: the seed verb's `[code, value]` as `result`, or a nameko error. */
export async function answerRequest(
  service: ServiceDefinition,
  method: string,
  content: Buffer,
): Promise<ReplyBody> {
  const definition = Object.prototype.hasOwnProperty.call(service.methods, method)
    ? service.methods[method]
    : undefined;
  if (!definition) return { result: null, error: methodNotFound(method) };
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
    return { result: await definition.call(bindArgs(definition.params, kwargs, 'json')), error: null };
  } catch (err) {
    if (isMirrorError(err, 'ARG_UNKNOWN') || isMirrorError(err, 'ARG_MISSING')) {
      return { result: null, error: incorrectSignature(`${method}() ${err.message}`) };
    }
    // A wrongly typed argument is the verb's own refusal, as the original answered it.
    return { result: fail(err), error: null };
  }
}

/** A Mirror caller's view of a reply: the result, or the error object in one line. */
export function replyOf(msg: ConsumeMessage): Reply<unknown> {
  try {
    const body = JSON.parse(msg.content.toString('utf8')) as { result?: unknown; error?: NamekoError | null };
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
