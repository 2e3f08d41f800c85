// The attacker's suite: every route the running gateway registered (never a hand-kept
// list: a route without an entry in the table fails here), in every deployment, tried
// with no credential, a wrong one, the other principal's, a cross-site browser request,
// a form body, a foreign Host, prototype names and traversal in every parameter. Each
// case asserts the exact refusal and that nothing changed.
import { beforeAll, describe, expect, it } from 'vitest';
import { describeIfAvailable } from '../support/required.js';
import { attempt, asUser, PROTOTYPE_NAMES } from './attempt.js';
import { deploymentKinds, type Deployment } from './deployments.js';
import { rawRequest } from './raw-request.js';
import { ROUTES, type RouteCase } from './route-table.js';

const kinds = await deploymentKinds();
const FORM = 'application/x-www-form-urlencoded';
const EVIL = 'http://evil.example';

/** Values that try to leave where a parameter points, as sent and as the route decodes them. */
const TRAVERSALS: readonly (readonly [string, string])[] = [
  ['..', '..'],
  ['..%2F..%2F..%2Fetc%2Fpasswd', '../../../etc/passwd'],
  ['%2e%2e%2f%2e%2e%2fetc%2fpasswd', '../../etc/passwd'],
  ['..%5C..%5Cwindows', '..\\..\\windows'],
];

const split = (key: string) => {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space), url: key.slice(space + 1) };
};
const pathOnly = (path: string) => path.split('?')[0] ?? path;
const isAgent = (url: string) => url.startsWith('/agent/');

