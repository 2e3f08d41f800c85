// Bombs from an attacker's side: entries that share or overlap data, many small
// entries, lying headers. Each is refused with its exact error, leaving nothing behind;
// ordinary compressible files still pass.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractZip } from '../../src/archive/index.js';
import { localRecord, rawZip, writeRawZip, type RawEntry } from '../support/raw-zip.js';
import { area, refusal } from './extract-area.js';

const MiB = 1024 * 1024;
const overlap = (entry: string, other: string): string =>
  `evil.zip entry "${entry}": overlaps the data of entry "${other}" in the zip file (entries may not share data)`;

/** 1,000 entries whose central records all point at one local header of 1 MiB of zeros. */
function sharedHeaderBomb(): RawEntry[] {
  const data = Buffer.alloc(MiB);
  const name = (i: number): string => `template/p${String(i).padStart(4, '0')}`;
  return Array.from({ length: 1000 }, (_, i) =>
    i === 0 ? { name: name(i), data } : { name: name(i), data, at: { entry: 0 } },
  );
}

describe('extractZip against bombs', () => {
  it('refuses 1,000 entries sharing one local header: a ~62 KB zip that would write 1,000 MiB', async () => {
    const entries = sharedHeaderBomb();
    expect(rawZip(entries).length).toBeLessThan(64 * 1024);
    expect((await refusal(entries)).message).toBe(overlap('template/p0001', 'template/p0000'));
  });

  it('refuses two differently named entries at one local header offset', async () => {
    const entries: RawEntry[] = [
      { name: 'a.txt', data: 'alpha' },
      { name: 'b.txt', data: 'alpha', at: { entry: 0 } },
    ];
    expect((await refusal(entries)).message).toBe(overlap('b.txt', 'a.txt'));
  });

  it('refuses an entry whose local header lies inside the stored data of another', async () => {
    const inner: RawEntry = { name: 'inner', data: Buffer.alloc(MiB) };
    const entries: RawEntry[] = [
      { name: 'outer', method: 0, data: localRecord(inner) },
      { ...inner, at: { entry: 0, plus: 30 + 'outer'.length } },
    ];
    expect((await refusal(entries)).message).toBe(overlap('inner', 'outer'));
  });

  it("refuses an entry whose declared data runs over the next entry's header", async () => {
    const entries: RawEntry[] = [
      { name: 'a', data: 'x', compressedSize: 40 },
      { name: 'b', data: Buffer.alloc(100, 1), method: 0 },
    ];
    expect((await refusal(entries)).message).toBe(overlap('b', 'a'));
  });

  it('refuses data that runs into the central directory', async () => {
    const entries: RawEntry[] = [
      { name: 'ok', data: 'x' },
      { name: 'last', data: 'y', compressedSize: 3 + 20 },
    ];
    expect((await refusal(entries)).message).toBe(
      'evil.zip entry "last": its data runs into the zip file’s central directory',
    );
  });

  it('judges the whole archive before writing anything', async () => {
    // The first entry would fail its CRC when written; the archive is refused for what follows it.
    const corrupt: RawEntry = { name: 'corrupt', data: 'x', crc: 1 };
    const shared: RawEntry[] = [
      corrupt,
      { name: 'a', data: 'y' },
      { name: 'b', data: 'y', at: { entry: 1 } },
    ];
    expect((await refusal(shared)).message).toBe(overlap('b', 'a'));
    const declared: RawEntry[] = [corrupt, { name: 'big', data: Buffer.alloc(2000, 1) }];
    expect((await refusal(declared, { maxBytes: 1000 })).message).toBe(
      'evil.zip entry "big": the total size passes the limit of 1000 bytes',
    );
  });

  it('refuses many small entries, each within every per-entry rule, that together pass the ratio', async () => {
    const piece = Buffer.alloc(60_000);
    const entries: RawEntry[] = Array.from({ length: 64 }, (_, i) => ({ name: `f${i}`, data: piece }));
    const size = rawZip(entries).length;
    const cap = Math.max(MiB, size * 200);
    const first = Math.floor(cap / piece.length); // the entry whose bytes pass the cap
    expect(first).toBeLessThan(entries.length);
    expect((await refusal(entries)).message).toBe(
      `evil.zip entry "f${first}": the entries together expand to more than 200 times the archive size of ${size} bytes`,
    );
    // As many of them as fit the cap are accepted.
    const { zip, dest } = await area();
    await writeRawZip(zip, entries.slice(0, 17));
    expect((await extractZip(zip, dest)).length).toBe(17);
  });

  it('refuses an entry inflating to more than its header declares, as corrupt', async () => {
    const liar: RawEntry = { name: 'liar', data: Buffer.alloc(8 * MiB), size: 10 };
    expect((await refusal([liar])).message).toMatch(
      /^evil\.zip entry "liar": corrupt data: too many bytes in the stream\. expected 10\. got at least \d+$/,
    );
  });

  it('accepts an ordinary highly compressible template: 100 KB of blank lines', async () => {
    const { zip, dest } = await area();
    const blank = Buffer.alloc(100 * 1024, '\n');
    await writeRawZip(zip, [
      { name: 'adapter.xml', data: '<Adapter name="t" version="1"/>' },
      { name: 'template/blank.txt', data: blank },
    ]);
    const entries = await extractZip(zip, dest);
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['adapter.xml', 31],
      ['template/blank.txt', 100 * 1024],
    ]);
    expect((await readFile(path.join(dest, 'template/blank.txt'))).equals(blank)).toBe(true);
  });
});
