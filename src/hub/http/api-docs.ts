import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

/**
 * `GET /api/docs`: Swagger UI over `/api/openapi.json`, its assets served from the
 * installed swagger-ui-dist (no CDN). A token given as `?token=` is carried to the
 * assets and to every call the page makes.
 */
export function registerApiDocs(app: FastifyInstance): void {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  app.get<{ Querystring: { token?: string } }>('/api/docs', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const suffix = token === '' ? '' : `?token=${encodeURIComponent(token)}`;
    await reply.type('text/html; charset=utf-8').send(page(suffix, token));
  });
  app.get<{ Params: { asset: string } }>('/api/docs/:asset', async (req, reply) => {
    const type = ASSETS[req.params.asset];
    if (type === undefined)
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no asset ${req.params.asset}` } });
    return reply
      .type(type)
      .header('cache-control', 'max-age=86400')
      .send(createReadStream(join(dist, req.params.asset)));
  });
}

function page(suffix: string, token: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mirror API</title><link rel="stylesheet" href="/api/docs/swagger-ui.css${suffix}"></head>
<body><div id="api"></div>
<script src="/api/docs/swagger-ui-bundle.js${suffix}"></script>
<script>
  const token = ${JSON.stringify(token)};
  SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#api',
    requestInterceptor: (request) => { if (token) request.headers.Authorization = 'Bearer ' + token; return request; },
  });
</script>
</body>
</html>
`;
}
