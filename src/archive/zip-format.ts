/**
 * The few zip records Mirror writes (PKWARE APPNOTE 4.3): local file header, central
 * directory header, end of central directory. No zip64, no extra fields, no comments.
 */

/** Largest value a 32-bit size or offset field can hold. */
export const ZIP32_MAX = 0xffff_ffff;
/** Most entries a zip without zip64 can list. */
export const ZIP32_MAX_ENTRIES = 0xffff;

/** 1980-01-01 00:00:00, the earliest DOS date: every entry's timestamp. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** Bit 11: the name is UTF-8. */
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;
const VERSION_NEEDED = 20;
/** Made by Unix (3), spec version 2.0: readers honour the unix mode in the high 16 bits. */
const VERSION_MADE_BY = (3 << 8) | 20;

export const LOCAL_HEADER_SIZE = 30;
/** Offset of the CRC-32 within a local header; sizes follow it. */
export const LOCAL_CRC_OFFSET = 14;

/** One written entry, as the central directory describes it. */
export interface ZipRecord {
  readonly name: Buffer;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Unix mode with file type, e.g. 0o100644. */
  readonly mode: number;
  readonly offset: number;
}

/** A local file header; CRC and sizes are patched in after the data is written. */
export function localHeader(name: Buffer): Buffer {
  const b = Buffer.alloc(LOCAL_HEADER_SIZE + name.length);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION_NEEDED, 4);
  b.writeUInt16LE(FLAG_UTF8, 6);
  b.writeUInt16LE(METHOD_DEFLATE, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  // 14: crc, 18: compressed size, 22: size, all patched later
  b.writeUInt16LE(name.length, 26);
  b.writeUInt16LE(0, 28);
  name.copy(b, LOCAL_HEADER_SIZE);
  return b;
}

/** The CRC-32 and sizes of a local header, to write at its offset + LOCAL_CRC_OFFSET. */
export function localSizes(crc: number, compressedSize: number, size: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(crc >>> 0, 0);
  b.writeUInt32LE(compressedSize, 4);
  b.writeUInt32LE(size, 8);
  return b;
}

/** A central directory header for one entry. */
export function centralHeader(r: ZipRecord): Buffer {
  const b = Buffer.alloc(46 + r.name.length);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION_MADE_BY, 4);
  b.writeUInt16LE(VERSION_NEEDED, 6);
  b.writeUInt16LE(FLAG_UTF8, 8);
  b.writeUInt16LE(METHOD_DEFLATE, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(r.crc >>> 0, 16);
  b.writeUInt32LE(r.compressedSize, 20);
  b.writeUInt32LE(r.size, 24);
  b.writeUInt16LE(r.name.length, 28);
  // 30: extra length, 32: comment length, 34: disk, 36: internal attributes, all 0
  b.writeUInt32LE((r.mode << 16) >>> 0, 38);
  b.writeUInt32LE(r.offset, 42);
  r.name.copy(b, 46);
  return b;
}

/** The end of central directory record. */
export function endOfCentralDirectory(entries: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(entries, 8);
  b.writeUInt16LE(entries, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(offset, 16);
  return b;
}
