import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mirrorError } from '../../core/index.js';
import { PAGE_CSP } from './guards/index.js';
import { assetQuery } from './page-query.js';

/** The dashboard's sources: `web/` at the package's root (as seen from src/hub/http or dist/hub/http). */
const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

/** One built file, held in memory. */
interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** What one build gives: the page's template and the bundled assets by name (`app.js`, `app.css`). */
interface Bundle {
  readonly page: string;
  readonly assets: ReadonlyMap<string, Asset>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page's own headers: it may carry the token in its URL, so it is neither cached nor referred. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': PAGE_CSP,
};

/**
 * The web dashboard: `GET /` serves its page, `GET /dashboard/<asset>` its script and
 * styles (uPlot's included), bundled by esbuild from `web/` on the first request and
 * kept in memory (requests arriving during that build wait for the same one). Assets
 * answer with an ETag and are revalidated (304). A token given as `?token=` on `/` is
 * carried to the assets' URLs; the page itself talks to the hub through `/api` only.
 */
export function registerDashboard(app: FastifyInstance, webDir: string = WEB_DIR): void {
  let building: Promise<Bundle> | undefined;
  const bundled = (): Promise<Bundle> =>
    (building ??= bundle(webDir).catch((err: unknown) => {
      building = undefined; // a failed build is tried again at the next request
      throw err;
    }));

  app.get('/', { config: { page: true } }, async (req, reply) => {
    const { page } = await bundled();
    const query = assetQuery(req.query);
    await reply
      .headers(PAGE_HEADERS)
      .type('text/html; charset=utf-8')
      .send(page.replaceAll('{{assetQuery}}', query));
  });

  app.get<{ Params: { asset: string } }>('/dashboard/:asset', async (req, reply) => {
    const asset = (await bundled()).assets.get(req.params.asset);
    if (asset === undefined)
      throw mirrorError('ASSET_NOT_FOUND', { asset: JSON.stringify(req.params.asset) });
    return sendAsset(req, reply, asset);
  });
}

/** Answers an asset, or 304 when the client's copy is current. */
async function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: Asset): Promise<void> {
  reply.header('etag', asset.etag).header('cache-control', 'no-cache');
  if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.type(asset.type).send(asset.body);
}

/** Builds the dashboard: `web/src/main.ts` and the CSS it imports, minified, not written to disk. */
async function bundle(webDir: string): Promise<Bundle> {
  const [page, result] = await Promise.all([
    readFile(join(webDir, 'index.html'), 'utf8'),
    build({
      absWorkingDir: webDir,
      entryPoints: { app: join(webDir, 'src', 'main.ts') },
      tsconfig: join(webDir, 'tsconfig.json'),
      outdir: join(webDir, 'out'), // names the outputs; nothing is written
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      target: 'es2022',
      legalComments: 'inline',
      logLevel: 'silent',
    }),
  ]);
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (type === undefined) continue;
    const body = Buffer.from(file.contents);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, type, etag });
  }
  return { page, assets };
}
