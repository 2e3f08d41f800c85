import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { mirrorError } from '../core/index.js';
import { openRegularFile } from './copy-files.js';
import { EntryTable } from './entry-table.js';
import { writeAll } from './file-sink.js';
import { checkRelativePath, comparePaths, quoteName } from './names.js';
import * as zip from './zip-format.js';

/** One file to put in a zip: its bytes from `absPath` or `data` (exactly one). */
export interface ZipSource {
  readonly path: string;
  readonly absPath?: string;
  readonly data?: Uint8Array;
  /** Stored with mode 0755 (else 0644). */
  readonly executable?: boolean;
}

interface Planned extends ZipSource {
  readonly name: string;
}

/**
 * Writes a deterministic zip: entries sorted by path (NFC), deflated, every timestamp
 * 1980-01-01, unix modes 0644/0755, UTF-8 names, no extra fields; the same files give
 * the same bytes. Paths must keep the Names rules; duplicates and overlaps are refused.
 * Files are read without following links. Written to a temporary sibling and renamed
 * into place, so `outFile` is never half-written. No zip64: an entry or archive over
 * 4 GiB, or more than 65,535 entries, is refused.
 */
export async function writeZip(files: readonly ZipSource[], outFile: string): Promise<void> {
  const label = path.basename(outFile);
  const planned = plan(files, label);
  const temp = `${outFile}.${randomBytes(6).toString('hex')}.tmp`;
  const out = await open(temp, 'wx', 0o644);
  try {
    const records: zip.ZipRecord[] = [];
    let offset = 0;
    for (const entry of planned) {
      const name = Buffer.from(entry.name, 'utf8');
      const header = zip.localHeader(name);
      await writeAll(out, header, offset);
      const data = await deflateInto(out, entry, offset + header.length, label);
      await writeAll(
        out,
        zip.localSizes(data.crc, data.compressedSize, data.size),
        offset + zip.LOCAL_CRC_OFFSET,
      );
      records.push({ name, ...data, mode: entry.executable === true ? 0o100755 : 0o100644, offset });
      offset += header.length + data.compressedSize;
    }
    const central = Buffer.concat(records.map((r) => zip.centralHeader(r)));
    if (offset + central.length > zip.ZIP32_MAX) throw tooLarge(label, planned.at(-1)?.name ?? '');
    await writeAll(out, central, offset);
    await writeAll(
      out,
      zip.endOfCentralDirectory(records.length, central.length, offset),
      offset + central.length,
    );
    await out.close();
    await rename(temp, outFile);
  } catch (err) {
    await out.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}

/** Checks names and sources, refuses duplicates and overlaps, sorts. */
function plan(files: readonly ZipSource[], label: string): Planned[] {
  const table = new EntryTable(label);
  const planned = files.map((file) => {
    if ((file.absPath === undefined) === (file.data === undefined)) {
      throw mirrorError('INTERNAL', {
        reason: `zip entry ${quoteName(file.path)} needs exactly one of absPath, data`,
      });
    }
    const name = checkRelativePath(file.path, `${label} entry`, 'the archive');
    table.add(name, 'file', quoteName(file.path));
    return { ...file, name };
  });
  planned.sort((a, b) => comparePaths(a.name, b.name));
  const extra = planned[zip.ZIP32_MAX_ENTRIES];
  if (extra !== undefined) {
    throw mirrorError('ARCHIVE_WRITE_REFUSED', {
      file: label,
      entry: quoteName(extra.name),
      reason: `more than ${zip.ZIP32_MAX_ENTRIES} entries; zip64 is not supported`,
    });
  }
  return planned;
}

/** Deflates one entry's bytes into `out` at `start`; returns its CRC-32 and sizes. */
async function deflateInto(
  out: FileHandle,
  entry: Planned,
  start: number,
  label: string,
): Promise<{ crc: number; size: number; compressedSize: number }> {
  let crc = 0;
  let size = 0;
  let compressedSize = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
      size += chunk.length;
      if (size > zip.ZIP32_MAX) return done(tooLarge(label, entry.name));
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      if (start + compressedSize + chunk.length > zip.ZIP32_MAX) throw tooLarge(label, entry.name);
      await writeAll(out, chunk, start + compressedSize);
      compressedSize += chunk.length;
    }
  };
  const handle = entry.absPath === undefined ? undefined : await openRegularFile(entry.absPath);
  try {
    const source = handle
      ? handle.createReadStream({ autoClose: false })
      : Readable.from([Buffer.from(entry.data ?? new Uint8Array())]);
    await pipeline(source, meter, createDeflateRaw({ level: 9 }), sink);
  } finally {
    await handle?.close();
  }
  return { crc: crc >>> 0, size, compressedSize };
}

function tooLarge(file: string, entry: string): Error {
  return mirrorError('ARCHIVE_WRITE_REFUSED', {
    file,
    entry: quoteName(entry),
    reason: 'the archive would pass 4 GiB; zip64 is not supported',
  });
}
