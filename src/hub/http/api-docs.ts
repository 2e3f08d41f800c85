import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { mirrorError } from '../../core/index.js';
import { PAGE_CSP } from './guards/index.js';
import { assetQuery } from './page-query.js';

/** The page's own script: Swagger UI over the OpenAPI document, calls carrying the page's token. */
const INIT_SCRIPT = `(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  SwaggerUIBundle({
    url: '/api/openapi.json' + (token ? '?token=' + encodeURIComponent(token) : ''),
    dom_id: '#api',
    requestInterceptor: (request) => {
      if (token) request.headers.Authorization = 'Bearer ' + token;
      return request;
    },
  });
})();
`;

/** An asset of the page: where its bytes come from, and its type. */
interface AssetSource {
  readonly type: string;
  readonly load: (dist: string) => Promise<Buffer>;
}

const fromDist = (name: string) => (dist: string) => readFile(join(dist, name));
const ASSETS: ReadonlyMap<string, AssetSource> = new Map([
  ['swagger-ui.css', { type: 'text/css; charset=utf-8', load: fromDist('swagger-ui.css') }],
  [
    'swagger-ui-bundle.js',
    { type: 'text/javascript; charset=utf-8', load: fromDist('swagger-ui-bundle.js') },
  ],
  [
    'init.js',
    { type: 'text/javascript; charset=utf-8', load: () => Promise.resolve(Buffer.from(INIT_SCRIPT)) },
  ],
]);

/**
 * `GET /api/docs`: Swagger UI over `/api/openapi.json`, its assets served from the
 * installed swagger-ui-dist (no CDN) and held in memory once read. The page has no
 * inline script and a strict CSP; a token given as `?token=` is carried to the assets
 * (escaped) and, by the page's own script, to every call it makes.
 */
export function registerApiDocs(app: FastifyInstance): void {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const loaded = new Map<string, Promise<Buffer>>();
  app.get('/api/docs', { config: { page: true } }, async (req, reply) => {
    await reply
      .headers({
        'content-security-policy': PAGE_CSP,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      })
      .type('text/html; charset=utf-8')
      .send(page(assetQuery(req.query)));
  });
  app.get<{ Params: { asset: string } }>('/api/docs/:asset', async (req, reply) => {
    const name = req.params.asset;
    const asset = ASSETS.get(name);
    if (asset === undefined) throw mirrorError('ASSET_NOT_FOUND', { asset: JSON.stringify(name) });
    let bytes = loaded.get(name);
    if (bytes === undefined) {
      bytes = asset.load(dist);
      loaded.set(name, bytes);
      bytes.catch(() => loaded.delete(name)); // tried again at the next request
    }
    return reply
      .type(asset.type)
      .header('cache-control', 'max-age=86400')
      .send(await bytes);
  });
}

function page(query: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mirror API</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/api/docs/swagger-ui.css${query}"></head>
<body><div id="api"></div>
<script src="/api/docs/swagger-ui-bundle.js${query}"></script>
<script src="/api/docs/init.js${query}"></script>
</body>
</html>
`;
}
