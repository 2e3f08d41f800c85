import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { mirrorError } from '../../../core/index.js';
import { z } from 'zod';
import type { Hub } from '../../create-hub.js';
import type { RegisteredCalcPackage } from '../../calc-packages.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { calcPackage, idText, ok } from '../../../api/schemas.js';
import { packageList } from '../../../api/exchanges.js';

const packageId = z.strictObject({ id: idText });

/** A registered package as `/api` shows it. */
function view(p: RegisteredCalcPackage): z.input<typeof calcPackage> {
  const steps = p.info.adapter.steps.map((s) => ({ id: s.id, workpath: s.workpath, priority: s.priority }));
  return {
    id: p.id,
    name: p.name,
    version: p.version,
    sha256: p.sha256,
    size: p.size,
    steps,
    createdAt: p.createdAt,
  };
}

/** Calc packages. */
export function calcPackageRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/packages',
      tag: 'calc packages',
      summary: 'List calc packages.',
      response: packageList,
      handle: async () => ({ packages: (await hub.calcPackages.list()).map(view) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/packages',
      status: 201,
      tag: 'calc packages',
      summary: 'Register a calc package uploaded as a zip (the body); it is validated completely first.',
      rawBody: ['application/zip', 'application/octet-stream'],
      response: calcPackage,
      handle: async ({ body }) => {
        if (!Buffer.isBuffer(body)) throw mirrorError('BAD_REQUEST', { reason: 'no zip in the body' });
        // A directory of its own, so that messages name the upload `package.zip`, not a temporary name.
        const dir = join(hub.config.workdir, 'tmp', `upload-${randomBytes(8).toString('hex')}`);
        await mkdir(dir, { recursive: true });
        try {
          const zip = join(dir, 'package.zip');
          await writeFile(zip, body, { flag: 'wx' });
          return view(await hub.calcPackages.add({ zip }));
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/packages/directory',
      tag: 'calc packages',
      status: 201,
      summary:
        'Register a calc package from a directory on the hub’s disk (only with packages.allowDirectories).',
      body: z.strictObject({ dir: z.string().min(1) }),
      response: calcPackage,
      handle: async ({ body }) => {
        if (!hub.config.packages.allowDirectories) throw mirrorError('PACKAGE_DIRECTORY_REFUSED', {});
        if (!isAbsolute(body.dir)) {
          throw mirrorError('API_INVALID', {
            where: 'body field',
            field: 'dir',
            reason: 'expected an absolute path',
          });
        }
        return view(await hub.calcPackages.add({ dir: body.dir }));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/packages/{id}',
      tag: 'calc packages',
      summary: 'One calc package.',
      params: packageId,
      response: calcPackage,
      handle: async ({ params }) => view(await hub.calcPackages.get(params.id)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/packages/{id}',
      tag: 'calc packages',
      summary:
        'Delete a calc package; one that jobs use only with force=1 (they keep their rows but cannot be built again).',
      params: packageId,
      query: z.strictObject({ force: z.enum(['0', '1']).optional() }),
      response: ok,
      handle: async ({ params, query }) => {
        await hub.calcPackages.delete(params.id, { force: query.force === '1' });
        return { ok: true as const };
      },
    }),
  ];
}
