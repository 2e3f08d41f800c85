// Hostile archives and paths: calc package zips and directories, project file names.
// Each is refused with its exact error; nothing is stored and nothing written outside.
import { randomBytes } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../src/embedded/index.js';
import { openEmbedded, scratchDir } from '../support/embedded.js';
import { rejectionOf } from '../support/error-of.js';
import { localRecord, rawZip, writeRawZip, type RawEntry } from '../support/raw-zip.js';
import { filesUnder, hubSnapshot } from './unchanged.js';

const ADAPTER =
  '<Adapter name="t" version="1"><ExeArgument id="s" type="shell" value="run" priority="1"/></Adapter>';
const BASE: RawEntry[] = [
  { name: 'adapter.xml', data: ADAPTER },
  { name: 'template/', data: '', mode: 0o040755 },
];
const MiB = 1024 * 1024;
const overlap = (entry: string, other: string): string =>
  `pkg.zip entry "${entry}": overlaps the data of entry "${other}" in the zip file (entries may not share data)`;

/** 1,000 entries of one local header and 1 MiB of zeros: ~62 KB that would write 1,000 MiB. */
const sharedBomb: RawEntry[] = Array.from({ length: 1000 }, (_, i) => ({
  name: `template/p${String(i).padStart(4, '0')}`,
  data: Buffer.alloc(MiB),
  ...(i === 0 ? {} : { at: { entry: 2 } }),
}));
const inner: RawEntry = { name: 'template/inner', data: Buffer.alloc(MiB) };
const LONG_PATH = `template/${'d'.repeat(99)}/`.repeat(46).slice(0, 4990) + 'f'.repeat(10);

