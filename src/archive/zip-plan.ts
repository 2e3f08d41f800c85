import type { Entry, ZipFile } from 'yauzl';
import { mirrorError } from '../core/index.js';
import { ArchiveBudget } from './archive-budget.js';
import { findRangeClash, type DataRange } from './data-ranges.js';
import { EntryTable } from './entry-table.js';
import type { ArchiveLimits } from './limits.js';
import { describeEntry, type EntryInfo } from './zip-entry.js';

/** One entry of an archive, judged and placed: what extracting it needs, no more. */
export interface PlannedEntry {
  readonly info: EntryInfo;
  /** Where its compressed data starts in the zip file (after the local header). */
  readonly dataStart: number;
  readonly compressedSize: number;
  /** As the central directory declares it; the inflater is held to it. */
  readonly uncompressedSize: number;
  readonly crc32: number;
  /** 0 stored, 8 deflate (others are refused by `describeEntry`). */
  readonly compressionMethod: number;
}

/**
 * Judges a whole archive before anything of it is written, reading its central
 * directory and every local header: each entry's header (`describeEntry`), more entries
 * than `maxEntries`, duplicate and overlapping paths, entries sharing bytes of the zip
 * file (one local header, or overlapping data) or reaching into the central directory,
 * and declared sizes that already break a size limit (`ArchiveBudget`: the total, an
 * entry's ratio, the archive's ratio). Declared sizes are used only to refuse early:
 * extraction counts the real bytes again and yauzl holds each entry to its declared
 * size. Keeps only a few numbers and the name per entry, so memory is bounded by
 * `maxEntries`. Returns the entries in directory order.
 */
export async function planExtraction(
  zip: ZipFile,
  file: string,
  limits: ArchiveLimits,
): Promise<PlannedEntry[]> {
  const centralStart = centralDirectoryStart(zip);
  const table = new EntryTable(file);
  const read: { entry: PlannedEntry; offset: number }[] = [];
  for await (const entry of zip.eachEntry()) {
    if (read.length >= limits.maxEntries) {
      throw mirrorError('ARCHIVE_TOO_MANY_ENTRIES', { file, limit: limits.maxEntries });
    }
    const info = describeEntry(file, entry);
    table.add(info.path, info.kind, info.shown);
    read.push({
      entry: { info, ...sizesOf(entry), dataStart: 0 },
      offset: entry.relativeOffsetOfLocalHeader,
    });
  }
  const planned: PlannedEntry[] = [];
  const ranges: DataRange[] = [];
  for (const { entry, offset } of read) {
    const dataStart = await localDataStart(zip, file, entry, offset);
    planned.push({ ...entry, dataStart });
    ranges.push({ start: offset, end: dataStart + entry.compressedSize, shown: entry.info.shown });
  }
  const clash = findRangeClash(ranges, centralStart);
  if (clash?.kind === 'entries') throw mirrorError('ARCHIVE_DATA_OVERLAP', { file, ...clash });
  if (clash !== undefined) throw mirrorError('ARCHIVE_DATA_IN_DIRECTORY', { file, entry: clash.entry });
  checkDeclaredSizes(planned, new ArchiveBudget(file, limits, zip.fileSize));
  return planned;
}

function sizesOf(entry: Entry): Omit<PlannedEntry, 'info' | 'dataStart'> {
  const { compressedSize, uncompressedSize, crc32, compressionMethod } = entry;
  return { compressedSize, uncompressedSize, crc32, compressionMethod };
}

/** Refuses, before writing, an archive whose files' declared sizes break a size limit. */
function checkDeclaredSizes(planned: readonly PlannedEntry[], budget: ArchiveBudget): void {
  for (const { info, uncompressedSize, compressedSize } of planned) {
    if (info.kind !== 'file') continue;
    const refusal = budget.add({ shown: info.shown, compressedSize }, uncompressedSize, uncompressedSize);
    if (refusal !== undefined) throw refusal;
  }
}

/**
 * Where an entry's data starts: after its local header's own name and extra field,
 * whose lengths may differ from the central directory's. yauzl checks the signature and
 * that the data ends inside the file.
 */
async function localDataStart(
  zip: ZipFile,
  file: string,
  entry: PlannedEntry,
  offset: number,
): Promise<number> {
  const located = { relativeOffsetOfLocalHeader: offset, compressedSize: entry.compressedSize } as Entry;
  try {
    return (await zip.readLocalFileHeaderPromise(located, { minimal: true })).fileDataStart;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw mirrorError('ARCHIVE_ENTRY_CORRUPT', { file, entry: entry.info.shown, reason }, err);
  }
}

/**
 * The offset of the central directory: yauzl's cursor before the first entry is read
 * (its type declares the field wrongly). Without it, the end of the file.
 */
function centralDirectoryStart(zip: ZipFile): number {
  const cursor: unknown = (zip as unknown as { readEntryCursor?: unknown }).readEntryCursor;
  return typeof cursor === 'number' ? cursor : zip.fileSize;
}
