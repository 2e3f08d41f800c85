import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { mirrorError } from '../core/index.js';

/** A directory being filled, and how to put it back as it was if filling fails. */
export interface Destination {
  readonly dir: string;
  /** True when Mirror created it (so undoing removes it), false when it was there, empty. */
  readonly created: boolean;
}

/**
 * Takes a directory to fill: it must be absent (created here, parents too) or empty.
 * Anything else is refused, so undoing can never remove what was there before.
 */
export async function claimDestination(dir: string): Promise<Destination> {
  const abs = path.resolve(dir);
  await mkdir(path.dirname(abs), { recursive: true });
  try {
    await mkdir(abs, { mode: 0o755 });
    return { dir: abs, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const present = await readdir(abs);
  if (present.length > 0) throw mirrorError('ARCHIVE_DEST_NOT_EMPTY', { dir });
  return { dir: abs, created: false };
}

/** Undoes a failed fill: removes the directory it created, or empties the one it found. */
export async function releaseDestination(dest: Destination): Promise<void> {
  if (dest.created) {
    await rm(dest.dir, { recursive: true, force: true });
    return;
  }
  for (const name of await readdir(dest.dir)) {
    await rm(path.join(dest.dir, name), { recursive: true, force: true });
  }
}
