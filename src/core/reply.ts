import { MirrorError } from './mirror-error.js';

/**
 * A seed service's reply: `[0, value]` on success, `[-1, message]` on failure, the
 * same over RPC and `/proxy`. Built only here.
 */
export type Reply<T> = readonly [0, T] | readonly [-1, string];

export function ok<T>(value: T): Reply<T> {
  return [0, value];
}

/**
 * The failure reply for an error: a catalog error's own message, else an internal one.
 * The error itself rides along, unseen by JSON (a non-enumerable property), so whoever
 * gets the reply in this process, or across the bus (which carries it as data), can
 * act on its code: `errorOf(reply)`.
 */
export function fail(err: unknown): Reply<never> {
  const error = toMirrorError(err);
  const failure: Reply<never> = [-1, error.message];
  Object.defineProperty(failure, 'error', { value: error, enumerable: false });
  return failure;
}

/**
 * The error of a failure reply: the one `fail` attached (restored with its code after
 * crossing the bus), or, for a reply from elsewhere with only its message, ACTION_REFUSED
 * carrying that message. Undefined for a success.
 */
export function errorOf(reply: Reply<unknown>): MirrorError | undefined {
  if (reply[0] === 0) return undefined;
  const attached = (reply as { error?: unknown }).error;
  return attached instanceof MirrorError
    ? attached
    : new MirrorError('ACTION_REFUSED', { message: reply[1] });
}

/** Runs a service body and turns its outcome into a reply; never throws. */
export async function reply<T>(body: () => Promise<T> | T): Promise<Reply<T>> {
  try {
    return ok(await body());
  } catch (err) {
    return fail(err);
  }
}

/** Any thrown value as a MirrorError: catalog errors pass through, the rest become INTERNAL. */
export function toMirrorError(err: unknown): MirrorError {
  if (err instanceof MirrorError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new MirrorError('INTERNAL', { reason }, { cause: err });
}
