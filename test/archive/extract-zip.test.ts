import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractZip, writeZip } from '../../src/archive/index.js';
import { writeRawZip, type RawEntry } from '../support/raw-zip.js';
import { area, refusal } from './extract-area.js';

const ok: RawEntry = { name: 'first.txt', data: 'written before the bad entry' };

describe('extractZip', () => {
  it('extracts files and directories, modes 0644/0755, special bits dropped', async () => {
    const { zip, dest } = await area();
    await writeRawZip(zip, [
      { name: 'dir/', mode: 0o40755 },
      { name: 'dir/a.txt', data: 'alpha', mode: 0o104777 },
      { name: 'run.sh', data: '#!/bin/sh\n', mode: 0o100700, method: 0 },
      { name: 'plain', data: 'x', mode: 0 },
      { name: 'implied/deep/b.txt', data: 'beta' },
    ]);
    const entries = await extractZip(zip, dest);
    expect(entries).toEqual([
      { path: 'dir', kind: 'directory', size: 0, executable: false },
      { path: 'dir/a.txt', kind: 'file', size: 5, executable: true },
      { path: 'implied/deep/b.txt', kind: 'file', size: 4, executable: false },
      { path: 'plain', kind: 'file', size: 1, executable: false },
      { path: 'run.sh', kind: 'file', size: 10, executable: true },
    ]);
    expect(await readFile(path.join(dest, 'dir/a.txt'), 'utf8')).toBe('alpha');
    expect((await stat(path.join(dest, 'dir/a.txt'))).mode & 0o7777).toBe(0o755);
    expect((await stat(path.join(dest, 'run.sh'))).mode & 0o7777).toBe(0o755);
    expect((await stat(path.join(dest, 'plain'))).mode & 0o7777).toBe(0o644);
  });

  it('reads a zip made by Info-ZIP zip', async () => {
    const { root, dest } = await area();
    const src = path.join(root, 'src');
    await mkdir(path.join(src, 'sub'), { recursive: true });
    await writeFile(path.join(src, 'sub', 'f.txt'), 'from zip(1)\n');
    execFileSync('zip', ['-qr', '../made.zip', '.'], { cwd: src });
    const entries = await extractZip(path.join(root, 'made.zip'), dest);
    expect(entries.map((e) => `${e.kind} ${e.path}`)).toEqual(['directory sub', 'file sub/f.txt']);
    expect(await readFile(path.join(dest, 'sub/f.txt'), 'utf8')).toBe('from zip(1)\n');
  });

  it('extracts into an existing empty directory and leaves it empty on failure', async () => {
    const { zip, dest } = await area();
    await mkdir(dest, { recursive: true });
    await writeRawZip(zip, [ok, { name: '../x', data: 'x' }]);
    await expect(extractZip(zip, dest)).rejects.toThrow(
      'evil.zip entry "../x": path leaves the extraction directory',
    );
    expect(await readdir(dest)).toEqual([]);
  });

  it('refuses a destination that is not empty, touching nothing', async () => {
    const { zip, dest } = await area();
    await mkdir(dest, { recursive: true });
    await writeFile(path.join(dest, 'keep'), 'mine');
    await writeRawZip(zip, [ok]);
    await expect(extractZip(zip, dest)).rejects.toThrow(`directory ${dest} is not empty`);
    expect(await readdir(dest)).toEqual(['keep']);
  });

  const hostile: [string, RawEntry[], string][] = [
    [
      'zip slip',
      [ok, { name: '../x', data: 'x' }],
      'evil.zip entry "../x": path leaves the extraction directory',
    ],
    [
      'deep zip slip',
      [{ name: 'a/../../x', data: 'x' }],
      'evil.zip entry "a/../../x": path has a ".." component',
    ],
    ['an absolute name', [ok, { name: '/etc/x', data: 'x' }], 'evil.zip entry "/etc/x": path is absolute'],
    [
      'a drive letter',
      [{ name: 'C:/x', data: 'x' }],
      'evil.zip entry "C:/x": path starts with a drive letter',
    ],
    ['a backslash', [{ name: '..\\x', data: 'x' }], 'evil.zip entry "..\\\\x": path contains a backslash'],
    [
      'NUL in a name',
      [{ name: 'a\u0000b', data: 'x' }],
      'evil.zip entry "a\\u0000b": path contains a control character',
    ],
    [
      'a symlink entry',
      [ok, { name: 'link', data: '/etc/passwd', mode: 0o120777 }],
      'evil.zip entry "link": symbolic links are not allowed',
    ],
    ['a FIFO entry', [{ name: 'p', mode: 0o010644 }], 'evil.zip entry "p": a FIFO entry is not allowed'],
    [
      'a duplicate entry',
      [ok, { name: 'first.txt', data: 'again' }],
      'evil.zip entry "first.txt": duplicate of entry "first.txt"',
    ],
    [
      'names equal after NFC',
      [
        { name: 'caf\u00e9', data: '1' },
        { name: 'cafe\u0301', data: '2' },
      ],
      'evil.zip entry "cafe\u0301": duplicate of entry "caf\u00e9"',
    ],
    [
      'a file under a file',
      [ok, { name: 'first.txt/x', data: 'x' }],
      'evil.zip entry "first.txt/x": overlaps entry "first.txt" (a path cannot be both a file and a directory)',
    ],
    [
      'a file where a directory is implied',
      [
        { name: 'd/x', data: 'x' },
        { name: 'd', data: 'x' },
      ],
      'evil.zip entry "d": overlaps entry "d/x" (a path cannot be both a file and a directory)',
    ],
    [
      'a file and a directory entry of one path',
      [
        { name: 'd/', mode: 0o40755 },
        { name: 'd', data: 'x' },
      ],
      'evil.zip entry "d": overlaps entry "d/" (a path cannot be both a file and a directory)',
    ],
    [
      'an encrypted entry',
      [{ name: 'secret', data: 'x', flags: 0x0801 }],
      'evil.zip entry "secret": encrypted entries are not supported',
    ],
    [
      'an unknown compression method',
      [{ name: 'bz', data: 'x', method: 12 }],
      'evil.zip entry "bz": compression method 12 is not supported (only stored and deflate)',
    ],
    [
      'a name that is not UTF-8',
      [{ name: Buffer.from([0x61, 0xff]), data: 'x' }],
      'evil.zip entry "a\ufffd": name is not valid UTF-8',
    ],
    [
      'a bad CRC',
      [ok, { name: 'bad', data: 'x', crc: 1 }],
      'evil.zip entry "bad": corrupt data: CRC-32 mismatch',
    ],
  ];
  for (const [what, entries, message] of hostile) {
    it(`refuses ${what}, leaving nothing behind`, async () => {
      expect((await refusal(entries)).message).toBe(message);
    });
  }

  it('refuses a bomb over the ratio', async () => {
    const bomb = { name: 'bomb', data: Buffer.alloc(8 * 1024 * 1024) };
    const { message } = await refusal([ok, bomb]);
    expect(message).toMatch(
      /^evil\.zip entry "bomb": expands more than 200 times its compressed size of \d+ bytes$/,
    );
  });

  it('lets small compressible files through, up to ratioFreeBytes', async () => {
    const { zip, dest } = await area();
    await writeRawZip(zip, [{ name: 'blank', data: Buffer.alloc(512 * 1024) }]);
    expect((await extractZip(zip, dest))[0]?.size).toBe(512 * 1024);
  });

  it('refuses more bytes in all than maxBytes, and more entries than maxEntries', async () => {
    const files = [1, 2, 3].map((n) => ({ name: `f${n}`, data: Buffer.alloc(400, n) }));
    expect((await refusal(files, { maxBytes: 1000 })).message).toBe(
      'evil.zip entry "f3": the total size passes the limit of 1000 bytes',
    );
    expect((await refusal(files, { maxEntries: 2 })).message).toBe('evil.zip: more than 2 entries');
  });

  it('refuses a file that is not a zip', async () => {
    const { zip, dest } = await area();
    await writeFile(zip, 'not a zip at all');
    await expect(extractZip(zip, dest)).rejects.toThrow(
      'evil.zip: not a readable zip archive: End of central directory record signature not found',
    );
    await expect(stat(dest)).rejects.toThrow(/ENOENT/);
  });

  it('reads back what writeZip wrote', async () => {
    const { zip, dest } = await area();
    await writeZip(
      [
        { path: 'b.txt', data: Buffer.from('bee') },
        { path: 'bin/tool', data: Buffer.from('#!/bin/sh\n'), executable: true },
      ],
      zip,
    );
    const entries = await extractZip(zip, dest);
    expect(entries.map((e) => [e.path, e.executable])).toEqual([
      ['b.txt', false],
      ['bin/tool', true],
    ]);
  });
});
