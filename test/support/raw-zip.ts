import { writeFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A tiny zip builder for tests that writes whatever it is told: any name bytes, any
 * unix mode, flags, methods, CRCs and offsets. Unlike `writeZip` it checks nothing, so
 * tests can build hostile archives (zip slip, links, duplicates, bombs, entries that
 * share data).
 */
export interface RawEntry {
  /** Written as given (a string as UTF-8). */
  readonly name: string | Buffer;
  readonly data?: string | Buffer;
  /** Unix mode with file type bits, in the high 16 bits of the external attributes. Default 0o100644. */
  readonly mode?: number;
  /** 0 stored, 8 deflate (default). */
  readonly method?: number;
  /** General purpose flags; default 0x0800 (UTF-8 name). Bit 0 marks the entry encrypted. */
  readonly flags?: number;
  /** A CRC-32 to write instead of the true one. */
  readonly crc?: number;
  /** A compressed size to declare (local and central) instead of the true one. */
  readonly compressedSize?: number;
  /** An uncompressed size to declare (local and central) instead of the true one. */
  readonly size?: number;
  /**
   * Where the central record points instead of at a local record of its own (none is
   * written): the local header of the earlier entry `entry`, `plus` bytes on. With
   * `plus` 0 two entries share one local header; with `plus` into the other's data,
   * their data overlaps. Sizes and CRC still come from this entry's own data.
   */
  readonly at?: { readonly entry: number; readonly plus?: number };
}

interface Encoded {
  readonly name: Buffer;
  readonly body: Buffer;
  readonly crc: number;
  readonly size: number;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
}

// Bombs repeat one large buffer many times: deflate each buffer once.
const deflated = new WeakMap<Buffer, Buffer>();

function encode(entry: RawEntry): Encoded {
  const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
  const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : (entry.data ?? Buffer.alloc(0));
  const method = entry.method ?? 8;
  let body = data;
  if (method === 8) {
    body = deflated.get(data) ?? deflateRawSync(data);
    deflated.set(data, body);
  }
  const crc = entry.crc ?? crc32(data);
  const compressedSize = entry.compressedSize ?? body.length;
  const size = entry.size ?? data.length;
  return { name, body, crc, size, method, flags: entry.flags ?? 0x0800, compressedSize };
}

/** The local header, name and data of one entry, as `rawZip` writes them. */
export function localRecord(entry: RawEntry): Buffer {
  const e = encode(entry);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(e.flags, 6);
  local.writeUInt16LE(e.method, 8);
  local.writeUInt16LE(0x21, 12);
  local.writeUInt32LE(e.crc >>> 0, 14);
  local.writeUInt32LE(e.compressedSize, 18);
  local.writeUInt32LE(e.size, 22);
  local.writeUInt16LE(e.name.length, 26);
  return Buffer.concat([local, e.name, e.body]);
}

function centralRecord(entry: RawEntry, offset: number): Buffer {
  const e = encode(entry);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(e.flags, 8);
  central.writeUInt16LE(e.method, 10);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(e.crc >>> 0, 16);
  central.writeUInt32LE(e.compressedSize, 20);
  central.writeUInt32LE(e.size, 24);
  central.writeUInt16LE(e.name.length, 28);
  central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
  central.writeUInt32LE(offset, 42);
  return Buffer.concat([central, e.name]);
}

export function rawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (entry.at !== undefined) {
      const base = offsets[entry.at.entry];
      if (base === undefined) throw new Error(`rawZip: entry ${entry.at.entry} is not an earlier entry`);
      offsets.push(base + (entry.at.plus ?? 0));
      continue;
    }
    const local = localRecord(entry);
    offsets.push(offset);
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(entries.map((entry, i) => centralRecord(entry, offsets[i] ?? 0)));
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Writes `rawZip(entries)` to `file`. */
export async function writeRawZip(file: string, entries: readonly RawEntry[]): Promise<void> {
  await writeFile(file, rawZip(entries));
}
