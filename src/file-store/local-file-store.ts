import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileStore, PutResult } from './file-store.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** A file store in a local directory: `<root>/<aa>/<sha256>`, temporaries in `<root>/tmp`. */
export function createLocalFileStore(root: string): FileStore {
  const tmpDir = join(root, 'tmp');
  const pathOf = (sha256: string): string => {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
    return join(root, sha256.slice(0, 2), sha256);
  };

  /** Moves a finished temporary into place, or refreshes the existing blob's time. */
  async function settle(tmp: string, sha256: string): Promise<void> {
    const target = pathOf(sha256);
    await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
    try {
      const now = new Date();
      await utimes(target, now, now);
      await rm(tmp, { force: true });
    } catch {
      await rename(tmp, target);
    }
  }

  async function temporary(): Promise<string> {
    await mkdir(tmpDir, { recursive: true });
    return join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  }

  return {
    pathOf,
    async putFile(path) {
      const tmp = await temporary();
      try {
        await copyFile(path, tmp);
        const hash = createHash('sha256');
        await pipeline(createReadStream(tmp), hash);
        const sha256 = hash.digest('hex');
        const { size } = await stat(tmp);
        await settle(tmp, sha256);
        return { sha256, size } satisfies PutResult;
      } finally {
        await rm(tmp, { force: true });
      }
    },
    async putBytes(data) {
      const sha256 = createHash('sha256').update(data).digest('hex');
      const tmp = await temporary();
      try {
        await writeFile(tmp, data, { flag: 'wx' });
        await settle(tmp, sha256);
      } finally {
        await rm(tmp, { force: true });
      }
      return { sha256, size: data.byteLength };
    },
    async has(sha256) {
      try {
        return (await stat(pathOf(sha256))).isFile();
      } catch {
        return false;
      }
    },
    read: (sha256) => readFile(pathOf(sha256)),
    async sweep(inUse, graceMs = 10 * 60_000) {
      let removed = 0;
      const cutoff = Date.now() - graceMs;
      for (const dir of await readdir(root).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{2}$/.test(dir)) continue;
        for (const name of await readdir(join(root, dir))) {
          if (!SHA256.test(name)) continue;
          const path = join(root, dir, name);
          const info = await stat(path).catch(() => undefined);
          if (!info || info.mtimeMs > cutoff || (await inUse(name))) continue;
          await rm(path, { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}
