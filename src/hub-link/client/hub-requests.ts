import { setTimeout as sleep } from 'node:timers/promises';
import { MirrorError, mirrorError, type MirrorErrorData } from '../../core/index.js';

export interface HubAddress {
  /** The hub's base URL, without a trailing slash. */
  readonly url: string;
  /** The agent credential the hub's `/agent` routes take (never a user token). */
  readonly credential: string;
  /** How long a request is retried while the hub cannot answer (down, restarting, its store away). */
  readonly retryMs: number;
}

export interface HubRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under `/agent`, e.g. `/jobs/7`. */
  readonly path: string;
  readonly json?: unknown;
  /** A raw body (blob uploads), made anew for each attempt. */
  readonly body?: () => { stream: ReadableStream<Uint8Array>; length: number };
  /**
   * Do not retry: a failure worth retrying is thrown as a RetryableFailure, and the
   * caller decides (a state change that may have been applied).
   */
  readonly once?: boolean;
}

/** Waits before the next attempt: 100 ms doubling to 2 s. */
const backoff = (attempt: number) => Math.min(2000, 100 * 2 ** attempt);

/**
 * One request to the hub's `/agent` routes. A hub that cannot be reached, or answers
 * 502/503/504, is asked again with backoff until `retryMs` has passed; then the last
 * failure is thrown (HUB_UNREACHABLE or the hub's own error). Any other error reply is
 * the hub's MirrorError, rebuilt with its code and message.
 */
export async function hubFetch(hub: HubAddress, request: HubRequest): Promise<Response> {
  const deadline = Date.now() + hub.retryMs;
  for (let attempt = 0; ; attempt++) {
    const failure = await attemptOnce(hub, request).catch((err: unknown) => err);
    if (failure instanceof Response) return failure;
    if (!(failure instanceof RetryableFailure) || request.once === true) throw failure;
    if (Date.now() >= deadline) throw failure.error;
    await sleep(Math.min(backoff(attempt), Math.max(0, deadline - Date.now())));
  }
}

/** A JSON request to the hub; answers the parsed reply. */
export async function hubJson<T>(hub: HubAddress, request: HubRequest): Promise<T> {
  const response = await hubFetch(hub, request);
  return (await response.json()) as T;
}

/** A failure worth another attempt, carrying the error to throw if none is left. */
export class RetryableFailure extends Error {
  constructor(readonly error: MirrorError) {
    super(error.message);
  }
}

async function attemptOnce(hub: HubAddress, request: HubRequest): Promise<Response> {
  const headers: Record<string, string> = {};
  headers['authorization'] = `Bearer ${hub.credential}`;
  let body: string | ReadableStream<Uint8Array> | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.body) {
    const raw = request.body();
    headers['content-type'] = 'application/octet-stream';
    headers['content-length'] = String(raw.length);
    body = raw.stream;
  }
  const what = `${request.method} /agent${request.path}`;
  let response: Response;
  try {
    response = await fetch(`${hub.url}/agent${request.path}`, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body, duplex: 'half' } : {}),
    });
  } catch (err) {
    const cause = (err as { cause?: { message?: string; code?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new RetryableFailure(mirrorError('HUB_UNREACHABLE', { url: hub.url, request: what, reason }));
  }
  if (response.ok) return response;
  const error = await errorOf(response, what);
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    throw new RetryableFailure(error);
  }
  throw error;
}

async function errorOf(response: Response, what: string): Promise<MirrorError> {
  const text = await response.text().catch(() => '');
  try {
    const data = (JSON.parse(text) as { error?: MirrorErrorData }).error;
    if (data && typeof data.code === 'string') return MirrorError.fromJSON(data);
  } catch {
    // Not JSON: a proxy in front of the hub, say.
  }
  return mirrorError('HUB_BUSY', { request: what, reason: `HTTP ${response.status} ${text.slice(0, 200)}` });
}
