import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractZip, writeZip, type ZipSource } from '../../src/archive/index.js';
import { scratchDir } from '../support/scratch.js';

const tmp = await scratchDir('mirror-writezip-');

const sha = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('writeZip', () => {
  it('is deterministic whatever the input order, and readable by yauzl, unzip and python', async () => {
    const disk = path.join(tmp, 'on-disk.txt');
    await writeFile(disk, 'from disk\n'.repeat(1000));
    const files: ZipSource[] = [
      { path: 'z/last.txt', data: Buffer.from('z') },
      { path: 'bin/tool', data: Buffer.from('#!/bin/sh\necho hi\n'), executable: true },
      { path: 'disk.txt', absPath: disk },
      { path: 'empty', data: new Uint8Array() },
      { path: 'naïve.txt', data: Buffer.from('n') },
    ];
    const one = path.join(tmp, 'one.zip');
    const two = path.join(tmp, 'two.zip');
    await writeZip(files, one);
    await writeZip([...files].reverse(), two);
    expect(await sha(one)).toBe(await sha(two));

    const listing = execFileSync('unzip', ['-Z', one], { encoding: 'utf8' });
    expect(listing).toMatch(/-rwxr-xr-x .* 80-Jan-01 00:00 bin\/tool/);
    expect(listing).toMatch(/-rw-r--r-- .* 80-Jan-01 00:00 disk\.txt/);
    execFileSync('unzip', ['-tq', one]);
    const py = execFileSync(
      'python3',
      [
        '-c',
        'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip(), [i.filename for i in z.infolist()])',
        one,
      ],
      { encoding: 'utf8' },
    );
    expect(py.trim()).toBe("None ['bin/tool', 'disk.txt', 'empty', 'naïve.txt', 'z/last.txt']");

    const out = path.join(tmp, 'out');
    await extractZip(one, out);
    expect(await readFile(path.join(out, 'disk.txt'), 'utf8')).toBe('from disk\n'.repeat(1000));
  });

  it('refuses names breaking the Names rules, duplicates and overlaps, writing nothing', async () => {
    const out = path.join(tmp, 'bad.zip');
    const cases: [ZipSource[], string][] = [
      [[{ path: '../x', data: Buffer.from('') }], 'bad.zip entry "../x": path leaves the archive'],
      [[{ path: '/etc/x', data: Buffer.from('') }], 'bad.zip entry "/etc/x": path is absolute'],
      [[{ path: 'a\\b', data: Buffer.from('') }], 'bad.zip entry "a\\\\b": path contains a backslash'],
      [
        [
          { path: 'a', data: Buffer.from('') },
          { path: 'a', data: Buffer.from('') },
        ],
        'bad.zip entry "a": duplicate of entry "a"',
      ],
      [
        [
          { path: 'a', data: Buffer.from('') },
          { path: 'a/b', data: Buffer.from('') },
        ],
        'bad.zip entry "a/b": overlaps entry "a" (a path cannot be both a file and a directory)',
      ],
    ];
    for (const [files, message] of cases) await expect(writeZip(files, out)).rejects.toThrow(message);
    expect(await readdir(tmp)).not.toContain('bad.zip');
  });

  it('leaves no temporary file when a source cannot be read', async () => {
    await expect(
      writeZip([{ path: 'x', absPath: path.join(tmp, 'does-not-exist') }], path.join(tmp, 'missing.zip')),
    ).rejects.toThrow(/ENOENT/);
    expect((await readdir(tmp)).filter((n) => n.startsWith('missing'))).toEqual([]);
  });
});
