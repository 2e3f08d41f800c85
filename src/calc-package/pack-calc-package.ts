import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { writeZip } from '../archive/index.js';
import type { LoadedCalcPackage } from './load-calc-package.js';

/**
 * Writes the canonical zip of a loaded calc package: its files sorted, fixed timestamps,
 * modes 0644 or 0755 (`bin/` always 0755), so the same content always gives the same
 * bytes and the same sha256. Returns the zip's sha256 (hex) and size in bytes.
 */
export async function packCalcPackage(
  loaded: LoadedCalcPackage,
  outFile: string,
): Promise<{ sha256: string; size: number }> {
  await writeZip(
    loaded.files.map((file) => ({
      path: file.path,
      absPath: file.absPath,
      executable: file.executable || file.path.startsWith('bin/'),
    })),
    outFile,
  );
  const hash = createHash('sha256');
  await pipeline(createReadStream(outFile), hash);
  return { sha256: hash.digest('hex'), size: (await stat(outFile)).size };
}
