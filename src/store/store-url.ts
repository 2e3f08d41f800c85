import { mirrorError } from '../core/index.js';

/** Which backend a store URL names, and what it needs to open it. */
export type StoreTarget =
  | { readonly backend: 'sqlite'; readonly path: string }
  | { readonly backend: 'postgres'; readonly url: string };

/**
 * Reads a store URL: `sqlite:<path>` (`sqlite:///abs/path` also accepted;
 * `sqlite::memory:` for a private in-memory database) or `postgres://...` /
 * `postgresql://...`. Anything else is STORE_URL_INVALID naming the URL, password masked.
 */
export function parseStoreUrl(url: string): StoreTarget {
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') {
      throw mirrorError('STORE_URL_INVALID', { url, reason: 'no file path after "sqlite:"' });
    }
    return { backend: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { backend: 'postgres', url };
  throw mirrorError('STORE_URL_INVALID', {
    url: maskStoreUrl(url),
    reason: 'expected sqlite:<path>, postgres://... or postgresql://...',
  });
}

/** The URL with any password (`user:password@` or `password=`) replaced by `***`, for messages and logs. */
export function maskStoreUrl(url: string): string {
  return url
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#@]*@/, '$1***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}
