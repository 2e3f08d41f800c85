import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mirrorError } from '../../core/index.js';
import type { FileStore } from '../../file-store/index.js';
import { sha256Param } from './schemas.js';

/** The body type of a blob upload (the gateway's body-type guard checks it against `accepts`). */
const BLOB_TYPE = 'application/octet-stream';

export interface BlobDeps {
  readonly fileStore: FileStore;
  /** Where uploads are written while they are checked. */
  readonly tmpDir: string;
  /** The largest blob an agent may upload, bytes. */
  readonly maxBytes: number;
}

type Req = FastifyRequest<{ Params: { sha256: string } }>;

/**
 * `GET /agent/blobs/<sha256>`: a blob of the file store (calc packages, project files),
 * for a remote agent to cache. `PUT /agent/blobs/<sha256>`: a process or result file
 * from a remote agent, stored only if its content hashes to the name it was sent under.
 */
export function registerBlobRoutes(scope: FastifyInstance, deps: BlobDeps): void {
  // Uploads are streamed to disk here, never held in memory.
  scope.removeContentTypeParser('application/octet-stream');
  scope.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  scope.get('/blobs/:sha256', async (req: Req, reply) => {
    const sha256 = sha256Param(req.params, 'sha256');
    const path = deps.fileStore.pathOf(sha256);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw mirrorError('STORED_FILE_NOT_FOUND', { sha256 });
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', info.size)
      .send(createReadStream(path));
  });

  scope.put('/blobs/:sha256', { config: { accepts: [BLOB_TYPE] } }, async (req: Req) => {
    const sha256 = sha256Param(req.params, 'sha256');
    if (!(req.body instanceof Readable)) {
      throw mirrorError('BAD_REQUEST', {
        reason: 'no blob in the body (its bytes, as application/octet-stream)',
      });
    }
    await mkdir(deps.tmpDir, { recursive: true });
    const tmp = join(deps.tmpDir, `upload-${randomBytes(8).toString('hex')}`);
    try {
      const hash = createHash('sha256');
      let size = 0;
      await pipeline(
        req.body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > deps.maxBytes) {
              throw mirrorError('BAD_REQUEST', { reason: `upload larger than ${deps.maxBytes} bytes` });
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx' }),
      );
      const actual = hash.digest('hex');
      if (actual !== sha256) throw mirrorError('BLOB_MISMATCH', { sha256, source: 'the upload', actual });
      return await deps.fileStore.putFile(tmp);
    } finally {
      await rm(tmp, { force: true });
    }
  });
}
