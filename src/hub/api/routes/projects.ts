import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { quoteName } from '../../../archive/index.js';
import { mirrorError } from '../../../core/index.js';
import { checkProjectFileName } from '../../projects.js';
import type { Hub } from '../../create-hub.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { bytes, idText, ok, projectFile } from '../../../api/schemas.js';
import { projectList, projectWithFiles, uploadedFiles } from '../../../api/exchanges.js';

const projectId = z.strictObject({ id: idText });
const projectFilePath = z.strictObject({ id: idText, '*': z.string().min(1) });

/** Projects and their files. */
export function projectRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/projects',
      tag: 'projects',
      summary: 'List projects.',
      response: projectList,
      handle: async () => ({ projects: await hub.projects.list() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/projects',
      status: 201,
      tag: 'projects',
      summary: 'Create a project (add its files with PUT /api/projects/{id}/files/{name}).',
      body: z.strictObject({ name: z.string() }),
      response: projectWithFiles,
      handle: async ({ body }) => {
        return hub.projects.create(body.name, []);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/projects/{id}',
      tag: 'projects',
      summary: 'One project with its files.',
      params: projectId,
      response: projectWithFiles,
      handle: ({ params }) => hub.projects.get(params.id),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/projects/{id}',
      tag: 'projects',
      summary:
        'Delete a project and its files; one that jobs use only with force=1 (they keep their rows but cannot be built again).',
      params: projectId,
      query: z.strictObject({ force: z.enum(['0', '1']).optional() }),
      response: ok,
      handle: async ({ params, query }) => {
        await hub.projects.delete(params.id, { force: query.force === '1' });
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/projects/{id}/files/*',
      tag: 'projects',
      summary: 'Add a file to a project, or replace the file of that name; the body is its bytes.',
      params: projectFilePath,
      rawBody: ['application/octet-stream'],
      response: projectFile,
      handle: async ({ params, body }) => {
        // The guard let only raw bytes through; anything else would be a file silently emptied.
        if (!Buffer.isBuffer(body))
          throw mirrorError('BAD_REQUEST', { reason: 'the body is not the file’s bytes' });
        const data = body;
        return hub.projects.putFile(params.id, { name: params['*'], data });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/projects/{id}/files',
      tag: 'projects',
      status: 201,
      summary:
        'Upload files into a project as multipart/form-data: each file part under its filename, judged whole ' +
        '(`sub/x.txt` is stored as `sub/x.txt`; `../x` is refused), replacing one of that name. All parts or none.',
      params: projectId,
      rawBody: ['multipart/form-data'],
      response: uploadedFiles,
      handle: async ({ params, request }) => {
        await hub.projects.get(params.id);
        const staged: { name: string; path: string }[] = [];
        try {
          for await (const part of request.files()) {
            // Judged as given, before a byte of it is read: a refused name stores nothing.
            checkProjectFileName(part.filename);
            const tmp = join(hub.config.workdir, 'tmp', `upload-${randomBytes(8).toString('hex')}`);
            await mkdir(dirname(tmp), { recursive: true });
            staged.push({ name: part.filename, path: tmp });
            await pipeline(part.file, createWriteStream(tmp, { flags: 'wx' }));
            if (part.file.truncated) {
              throw mirrorError('UPLOAD_TOO_LARGE', {
                file: quoteName(part.filename),
                limit: hub.config.limits.uploadBytes,
              });
            }
          }
          if (staged.length === 0)
            throw mirrorError('BAD_REQUEST', { reason: 'the upload holds no file part' });
          return { files: await hub.projects.putFiles(params.id, staged) };
        } finally {
          await Promise.all(staged.map((file) => rm(file.path, { force: true })));
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/projects/{id}/files/*',
      tag: 'projects',
      summary: 'Download one project file.',
      params: projectFilePath,
      response: bytes,
      produces: 'application/octet-stream',
      handle: async ({ params, reply }) => {
        reply.type('application/octet-stream');
        return hub.projects.readFile(params.id, params['*']);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/projects/{id}/files/*',
      tag: 'projects',
      summary: 'Delete one project file.',
      params: projectFilePath,
      response: ok,
      handle: async ({ params }) => {
        await hub.projects.deleteFile(params.id, params['*']);
        return { ok: true as const };
      },
    }),
  ];
}
