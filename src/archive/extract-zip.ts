import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl, { type ZipFile } from 'yauzl';
import { isMirrorError, mirrorError } from '../core/index.js';
import { ArchiveBudget } from './archive-budget.js';
import { claimDestination, releaseDestination } from './destination.js';
import { fileSink } from './file-sink.js';
import { archiveLimits, type ArchiveLimits } from './limits.js';
import { comparePaths } from './names.js';
import { planExtraction, type PlannedEntry } from './zip-plan.js';

/** One entry as extracted: its path under the destination (NFC, `/`-separated). */
export interface ExtractedEntry {
  readonly path: string;
  readonly kind: 'file' | 'directory';
  /** Bytes written (0 for a directory). */
  readonly size: number;
  /** Written with mode 0755 (else 0644). */
  readonly executable: boolean;
}

/**
 * Extracts an untrusted zip into `destDir`, which must be absent or empty. The whole
 * archive is judged before anything is written (names, links, duplicates, overlapping
 * paths, entries sharing data, encryption, declared sizes: see `planExtraction`), and
 * sizes are counted out of the inflater as the bytes arrive, never taken from headers:
 * the total, each entry's ratio and the whole archive's ratio (see `ArchiveLimits`).
 * On any refusal or error everything extracted is removed and `destDir` is left as it
 * was (absent or empty). Files get mode 0644, or 0755 when an execute bit was set;
 * they are created exclusively, so nothing is written through a link. Returns the
 * entries sorted by path.
 */
export async function extractZip(
  zipFile: string,
  destDir: string,
  limits: Partial<ArchiveLimits> = {},
): Promise<ExtractedEntry[]> {
  const label = path.basename(zipFile);
  const dest = await claimDestination(destDir);
  try {
    const entries = await extractInto(zipFile, label, dest.dir, archiveLimits(limits));
    return entries.sort((a, b) => comparePaths(a.path, b.path));
  } catch (err) {
    await releaseDestination(dest);
    throw err;
  }
}

async function extractInto(
  zipFile: string,
  label: string,
  destDir: string,
  limits: ArchiveLimits,
): Promise<ExtractedEntry[]> {
  const zip = await openZip(zipFile, label);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw mirrorError('ARCHIVE_TOO_MANY_ENTRIES', { file: label, limit: limits.maxEntries });
    }
    const planned = await planExtraction(zip, label, limits);
    const ctx: WriteContext = { label, budget: new ArchiveBudget(label, limits, zip.fileSize) };
    const extracted: ExtractedEntry[] = [];
    for (const entry of planned) {
      const { info } = entry;
      const target = path.join(destDir, ...info.path.split('/'));
      if (info.kind === 'directory') {
        await mkdir(target, { recursive: true, mode: 0o755 });
        extracted.push({ path: info.path, kind: 'directory', size: 0, executable: false });
        continue;
      }
      const size = await writeEntry(zip, entry, target, ctx);
      extracted.push({ path: info.path, kind: 'file', size, executable: info.executable });
    }
    return extracted;
  } catch (err) {
    if (isMirrorError(err)) throw err;
    throw mirrorError('ARCHIVE_UNREADABLE', { file: label, reason: messageOf(err) }, err);
  } finally {
    zip.close();
  }
}

async function openZip(zipFile: string, label: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(zipFile, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (err) {
    throw mirrorError('ARCHIVE_UNREADABLE', { file: label, reason: messageOf(err) }, err);
  }
}

interface WriteContext {
  readonly label: string;
  /** The bytes inflated so far by the whole archive, counted as they arrive. */
  readonly budget: ArchiveBudget;
}

/** Streams one file entry to `target`, enforcing the limits and checking its CRC-32. */
async function writeEntry(
  zip: ZipFile,
  entry: PlannedEntry,
  target: string,
  ctx: WriteContext,
): Promise<number> {
  const { info } = entry;
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  const mode = info.executable ? 0o755 : 0o644;
  const handle = await open(target, 'wx', mode);
  let size = 0;
  let crc = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
      size += chunk.length;
      const refusal = ctx.budget.add(
        { shown: info.shown, compressedSize: entry.compressedSize },
        size,
        chunk.length,
      );
      if (refusal !== undefined) return done(refusal);
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  try {
    await handle.chmod(mode);
    await pipeline(await openData(zip, entry), meter, fileSink(handle));
  } catch (err) {
    if (isMirrorError(err)) throw err;
    throw mirrorError(
      'ARCHIVE_ENTRY_CORRUPT',
      { file: ctx.label, entry: info.shown, reason: messageOf(err) },
      err,
    );
  } finally {
    await handle.close();
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) {
    throw mirrorError('ARCHIVE_ENTRY_CORRUPT', {
      file: ctx.label,
      entry: info.shown,
      reason: 'CRC-32 mismatch',
    });
  }
  return size;
}

/** A stream of an entry's bytes, inflated when deflated; yauzl holds it to its declared size. */
function openData(zip: ZipFile, entry: PlannedEntry): Promise<Readable> {
  const { dataStart, compressedSize, compressionMethod, uncompressedSize } = entry;
  return new Promise((resolve, reject) => {
    zip.openReadStreamLowLevel(
      dataStart,
      compressedSize,
      0,
      compressedSize,
      compressionMethod === 8,
      uncompressedSize,
      (err, stream) => (err === null ? resolve(stream) : reject(err)),
    );
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
