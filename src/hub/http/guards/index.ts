import type { FastifyInstance } from 'fastify';
import { mirrorError } from '../../../core/index.js';
import { hostFilter } from './allowed-hosts.js';
import { bodyTypeRefusal } from './body-types.js';
import { crossSiteOrigin } from './cross-site.js';
import { principalRefusal, type Credentials } from './principals.js';
import { refuse, routeOf } from './refuse.js';
import { SECURITY_HEADERS } from './security-headers.js';

export { FORM_TYPE, JSON_TYPE, MULTIPART_TYPE, OCTET_TYPE, type BodyTypes } from './body-types.js';
export { checkListenAddress, isLoopback } from './listen-address.js';
export { principalOf, type Credentials, type Principal } from './principals.js';
export { FILE_CSP, PAGE_CSP, SECURITY_HEADERS } from './security-headers.js';

export interface GuardOptions extends Credentials {
  readonly listenHost: string;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly publicUrl: string;
}

/**
 * The gateway's trust boundary, one hook before every route (present and future, and
 * the unknown ones): the security headers; then, in order, a `Host` the hub does not
 * serve (421), a request a browser marks cross-site (403), the wrong principal's
 * credential or none (401), a body of a type the route does not take (415). Each is
 * refused before the body is read, in the route's own reply shape.
 */
export function registerGuards(app: FastifyInstance, options: GuardOptions): void {
  const hostAllowed = hostFilter({
    listenHost: options.listenHost,
    allowed: options.allowedHosts,
    publicUrl: options.publicUrl,
  });
  // A plain (not async) hook: it runs on every request, and the gateway's answer times are a figure.
  app.addHook('onRequest', (req, reply, done) => {
    for (const name in SECURITY_HEADERS) reply.header(name, SECURITY_HEADERS[name]);
    const host = req.headers.host;
    if (!hostAllowed(host)) {
      refuse(req, reply, mirrorError('HOST_REFUSED', { host: JSON.stringify(host ?? '') }));
      return;
    }
    const isPage = req.routeOptions.config.page === true;
    const origin = crossSiteOrigin(req, options, isPage);
    if (origin !== undefined) {
      refuse(req, reply, mirrorError('CROSS_SITE_REFUSED', { route: routeOf(req), origin }));
      return;
    }
    const unauthorized = principalRefusal(req, options);
    if (unauthorized !== undefined) {
      if (unauthorized.status === 401) reply.header('www-authenticate', 'Bearer realm="mirror"');
      refuse(req, reply, unauthorized);
      return;
    }
    const badBody = bodyTypeRefusal(req);
    if (badBody !== undefined) {
      refuse(req, reply, badBody);
      return;
    }
    done();
  });
}

// What a route may say of itself to the guards, in its `config`.
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types of the bodies the route takes (default JSON only). */
    accepts?: readonly string[];
    /** An HTML page of the hub: a link from elsewhere may open it. */
    page?: boolean;
  }
}
