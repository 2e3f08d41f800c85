import { MirrorApiError } from './errors.js';
import { queryOf } from './query.js';

/** What a request carries: JSON, or bytes of a type, or a multipart form. */
export type RequestBody = { json: unknown } | { bytes: Uint8Array | Blob; type: string } | { form: FormData };

/** More of a request: headers of its own, a signal that aborts it. */
export interface RequestExtras {
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** Requests to one hub with its token; a failed answer throws MirrorApiError. */
export interface HubHttp {
  readonly request: (
    method: string,
    path: string,
    body?: RequestBody,
    extras?: RequestExtras,
  ) => Promise<Response>;
  readonly json: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  /**
   * `path` on the hub as a link a browser can follow by itself (a file, a download, an
   * event stream): the query's defined values and the token as `?token=`.
   */
  readonly link: (path: string, query?: object) => string;
}

/** `base` is the hub's address; '' is the page's own origin (the dashboard). */
export function hubHttp(base: string, token: string | undefined): HubHttp {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const request: HubHttp['request'] = async (method, path, body, extras = {}) => {
    const headers: Record<string, string> = { ...auth, ...extras.headers };
    let payload: RequestInit['body'];
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body && 'form' in body) {
      payload = body.form; // fetch writes the multipart boundary into the content type
    } else if (body) {
      headers['content-type'] = body.type;
      payload = body.bytes as RequestInit['body'];
    }
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      ...(extras.signal ? { signal: extras.signal } : {}),
    });
    if (!res.ok) throw await errorOf(res);
    return res;
  };
  return {
    request,
    json: async <T>(method: string, path: string, body?: unknown): Promise<T> =>
      (await request(method, path, body === undefined ? undefined : { json: body })).json() as Promise<T>,
    link: (path, query = {}) => {
      const text = queryOf({ ...query, ...(token ? { token } : {}) });
      return `${base}${path}${text === '' ? '' : `${path.includes('?') ? '&' : '?'}${text}`}`;
    },
  };
}

/**
 * The failure in an answer: the catalog's `{"error": {code, message}}`; a seed reply
 * `[-1, message]` (what `/proxy` answers to a body it cannot read) as code SEED; else
 * the text.
 */
async function errorOf(res: Response): Promise<MirrorApiError> {
  const text = await res.text();
  const fallback = text === '' ? `HTTP ${res.status}` : text;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } } | unknown[];
    if (Array.isArray(parsed)) return new MirrorApiError(res.status, 'SEED', String(parsed[1]));
    const error = parsed.error ?? {};
    return new MirrorApiError(res.status, error.code ?? 'HTTP', error.message ?? `HTTP ${res.status}`);
  } catch {
    return new MirrorApiError(res.status, 'HTTP', fallback);
  }
}
