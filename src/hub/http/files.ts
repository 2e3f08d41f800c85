import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mirrorError } from '../../core/index.js';
import type { FileStore } from '../../file-store/index.js';
import type { Job, JobItem, Store } from '../../store/index.js';
import type { RunFiles } from '../run-files.js';
import { byteRange } from './byte-range.js';
import { contentTypeOf, INLINE_TYPES } from './content-type.js';
import { FILE_CSP } from './guards/index.js';

interface Served {
  readonly handle: FileHandle;
  readonly size: number;
  readonly etag: string;
  readonly name: string;
}

/**
 * `GET /files/jobs/<id>/<section>/<key>`: the files `jobgetdata` points at. A stored
 * item (recovered into the file store) is served from there, with its sha256 as ETag;
 * a process file of a job not yet recovered is served live from its run directory
 * (through the hub's run files, opened so that no link leads out of it). Ranges (one per request) and conditional
 * GETs are answered.
 */
export function registerFiles(
  app: FastifyInstance,
  deps: { store: Store; fileStore: FileStore; runFiles: RunFiles },
): void {
  app.get<{ Params: { jobId: string; section: string; key: string } }>(
    '/files/jobs/:jobId/:section/:key',
    async (req, reply) => {
      const { section, key } = req.params;
      const jobId = /^\d{1,15}$/.test(req.params.jobId) ? Number(req.params.jobId) : NaN;
      const job = Number.isFinite(jobId) ? await deps.store.getJob(jobId) : undefined;
      if (!job) throw mirrorError('JOB_NOT_FOUND', { job: req.params.jobId });
      const item = (await deps.store.listJobItems(job.id)).find(
        (i) => i.section === section && i.key === key && i.kind === 'file',
      );
      if (!item)
        throw mirrorError('FILE_ITEM_NOT_FOUND', {
          jobid: job.id,
          section: JSON.stringify(section),
          key: JSON.stringify(key),
        });
      const served =
        item.sha256 !== null
          ? await stored(deps.fileStore, item, item.sha256)
          : await live(deps.runFiles, job, item);
      return send(req, reply, served);
    },
  );
}

async function stored(fileStore: FileStore, item: JobItem, sha256: string): Promise<Served> {
  const handle = await open(fileStore.pathOf(sha256), 'r');
  try {
    const { size } = await handle.stat();
    // A directory item is stored as a zip of it: say so in its name.
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    const isZip =
      head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) && !item.value.toLowerCase().endsWith('.zip');
    return { handle, size, etag: `"${sha256}"`, name: `${basename(item.value)}${isZip ? '.zip' : ''}` };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function live(runFiles: RunFiles, job: Job, item: JobItem): Promise<Served> {
  const opened = await runFiles.open(job, item);
  return {
    handle: opened.handle,
    size: opened.size,
    etag: `W/"${opened.size}-${Math.floor(opened.mtimeMs)}"`,
    name: basename(item.value),
  };
}

/**
 * How a browser should take a stored file: text, CSV, JSON and pictures are shown, every
 * other type (an `.svg`, `.html`, `.xml`, `.pdf`, unknown bytes) is downloaded; either way
 * under FILE_CSP's sandbox. The name is given plainly (Latin-1, quotes replaced) and
 * whole as UTF-8 (RFC 6266), so a name in any script is neither mangled nor an error.
 */
function contentDisposition(name: string): string {
  const how = INLINE_TYPES.has(contentTypeOf(name)) ? 'inline' : 'attachment';
  const plain = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${how}; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Sends a file (or the asked range of it), closing its handle when done. */
async function send(req: FastifyRequest, reply: FastifyReply, file: Served): Promise<FastifyReply> {
  try {
    reply
      .header('etag', file.etag)
      .header('accept-ranges', 'bytes')
      .header('content-type', contentTypeOf(file.name))
      .header('content-security-policy', FILE_CSP)
      .header('content-disposition', contentDisposition(file.name));
    if (req.headers['if-none-match'] === file.etag) {
      await file.handle.close();
      return reply.code(304).send();
    }
    const range = byteRange(req.headers.range, file.size);
    const start = range?.start ?? 0;
    const end = range?.end ?? file.size - 1;
    if (range) reply.code(206).header('content-range', `bytes ${start}-${end}/${file.size}`);
    reply.header('content-length', Math.max(0, end - start + 1));
    if (file.size === 0) {
      await file.handle.close();
      return reply.send('');
    }
    return reply.send(file.handle.createReadStream({ start, end, autoClose: true }));
  } catch (err) {
    await file.handle.close();
    throw err;
  }
}