for (const kind of kinds) {
  describeIfAvailable(`the gateway ${kind.name}`, kind.unavailable, () => {
    let d: Deployment;
    beforeAll(async () => {
      d = await kind.open();
    }, 60_000);

    it('has a table entry for every route it registered, and the table none it lacks', () => {
      const registered = d.app.mirrorRoutes.map((r) => `${r.method} ${r.url}`).sort();
      expect(registered).toEqual(Object.keys(ROUTES).sort());
    });

    describe.each(Object.entries(ROUTES))('%s', (key, route: RouteCase) => {
      const { method, url } = split(key);
      const agent = isAgent(url);
      const request = (headers: Record<string, string>, path = route.path(d.fixture)) => ({
        method,
        path,
        headers,
      });
      const unauthorized = () => {
        const path = pathOnly(route.path(d.fixture));
        return agent
          ? {
              status: 401,
              code: 'AGENT_UNAUTHORIZED',
              message: `missing or wrong agent credential for ${path} (agent routes take agent.credential, never a user token)`,
            }
          : { status: 401, code: 'UNAUTHORIZED', message: `missing or wrong token for ${path}` };
      };
      const own = () => (agent ? { authorization: `Bearer ${d.agentCredential}` } : asUser);
      const crossSite = (origin: string) => ({
        status: 403,
        code: 'CROSS_SITE_REFUSED',
        message: `cross-site browser request to ${pathOnly(route.path(d.fixture))} refused (from ${origin}); a page elsewhere may call the hub only if its origin is in http.allowedOrigins`,
      });

      it('refuses a request with no credential', async () => {
        await attempt(d, request({}), unauthorized());
      });

      it('refuses a wrong credential', async () => {
        await attempt(d, request({ authorization: 'Bearer wrong-credential' }), unauthorized());
        if (!agent) await attempt(d, request({ 'x-mirror-token': 'wrong-credential' }), unauthorized());
      });

      it('refuses the other principal’s credential', async () => {
        if (agent) {
          await attempt(d, request(asUser), unauthorized());
          await attempt(d, request({ 'x-mirror-token': 'security-suite-user-token' }), unauthorized());
          return;
        }
        const misused = {
          status: 401,
          code: 'AGENT_CREDENTIAL_MISUSED',
          message: `the agent credential is not accepted on ${pathOnly(route.path(d.fixture))}; callers use the user token (http.token)`,
        };
        await attempt(d, request({ authorization: `Bearer ${d.agentCredential}` }), misused);
        const path = route.path(d.fixture);
        const withQuery = `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(d.agentCredential)}`;
        await attempt(d, request({}, withQuery), misused);
      });

      it('refuses a cross-site browser request, with the right credential', async () => {
        const browser = { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };
        const fromEvil = { ...own(), ...browser, 'sec-fetch-site': 'cross-site', origin: EVIL };
        await attempt(d, request(fromEvil), crossSite(EVIL));
        // An <img> or a form: no Origin on a GET, only the browser's word that it is cross-site.
        const noCors = {
          ...own(),
          'sec-fetch-site': 'cross-site',
          'sec-fetch-mode': 'no-cors',
          'sec-fetch-dest': 'image',
        };
        await attempt(d, request(noCors), crossSite('a cross-site page'));
        // Another web server on this machine (another port) is same-site, not same-origin.
        const neighbour = `http://127.0.0.1:${d.port + 1}`;
        const sameSite = { ...own(), ...browser, 'sec-fetch-site': 'same-site', origin: neighbour };
        await attempt(d, request(sameSite), crossSite(neighbour));
        // A script that says where it comes from, without fetch metadata.
        await attempt(d, request({ ...own(), origin: EVIL }), crossSite(EVIL));
        await attempt(d, request({ ...own(), origin: 'null' }), crossSite('null'));
        if (route.page) {
          // Following a link to the page is fine: it is only shown, under its CSP.
          const link = {
            ...own(),
            'sec-fetch-site': 'cross-site',
            'sec-fetch-mode': 'navigate',
            'sec-fetch-dest': 'document',
          };
          const opened = await rawRequest(d.port, request(link));
          expect(opened.status).toBe(200);
          const csp = String(opened.headers['content-security-policy']).split(/;\s*/);
          expect(csp).toContain("frame-ancestors 'none'");
          expect(csp).toContain("script-src 'self'");
        }
      });

      it('refuses a form body, unless it is the original’s gateway', async () => {
        const accepts = route.accepts ?? ['application/json'];
        const path = pathOnly(route.path(d.fixture));
        if (accepts.includes(FORM)) {
          // /proxy reads a form as the call's arguments: the call itself answers.
          const res = await rawRequest(d.port, {
            method,
            path,
            headers: { ...own(), 'content-type': FORM },
            body: 'job_id=abc',
          });
          expect(res.status).toBe(200);
          expect(JSON.parse(res.text)).toEqual([-1, 'argument job_id: "abc" is not a positive integer']);
          return;
        }
        const hint = accepts.includes('application/octet-stream')
          ? " (curl's --data-binary sends a form type: add -H 'content-type: application/octet-stream', or use -T FILE)"
          : '';
        await attempt(
          d,
          {
            method,
            path: route.path(d.fixture),
            headers: { ...own(), 'content-type': FORM },
            body: 'a=1&b=2',
          },
          {
            status: 415,
            code: 'MEDIA_TYPE_REFUSED',
            message: `${method} ${path} takes ${accepts.join(' or ')}, not ${FORM}${hint}`,
          },
        );
      });

      it('refuses a Host it does not serve', async () => {
        for (const host of ['evil.example', `rebound.evil.example:${d.port}`]) {
          await attempt(d, request({ ...own(), host }), {
            status: 421,
            code: 'HOST_REFUSED',
            message: `host ${JSON.stringify(host)} is not one this hub serves (add it to http.allowedHosts if it should be)`,
          });
        }
      });

      const params = Object.entries(route.params ?? {});
      if (params.length > 0)
        it('answers prototype names in every path parameter as plain names', async () => {
          for (const [name, answer] of params) {
            for (const proto of PROTOTYPE_NAMES) {
              const values = name === 'call' ? [proto, `${proto}-do`, `job-${proto}`] : [proto];
              for (const value of values) {
                await attempt(
                  d,
                  request(own(), route.path(d.fixture, { [name]: value })),
                  answer(value, d.fixture),
                );
              }
            }
          }
        });

      if (params.length > 0)
        it('answers traversal in every path parameter without leaving it', async () => {
          for (const [name, answer] of params) {
            for (const [sent, decoded] of TRAVERSALS) {
              const res = await attempt(
                d,
                request(own(), route.path(d.fixture, { [name]: sent })),
                answer(decoded, d.fixture),
              );
              expect(res.text).not.toContain('precious');
              expect(res.text).not.toContain('root:x:0');
            }
          }
        });

      it('answers prototype names as query keys as it answers any unknown key', async () => {
        const path = route.path(d.fixture);
        const hostile = `${path}${path.includes('?') ? '&' : '?'}__proto__=1&constructor=2&toString=3`;
        if (route.query === 'refused') {
          await attempt(d, request(own(), hostile), {
            status: 400,
            code: 'API_INVALID',
            message:
              url === '/api/events'
                ? 'query parameter (all): unknown __proto__'
                : 'query parameter (all): unknown __proto__, constructor, toString',
          });
        } else if (route.query === 'arguments') {
          const message = 'unknown argument __proto__';
          await attempt(d, request(own(), hostile), { status: 200, code: '', message });
        } else {
          // Not read at all: the same answer as without them.
          const plain = await rawRequest(d.port, request(own(), path));
          const extra = await rawRequest(d.port, request(own(), hostile));
          expect(extra.status).toBe(plain.status);
          expect(extra.status).toBeLessThan(500);
        }
      });

      const takesJson = (route.accepts ?? ['application/json']).includes('application/json');
      if (takesJson && method !== 'GET')
        it('answers prototype names as JSON body keys', async () => {
          const body = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}';
          const headers = { ...own(), 'content-type': 'application/json' };
          const sent = { method, path: pathOnly(route.path(d.fixture)), headers, body };
          await attempt(
            d,
            sent,
            url.startsWith('/proxy/')
              ? {
                  status: 200,
                  code: '',
                  message: 'argument __proto__: {"polluted":true} is not text or a number',
                }
              : {
                  status: 400,
                  code: 'BAD_REQUEST',
                  message: 'bad request: the JSON body has a key "__proto__", which is refused',
                },
          );
          expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
        });
    });
  });
}