/** [case, extra entries of the package zip, the exact error]. */
const ZIPS: [string, RawEntry[], string][] = [
  [
    'zip slip with ../',
    [{ name: '../evil.sh', data: 'x' }],
    'pkg.zip entry "../evil.sh": path leaves the extraction directory',
  ],
  [
    'zip slip through a folder',
    [{ name: 'template/../../evil.sh', data: 'x' }],
    'pkg.zip entry "template/../../evil.sh": path has a ".." component',
  ],
  ['an absolute entry', [{ name: '/etc/evil', data: 'x' }], 'pkg.zip entry "/etc/evil": path is absolute'],
  [
    'a drive letter',
    [{ name: 'C:/evil', data: 'x' }],
    'pkg.zip entry "C:/evil": path starts with a drive letter',
  ],
  [
    'a drive-relative name',
    [{ name: 'C:evil', data: 'x' }],
    'pkg.zip entry "C:evil": path starts with a drive letter',
  ],
  [
    'backslashes',
    [{ name: 'template\\..\\..\\evil', data: 'x' }],
    'pkg.zip entry "template\\\\..\\\\..\\\\evil": path contains a backslash',
  ],
  [
    'a symlink entry',
    [{ name: 'template/link', data: '/etc/passwd', mode: 0o120777 }],
    'pkg.zip entry "template/link": symbolic links are not allowed',
  ],
  [
    'a zip bomb by ratio',
    [{ name: 'ratio.bin', data: Buffer.alloc(2 * MiB) }],
    'pkg.zip entry "ratio.bin": expands more than 200 times its compressed size of 2049 bytes',
  ],
  [
    'a duplicate entry',
    [
      { name: 'template/a', data: 'x' },
      { name: 'template/a', data: 'y' },
    ],
    'pkg.zip entry "template/a": duplicate of entry "template/a"',
  ],
  [
    'a NUL in a name',
    [{ name: Buffer.from('template/a\0b'), data: 'x' }],
    'pkg.zip entry "template/a\\u0000b": path contains a control character',
  ],
  [
    'a control character in a name',
    [{ name: 'template/a\x07b', data: 'x' }],
    'pkg.zip entry "template/a\\u0007b": path contains a control character',
  ],
  [
    'one name in two Unicode normalizations',
    [
      { name: 'template/caf\u00e9', data: 'x' },
      { name: 'template/cafe\u0301', data: 'y' },
    ],
    'pkg.zip entry "template/cafe\u0301": duplicate of entry "template/caf\u00e9"',
  ],
  [
    'a path both file and directory',
    [
      { name: 'template/a', data: 'x' },
      { name: 'template/a/b', data: 'y' },
    ],
    'pkg.zip entry "template/a/b": overlaps entry "template/a" (a path cannot be both a file and a directory)',
  ],
  [
    'a template writing into .mirror/',
    [{ name: 'template/.mirror/calc/bin/run', data: 'x' }],
    'calc package pkg.zip: template/.mirror/calc/bin/run would write into the run directory’s .mirror/',
  ],
  [
    'an encrypted entry',
    [{ name: 'template/e', data: 'x', flags: 0x0801 }],
    'pkg.zip entry "template/e": encrypted entries are not supported',
  ],
  [
    'a corrupt entry',
    [{ name: 'template/c', data: 'hello', crc: 1 }],
    'pkg.zip entry "template/c": corrupt data: CRC-32 mismatch',
  ],
  [
    'a FIFO entry',
    [{ name: 'template/fifo', data: '', mode: 0o010644 }],
    'pkg.zip entry "template/fifo": a FIFO entry is not allowed',
  ],
  [
    'a bomb of 1,000 entries sharing one local header',
    sharedBomb,
    overlap('template/p0001', 'template/p0000'),
  ],
  [
    'two names at one local header offset',
    [
      { name: 'template/a', data: 'x' },
      { name: 'template/b', data: 'x', at: { entry: 2 } },
    ],
    overlap('template/b', 'template/a'),
  ],
  [
    "an entry inside another's data",
    [
      { name: 'template/outer', method: 0, data: localRecord(inner) },
      { ...inner, at: { entry: 2, plus: 30 + 'template/outer'.length } },
    ],
    overlap('template/inner', 'template/outer'),
  ],
  [
    'a bidi override in a name',
    [{ name: 'template/report\u202efdp.exe', data: 'x' }],
    'pkg.zip entry "template/report\\u202efdp.exe": path contains a bidirectional control character U+202E',
  ],
  [
    'a zero-width space in a name',
    [{ name: 'template/para\u200b.xml', data: 'x' }],
    'pkg.zip entry "template/para\\u200b.xml": path contains a zero-width or invisible character U+200B',
  ],
  [
    'a name of only spaces',
    [{ name: 'template/   ', data: 'x' }],
    'pkg.zip entry "template/   ": path has a component that is only spaces',
  ],
  [
    'a 5000-byte path',
    [{ name: LONG_PATH, data: 'x' }],
    `pkg.zip entry "${LONG_PATH.slice(0, 200)}…": path of 5000 bytes is over the limit of 4096`,
  ],
];

/** [case, project file name, the exact error]. */
const PROJECT_FILES: [string, string, string][] = [
  ['a name with ..', '../x', 'project file "../x": path leaves its directory'],
  ['a name with .. inside', 'a/../../b', 'project file "a/../../b": path has a ".." component'],
  ['an absolute name', '/abs', 'project file "/abs": path is absolute'],
  ['a NUL in a name', 'a\0b', 'project file "a\\u0000b": path contains a control character'],
  ['a newline in a name', 'a\nb', 'project file "a\\nb": path contains a control character'],
  ['a backslash', 'C:\\x', 'project file "C:\\\\x": path contains a backslash'],
  ['an empty name', '', 'project file "": path is empty'],
  ['an empty component', 'a//b', 'project file "a//b": path has an empty component'],
  [
    'a bidi override',
    'invoice\u202efdp.exe',
    'project file "invoice\\u202efdp.exe": path contains a bidirectional control character U+202E',
  ],
  [
    'a zero-width space',
    'para\u200b.xml',
    'project file "para\\u200b.xml": path contains a zero-width or invisible character U+200B',
  ],
  ['only spaces', '   ', 'project file "   ": path has a component that is only spaces'],
  [
    'a 5000-byte path',
    LONG_PATH,
    `project file "${LONG_PATH.slice(0, 200)}…": path of 5000 bytes is over the limit of 4096`,
  ],
];

