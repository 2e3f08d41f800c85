/** A failure the hub answered: its HTTP status and the catalog's code and message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What requests carry: the hub's token, if any. */
export interface Http {
  /** `path` on this hub as a link (a file, a download, an event stream): the token as `?token=`. */
  readonly link: (path: string, query?: Record<string, string | number | undefined>) => string;
  /** Sends a request with the token; a non-2xx answer throws ApiError. */
  readonly request: (method: string, path: string, body?: BodyInit, type?: string) => Promise<Response>;
  readonly json: <T>(method: string, path: string, body?: unknown) => Promise<T>;
}

/** Requests to the page's own hub, authenticated with `token` ('' for none). */
export function createHttp(token: string): Http {
  const headers: Record<string, string> = token === '' ? {} : { authorization: `Bearer ${token}` };
  const link: Http['link'] = (path, query = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    if (token !== '') params.set('token', token);
    const text = params.toString();
    return text === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${text}`;
  };
  const request: Http['request'] = async (method, path, body, type) => {
    const res = await fetch(path, {
      method,
      headers: type === undefined ? headers : { ...headers, 'content-type': type },
      ...(body !== undefined ? { body } : {}),
    });
    if (!res.ok) throw await errorOf(res);
    return res;
  };
  return {
    link,
    request,
    json: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await (body === undefined
        ? request(method, path)
        : request(method, path, JSON.stringify(body), 'application/json'));
      return (await res.json()) as T;
    },
  };
}

/** The catalog error in a failed answer (`{"error": {code, message}}`), or its text. */
async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } } | unknown[];
    if (Array.isArray(parsed)) return new ApiError(res.status, 'SEED', String(parsed[1]));
    const error = parsed.error ?? {};
    return new ApiError(res.status, error.code ?? 'HTTP', error.message ?? `HTTP ${res.status}`);
  } catch {
    return new ApiError(res.status, 'HTTP', text === '' ? `HTTP ${res.status}` : text);
  }
}
