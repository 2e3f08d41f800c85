import type { FastifyRequest } from 'fastify';

export interface CrossSiteOptions {
  /** `http.allowedOrigins`: pages elsewhere that may call the hub. */
  readonly allowedOrigins: readonly string[];
  /** `http.publicUrl`, whose origin is the hub's own as browsers see it behind a proxy. */
  readonly publicUrl: string;
}

/**
 * Judges whether a request comes from a page the hub does not trust, as the browser
 * itself tells: `Sec-Fetch-Site` (which no page can forge) and `Origin`. Answers the
 * origin to name in the refusal, or undefined to let it through.
 *
 * - An `Origin` in `http.allowedOrigins` passes.
 * - `Sec-Fetch-Site: same-origin` or `none` (the user typed the URL) passes.
 * - `cross-site` or `same-site` (another port or name of the same host: another web
 *   server on this machine) is refused, except a top-level navigation to one of the
 *   hub's pages (`isPage`): following a link to the dashboard is fine, the page's CSP
 *   and its escaping make it safe, and it changes nothing.
 * - No `Sec-Fetch-Site` (scripts, the original's clients, old browsers): a foreign or
 *   `null` `Origin` is refused; none passes.
 */
export function crossSiteOrigin(
  req: FastifyRequest,
  options: CrossSiteOptions,
  isPage: boolean,
): string | undefined {
  const origin = single(req.headers.origin);
  if (origin !== undefined && options.allowedOrigins.includes(origin)) return undefined;
  const site = single(req.headers['sec-fetch-site']);
  if (site === 'same-origin' || site === 'none') return undefined;
  if (site !== undefined) {
    const navigation =
      single(req.headers['sec-fetch-mode']) === 'navigate' &&
      single(req.headers['sec-fetch-dest']) === 'document' &&
      (req.method === 'GET' || req.method === 'HEAD');
    return navigation && isPage ? undefined : (origin ?? `a ${site} page`);
  }
  if (origin === undefined) return undefined;
  return isOwnOrigin(origin, req.headers.host, options.publicUrl) ? undefined : origin;
}

/** True when `origin` names the host the request was sent to, or the hub's public URL. */
function isOwnOrigin(origin: string, host: string | undefined, publicUrl: string): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (publicUrl !== '' && URL.canParse(publicUrl) && new URL(publicUrl).origin === url.origin) return true;
  return (
    host !== undefined &&
    URL.canParse(`${url.protocol}//${host}`) &&
    new URL(`${url.protocol}//${host}`).host === url.host
  );
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
