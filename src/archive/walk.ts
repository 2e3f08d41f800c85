import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { mirrorError } from '../core/index.js';
import { archiveLimits, type ArchiveLimits } from './limits.js';
import { comparePaths, quoteName, relativePathProblem } from './names.js';

/** A regular file found under a directory. */
export interface WalkedFile {
  /** Relative to the walked directory, `/`-separated, NFC. */
  readonly path: string;
  /** Where it is on disk. */
  readonly absPath: string;
  /** Bytes. */
  readonly size: number;
  /** True when any execute bit is set. */
  readonly executable: boolean;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Lists every regular file under `dir`, sorted by path. A symbolic link anywhere, a
 * FIFO, socket or device, a name breaking the Names rules (or not UTF-8), or two names
 * equal after NFC normalization is refused, naming it. The same entry and byte limits
 * as archives apply (sizes as the directory reports them).
 */
export async function walkDirectory(
  dir: string,
  limits: Partial<Pick<ArchiveLimits, 'maxEntries' | 'maxBytes'>> = {},
): Promise<WalkedFile[]> {
  const { maxEntries, maxBytes } = archiveLimits(limits);
  const found: WalkedFile[] = [];
  const seen = new Map<string, string>();
  let entries = 0;
  let bytes = 0;
  const label = dir;
  const visit = async (absDir: string, relDir: string): Promise<void> => {
    const names = await readdir(absDir, { encoding: 'buffer' });
    for (const rawName of names) {
      const name = decodeName(label, relDir, rawName);
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      const normal = rel.normalize('NFC');
      const problem = relativePathProblem(normal);
      if (problem !== undefined) {
        throw mirrorError('PATH_INVALID', { what: `${label}: file`, path: quoteName(rel), reason: problem });
      }
      const clash = seen.get(normal);
      if (clash !== undefined) {
        throw mirrorError('DIRECTORY_NAME_CLASH', {
          dir: label,
          path: quoteName(rel),
          other: quoteName(clash),
        });
      }
      seen.set(normal, rel);
      if (++entries > maxEntries)
        throw mirrorError('ARCHIVE_TOO_MANY_ENTRIES', { file: label, limit: maxEntries });
      const abs = path.join(absDir, name);
      const stat = await lstat(abs);
      if (stat.isDirectory()) {
        await visit(abs, rel);
      } else if (stat.isFile()) {
        bytes += stat.size;
        if (bytes > maxBytes) {
          throw mirrorError('ARCHIVE_TOO_LARGE', { file: label, entry: quoteName(rel), limit: maxBytes });
        }
        found.push({ path: normal, absPath: abs, size: stat.size, executable: (stat.mode & 0o111) !== 0 });
      } else {
        throw mirrorError('DIRECTORY_SPECIAL_FILE', { dir: label, path: quoteName(rel), kind: kindOf(stat) });
      }
    }
  };
  await visit(path.resolve(dir), '');
  return found.sort((a, b) => comparePaths(a.path, b.path));
}

function decodeName(label: string, relDir: string, raw: Buffer): string {
  try {
    return UTF8.decode(raw);
  } catch {
    const shown = quoteName((relDir === '' ? '' : `${relDir}/`) + raw.toString('latin1'));
    throw mirrorError('PATH_INVALID', {
      what: `${label}: file`,
      path: shown,
      reason: 'name is not valid UTF-8',
    });
  }
}

function kindOf(stat: { isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stat.isSymbolicLink()) return 'symbolic link';
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  return 'device';
}
