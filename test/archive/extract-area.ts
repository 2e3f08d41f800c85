// Work areas for extractZip tests: a zip to write, a destination (absent) to extract
// into, and a check that a refusal leaves nothing behind.
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { extractZip, type ArchiveLimits } from '../../src/archive/index.js';
import { writeRawZip, type RawEntry } from '../support/raw-zip.js';
import { scratchDir } from '../support/scratch.js';

const tmp = await scratchDir('mirror-extract-');

let counter = 0;
/** A fresh work area: `zip` to write, `dest` (absent) to extract into, `root` around both. */
export async function area(): Promise<{ zip: string; dest: string; root: string }> {
  const root = path.join(tmp, `case-${++counter}`);
  await mkdir(root);
  return { zip: path.join(root, 'evil.zip'), dest: path.join(root, 'deep', 'dest'), root };
}

/**
 * Writes `entries` as evil.zip, extracts it, and returns the error message ('no error'
 * when it was accepted) after checking that nothing is left: the destination absent
 * again and nothing written beside it.
 */
export async function refusal(
  entries: readonly RawEntry[],
  limits: Partial<ArchiveLimits> = {},
): Promise<{ message: string; root: string }> {
  const { zip, dest, root } = await area();
  await writeRawZip(zip, entries);
  const message = await extractZip(zip, dest, limits).then(
    () => 'no error',
    (err: Error) => err.message,
  );
  await expect(stat(dest)).rejects.toThrow(/ENOENT/);
  expect((await readdir(root)).sort()).toEqual(['deep', 'evil.zip']);
  expect(await readdir(path.join(root, 'deep'))).toEqual([]);
  return { message, root };
}
