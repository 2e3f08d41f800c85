// Hostile archives and paths: calc package zips and directories, project file names.
// Each is refused with its exact error; nothing is stored and nothing written outside.
import { randomBytes } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../src/embedded/index.js';
import { openEmbedded, scratchDir } from '../support/embedded.js';
import { rejectionOf } from '../support/error-of.js';
import { writeRawZip, type RawEntry } from '../support/raw-zip.js';
import { filesUnder, hubSnapshot } from './unchanged.js';

const ADAPTER =
  '<Adapter name="t" version="1"><ExeArgument id="s" type="shell" value="run" priority="1"/></Adapter>';
const BASE: RawEntry[] = [
  { name: 'adapter.xml', data: ADAPTER },
  { name: 'template/', data: '', mode: 0o040755 },
];
const MiB = 1024 * 1024;

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

  it.each(ZIPS)('package zip: %s', async (_name, entries, error) => {
    const zip = join(await scratchDir('mirror-hostile-zip-'), 'pkg.zip');
    await writeRawZip(zip, [...BASE, ...entries]);
    await expectRefused(() => mirror.hub.calcPackages.add({ zip }), error);
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
