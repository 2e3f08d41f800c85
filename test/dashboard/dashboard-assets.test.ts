// The dashboard's assets as the hub serves them, without a browser: one build for
// concurrent first requests, ETags, a failed build tried again at the next request.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDashboard } from '../../src/hub/http/dashboard.js';
import { scratchDir } from '../support/scratch.js';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));

describe('the dashboard’s assets', () => {
  let app: FastifyInstance;
  let web: string;

  beforeAll(async () => {
    // A web/ of its own whose entry starts broken, to see a failed build retried.
    web = await scratchDir('mirror-web-');
    await mkdir(join(web, 'src'));
    await writeFile(join(web, 'index.html'), await readFile(join(WEB, 'index.html')));
    await writeFile(join(web, 'tsconfig.json'), '{}');
    await writeFile(
      join(web, 'src', 'main.ts'),
      'import { nothing } from "./no-such-file.js";\nnothing();\n',
    );
    app = Fastify();
    registerDashboard(app, web);
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 500 while the sources do not build, and builds once they do', async () => {
    const broken = await app.inject({ url: '/dashboard/app.js' });
    expect(broken.statusCode).toBe(500);
    await writeFile(join(web, 'src', 'app.css'), 'body { margin: 0; }\n');
    await writeFile(join(web, 'src', 'main.ts'), "import './app.css';\ndocument.title = 'built';\n");
    const fixed = await app.inject({ url: '/dashboard/app.js' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.body).toContain('built');
    expect((await app.inject({ url: '/dashboard/app.css' })).body).toContain('margin:0');
  });

  it('serves the page with the token carried to its assets, never cached', async () => {
    const res = await app.inject({ url: '/?token=a%20b' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('src="/dashboard/app.js?token=a%20b"');
    expect(res.body).toContain('href="/dashboard/app.css?token=a%20b"');
    const bare = await app.inject({ url: '/' });
    expect(bare.body).toContain('src="/dashboard/app.js"');
  });

  it('answers concurrent requests from one build, with ETags and 304s', async () => {
    const fresh = Fastify();
    registerDashboard(fresh, WEB);
    try {
      const replies = await Promise.all(
        ['app.js', 'app.js', 'app.css'].map((a) => fresh.inject({ url: `/dashboard/${a}` })),
      );
      const [js1, js2, css] = replies;
      expect(js1?.statusCode).toBe(200);
      expect(js1?.headers['etag']).toBe(js2?.headers['etag']);
      expect(js1?.body).toBe(js2?.body);
      expect(css?.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(css?.headers['cache-control']).toBe('no-cache');
      const again = await fresh.inject({
        url: '/dashboard/app.css',
        headers: { 'if-none-match': String(css?.headers['etag']) },
      });
      expect(again.statusCode).toBe(304);
      expect((await fresh.inject({ url: '/dashboard/nothing.js' })).statusCode).toBe(404);
    } finally {
      await fresh.close();
    }
  });
});
