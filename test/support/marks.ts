// Marks a test puts in the environment of the processes it starts (through a job
// parameter), so that it finds exactly its own processes again: never by a job id,
// which every fresh store reuses and other tests run at the same moment.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { isAlive } from './embedded.js';

/** The environment variable a mark is carried in. */
export const MARK_VAR = 'MIRROR_TEST_MARK';

/** A mark no other test or run shares. */
export function newMark(): string {
  return `mark-${randomBytes(8).toString('hex')}`;
}

/** Pids of the live processes whose environment holds `MIRROR_TEST_MARK=<mark>`. */
export async function markedPids(mark: string): Promise<number[]> {
  const entry = `${MARK_VAR}=${mark}`;
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const environ = await readFile(`/proc/${name}/environ`).catch(() => Buffer.alloc(0));
    if (environ.toString('latin1').split('\0').includes(entry) && (await isAlive(Number(name)))) {
      found.push(Number(name));
    }
  }
  return found;
}
