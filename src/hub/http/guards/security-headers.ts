/**
 * Headers every response carries unless its route sets its own: no sniffing a JSON reply
 * or a stored file into something a browser would run, no framing, no referrer, nothing
 * read across origins. A route's page (dashboard, API docs) or a stored file replaces
 * the CSP with its own.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
});

/** The CSP of the hub's HTML pages: their own scripts only, no inline script, never framed. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The CSP of a stored file served to a browser: a sandbox with no script, so a job's
 * `.svg` or `.html` shows at most as a picture or text, never as a page of the hub's origin.
 */
export const FILE_CSP =
  "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'";
