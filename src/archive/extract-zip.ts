import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { isMirrorError, mirrorError } from '../core/index.js';
import { claimDestination, releaseDestination } from './destination.js';
import { EntryTable } from './entry-table.js';
import { fileSink } from './file-sink.js';
import { archiveLimits, type ArchiveLimits } from './limits.js';
import { comparePaths } from './names.js';
import { describeEntry, type EntryInfo } from './zip-entry.js';

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
 * Extracts an untrusted zip into `destDir`, which must be absent or empty. Every entry
 * is judged before anything of it is written (names, links, duplicates, overlaps,
 * encryption), and sizes are counted out of the inflater as the bytes arrive, never
 * taken from headers. On any refusal or error everything extracted is removed and
 * `destDir` is left as it was (absent or empty). Files get mode 0644, or 0755 when an
 * execute bit was set; they are created exclusively, so nothing is written through a
 * link. Returns the entries sorted by path.
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
    if (zip.entryCount > limits.maxEntries) throw tooManyEntries(label, limits);
    const table = new EntryTable(label);
    const budget = { bytes: 0 };
    const extracted: ExtractedEntry[] = [];
    for await (const entry of zip.eachEntry()) {
      if (extracted.length >= limits.maxEntries) throw tooManyEntries(label, limits);
      const info = describeEntry(label, entry);
      table.add(info.path, info.kind, info.shown);
      const target = path.join(destDir, ...info.path.split('/'));
      if (info.kind === 'directory') {
        await mkdir(target, { recursive: true, mode: 0o755 });
        extracted.push({ path: info.path, kind: 'directory', size: 0, executable: false });
        continue;
      }
      const size = await writeEntry(zip, entry, info, target, { label, limits, budget });
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
  readonly limits: ArchiveLimits;
  /** Bytes inflated so far by the whole archive. */
  readonly budget: { bytes: number };
}

/** Streams one file entry to `target`, enforcing the limits and checking its CRC-32. */
async function writeEntry(
  zip: ZipFile,
  entry: Entry,
  info: EntryInfo,
  target: string,
  ctx: WriteContext,
): Promise<number> {
  const { label, limits, budget } = ctx;
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  const mode = info.executable ? 0o755 : 0o644;
  const handle = await open(target, 'wx', mode);
  let size = 0;
  let crc = 0;
  const ratioCap = Math.max(entry.compressedSize, 1) * limits.maxRatio;
  const meter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
      size += chunk.length;
      budget.bytes += chunk.length;
      if (budget.bytes > limits.maxBytes) {
        done(mirrorError('ARCHIVE_TOO_LARGE', { file: label, entry: info.shown, limit: limits.maxBytes }));
        return;
      }
      if (size > limits.ratioFreeBytes && size > ratioCap) {
        const compressed = entry.compressedSize;
        done(
          mirrorError('ARCHIVE_RATIO', {
            file: label,
            entry: info.shown,
            limit: limits.maxRatio,
            compressed,
          }),
        );
        return;
      }
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  try {
    await handle.chmod(mode);
    const source = await zip.openReadStreamPromise(entry);
    await pipeline(source, meter, fileSink(handle));
  } catch (err) {
    if (isMirrorError(err)) throw err;
    throw mirrorError(
      'ARCHIVE_ENTRY_CORRUPT',
      { file: label, entry: info.shown, reason: messageOf(err) },
      err,
    );
  } finally {
    await handle.close();
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) {
    throw mirrorError('ARCHIVE_ENTRY_CORRUPT', { file: label, entry: info.shown, reason: 'CRC-32 mismatch' });
  }
  return size;
}

function tooManyEntries(file: string, limits: ArchiveLimits): Error {
  return mirrorError('ARCHIVE_TOO_MANY_ENTRIES', { file, limit: limits.maxEntries });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
