import { describe, expect, it } from 'vitest';
import { createGateway } from '../../../src/hub/http/index.js';
import { openEmbedded } from '../../support/embedded.js';
import { HEAT2D } from '../../support/hub.js';
import { multipart } from '../../support/multipart.js';

describe('multipart uploads of project files', () => {
  it('stores every file part under its filename', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const app = await createGateway(mirror.hub);
    try {
      const { project } = await mirror.hub.projects.create('p', []);
      const { body, type } = multipart({ 'para.xml': '<Para/>', 'mesh.dat': 'nodes 4\n' });
      const res = await app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/files`,
        headers: { 'content-type': type },
        payload: body,
      });
      expect(res.statusCode).toBe(201);
      expect(
        res.json<{ files: { name: string; size: number }[] }>().files.map((f) => [f.name, f.size]),
      ).toEqual([
        ['para.xml', 7],
        ['mesh.dat', 8],
      ]);
      expect((await mirror.hub.projects.readFile(project.id, 'mesh.dat')).toString()).toBe('nodes 4\n');
    } finally {
      await app.close();
    }
  });

  it('refuses a file over limits.uploadBytes and a filename that leaves the project, storing neither', async () => {
    const mirror = await openEmbedded({ autorun: 'false', 'limits.uploadBytes': '16' });
    const app = await createGateway(mirror.hub);
    try {
      const { project } = await mirror.hub.projects.create('p', []);
      const big = multipart({ 'big.dat': 'x'.repeat(100) });
      const res = await app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/files`,
        headers: { 'content-type': big.type },
        payload: big.body,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({
        error: {
          code: 'UPLOAD_TOO_LARGE',
          message: 'upload "big.dat" is over the limit of 16 bytes (limits.uploadBytes)',
        },
      });
      const unsafe = multipart({ 'ok.txt': 'x', '../x': 'x' });
      const refused = await app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/files`,
        headers: { 'content-type': unsafe.type },
        payload: unsafe.body,
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({
        error: { code: 'PATH_INVALID', message: 'project file "../x": path leaves its directory' },
      });
      // All parts or none: the good part before the refused one is not stored either.
      expect((await mirror.hub.projects.get(project.id)).files).toEqual([]);
      const nested = multipart({ 'sub/x.txt': 'x' });
      const kept = await app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/files`,
        headers: { 'content-type': nested.type },
        payload: nested.body,
      });
      expect(kept.statusCode).toBe(201);
      expect((await mirror.hub.projects.get(project.id)).files.map((f) => f.name)).toEqual(['sub/x.txt']);
    } finally {
      await app.close();
    }
  });
});

describe('registering a calc package from a directory on the hub', () => {
  it('is refused unless packages.allowDirectories is on', async () => {
    const off = await openEmbedded({ autorun: 'false' });
    const refusing = await createGateway(off.hub);
    const on = await openEmbedded({ autorun: 'false', 'packages.allowDirectories': 'true' });
    const allowing = await createGateway(on.hub);
    try {
      const refused = await refusing.inject({
        method: 'POST',
        url: '/api/packages/directory',
        payload: { dir: HEAT2D },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({
        error: {
          code: 'PACKAGE_DIRECTORY_REFUSED',
          message:
            'registering a directory on the hub is off (packages.allowDirectories); upload a zip instead',
        },
      });
      expect(await off.hub.calcPackages.list()).toEqual([]);
      const added = await allowing.inject({
        method: 'POST',
        url: '/api/packages/directory',
        payload: { dir: HEAT2D },
      });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({ name: 'heat2d', version: '1.0.0' });
      const relative = await allowing.inject({
        method: 'POST',
        url: '/api/packages/directory',
        payload: { dir: 'examples' },
      });
      expect(relative.json()).toEqual({
        error: { code: 'API_INVALID', message: 'body field dir: expected an absolute path' },
      });
    } finally {
      await refusing.close();
      await allowing.close();
    }
  });
});
