import { MirrorError } from './mirror-error.js';

/**
 * A seed service's reply: `[0, value]` on success, `[-1, message]` on failure, the
 * same over RPC and `/proxy`. Built only here.
 */
export type Reply<T> = readonly [0, T] | readonly [-1, string];

export function ok<T>(value: T): Reply<T> {
  return [0, value];
}

/** The failure reply for an error: a catalog error's own message, else an internal one. */
export function fail(err: unknown): Reply<never> {
  return [-1, toMirrorError(err).message];
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
