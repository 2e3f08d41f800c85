import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { mirrorError } from '../core/index.js';
import { claimDestination, releaseDestination } from './destination.js';
import { fileSink } from './file-sink.js';
import { quoteName } from './names.js';
import type { WalkedFile } from './walk.js';

/**
 * Copies walked files into `destDir` (absent or empty) under their paths, mode 0644 or
 * 0755 when executable. Sources are opened without following a link and must still be
 * regular files; targets are created exclusively. On failure `destDir` is left as it was.
 */
export async function copyWalkedFiles(files: readonly WalkedFile[], destDir: string): Promise<void> {
  const dest = await claimDestination(destDir);
  try {
    for (const file of files) {
      const target = path.join(dest.dir, ...file.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      await copyOne(file, target);
    }
  } catch (err) {
    await releaseDestination(dest);
    throw err;
  }
}

async function copyOne(file: WalkedFile, target: string): Promise<void> {
  const source = await openRegularFile(file.absPath);
  try {
    const mode = file.executable ? 0o755 : 0o644;
    const out = await open(target, 'wx', mode);
    try {
      await out.chmod(mode);
      await pipeline(source.createReadStream({ autoClose: false }), fileSink(out));
    } finally {
      await out.close();
    }
  } finally {
    await source.close();
  }
}

/**
 * Opens a file for reading without following a symbolic link at its last component and
 * without blocking on a FIFO; anything but a regular file is refused, naming it.
 */
export async function openRegularFile(absPath: string): Promise<FileHandle> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const where = { dir: path.dirname(absPath), path: quoteName(path.basename(absPath)) };
  let handle: FileHandle;
  try {
    handle = await open(absPath, flags);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
    throw mirrorError('DIRECTORY_SPECIAL_FILE', { ...where, kind: 'symbolic link' });
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw mirrorError('DIRECTORY_SPECIAL_FILE', { ...where, kind: 'non-regular file' });
  }
  return handle;
}
