import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { mirrorError } from '../../core/index.js';
import { hubFetch, type HubAddress } from './hub-requests.js';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Blobs of the hub's file store (calc packages, project files) kept on this machine,
 * by sha256: `<dir>/<aa>/<sha256>`. A blob is fetched once, checked against its hash
 * before it is kept, and shared by every job that needs it; fetches of one blob at once
 * are one download.
 */
export function createBlobCache(hub: HubAddress, dir: string): { pathOf(sha256: string): Promise<string> } {
  const fetching = new Map<string, Promise<string>>();

  async function download(sha256: string, target: string): Promise<string> {
    const tmpDir = join(dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${sha256}-${randomBytes(6).toString('hex')}`);
    try {
      const response = await hubFetch(hub, { method: 'GET', path: `/blobs/${sha256}` });
      if (!response.body) throw mirrorError('HUB_BUSY', { request: `GET blob ${sha256}`, reason: 'no body' });
      const hash = createHash('sha256');
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx' }),
      );
      const actual = hash.digest('hex');
      if (actual !== sha256) throw mirrorError('BLOB_MISMATCH', { sha256, source: hub.url, actual });
      await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
      await rename(tmp, target);
      return target;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  return {
    async pathOf(sha256) {
      if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
      const target = join(dir, sha256.slice(0, 2), sha256);
      if ((await stat(target).catch(() => undefined))?.isFile()) return target;
      let pending = fetching.get(sha256);
      if (!pending) {
        pending = download(sha256, target).finally(() => fetching.delete(sha256));
        fetching.set(sha256, pending);
      }
      return pending;
    },
  };
}

/** The sha256 and size of a local file, read once. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