describe('hostile archives and paths', () => {
  let mirror: Embedded;

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'false', 'limits.archiveBytes': String(4 * MiB) });
  });

  /** Refused, with the store, the file store and the staging area as they were. */
  const expectRefused = async (attempt: () => Promise<unknown>, error: string) => {
    const before = await hubSnapshot(mirror.hub);
    const tmp = await filesUnder(join(mirror.hub.config.workdir, 'tmp'));
    expect(await rejectionOf(attempt())).toBe(error);
    expect(await hubSnapshot(mirror.hub)).toEqual(before);
    expect(await filesUnder(join(mirror.hub.config.workdir, 'tmp'))).toEqual(tmp);
  };

  /** Refused like `expectRefused`, and nothing written beside the zip. */
  const expectZipRefused = async (entries: readonly RawEntry[], error: string) => {
    const dir = await scratchDir('mirror-hostile-zip-');
    const zip = join(dir, 'pkg.zip');
    await writeRawZip(zip, entries);
    const beside = await filesUnder(dir);
    await expectRefused(() => mirror.hub.calcPackages.add({ zip }), error);
    expect(await filesUnder(dir)).toEqual(beside);
  };

  it.each(ZIPS)('package zip: %s', async (_name, entries, error) => {
    await expectZipRefused([...BASE, ...entries], error);
  });

  it('package zip: a bomb of many small entries, each within every per-entry limit', async () => {
    // 64 files of 60,000 zeros: each far under ratioFreeBytes, 3.84 MB in all (under
    // limits.archiveBytes), from a zip of some 12 KB: together past 200 times its size.
    const piece = Buffer.alloc(60_000);
    const files = Array.from({ length: 64 }, (_, i) => ({ name: `template/f${i}`, data: piece }));
    const entries = [...BASE, ...files];
    const size = rawZip(entries).length;
    const cap = Math.max(MiB, size * 200);
    let written = ADAPTER.length;
    const first = files.findIndex(() => (written += piece.length) > cap);
    expect(first).toBeGreaterThan(0);
    await expectZipRefused(
      entries,
      `pkg.zip entry "template/f${first}": the entries together expand to more than 200 times the archive size of ${size} bytes`,
    );
  });

  it('package zip: a package name of 900,000 characters', async () => {
    const name = 'n'.repeat(900_000);
    const adapter = ADAPTER.replace('name="t"', `name="${name}"`);
    await expectZipRefused(
      [{ name: 'adapter.xml', data: adapter }, BASE[1]!],
      `adapter.xml line 1: <Adapter> name="${'n'.repeat(80)}…": longer than 200 characters`,
    );
  });

  it('package zip: an ordinary highly compressible template (100 KB of blank lines) is accepted', async () => {
    const zip = join(await scratchDir('mirror-hostile-zip-'), 'pkg.zip');
    await writeRawZip(zip, [...BASE, { name: 'template/blank.txt', data: Buffer.alloc(100 * 1024, '\n') }]);
    const added = await mirror.hub.calcPackages.add({ zip });
    expect(added.id).toBeGreaterThan(0);
  });

  it('package zip: a bomb by size (incompressible, past limits.archiveBytes)', async () => {
    const zip = join(await scratchDir('mirror-hostile-zip-'), 'pkg.zip');
    await writeRawZip(zip, [...BASE, { name: 'big.bin', data: randomBytes(5 * MiB), method: 0 }]);
    await expectRefused(
      () => mirror.hub.calcPackages.add({ zip }),
      `pkg.zip entry "big.bin": the total size passes the limit of ${4 * MiB} bytes`,
    );
  });

  it('package directory: a symlink in its template pointing outside', async () => {
    const dir = await scratchDir('mirror-hostile-dir-');
    await mkdir(join(dir, 'template'));
    await writeFile(join(dir, 'adapter.xml'), ADAPTER);
    await symlink('/etc/passwd', join(dir, 'template', 'passwd'));
    await expectRefused(
      () => mirror.hub.calcPackages.add({ dir }),
      `${dir}: "template/passwd" is a symbolic link; only regular files and directories are allowed`,
    );
  });

  it.each(PROJECT_FILES)('project file: %s', async (_name, fileName, error) => {
    await expectRefused(
      () =>
        mirror.hub.projects.create(`hostile-${Math.random().toString(36).slice(2, 8)}`, [
          { name: fileName, data: new Uint8Array([1]) },
        ]),
      error,
    );
  });
});
