import { chmod, cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkDirectory, writeZip, type ZipSource } from '../../src/archive/index.js';
import { loadCalcPackage, packCalcPackage } from '../../src/calc-package/index.js';
import { writeRawZip } from '../support/raw-zip.js';
import { scratchDir } from '../support/scratch.js';

const CAVITY = path.join(import.meta.dirname, '../fixtures/calc-packages/cavity');

const tmp = await scratchDir('mirror-package-');

let counter = 0;
const fresh = (name: string): string => path.join(tmp, `${name}-${++counter}`);

/** The cavity fixture's files as zip sources, under `prefix`, bin/ files NOT executable. */
async function cavitySources(prefix = ''): Promise<ZipSource[]> {
  return (await walkDirectory(CAVITY)).map((f) => ({ path: prefix + f.path, absPath: f.absPath }));
}

/** A copy of the cavity fixture to modify. */
async function cavityCopy(): Promise<string> {
  const dir = fresh('cavity');
  await cp(CAVITY, dir, { recursive: true });
  return dir;
}

const failure = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'no error',
    (err: Error) => err.message,
  );

describe('loadCalcPackage', () => {
  it('loads a package directory: adapter parsed, files listed, hooks checked', async () => {
    const staging = fresh('staging');
    const loaded = await loadCalcPackage({ dir: CAVITY }, staging);
    expect(loaded.root).toBe(staging);
    expect(loaded.adapter.name).toBe('cavity');
    expect(loaded.files.map((f) => [f.path, f.executable])).toEqual([
      ['adapter.xml', false],
      ['bin/mesh', true],
      ['bin/report', true],
      ['bin/solve', true],
      ['hooks.mjs', false],
      ['template/FLOW/solver.in.tpl', false],
      ['template/GRID/README', false],
      ['template/POST/README', false],
    ]);
    expect(await readFile(path.join(staging, 'adapter.xml'), 'utf8')).toContain('name="cavity"');
  });

  it('loads a zip, stripping a single top-level folder, making bin/ executable', async () => {
    const zip = fresh('cavity.zip');
    await writeZip(await cavitySources('cavity-1.2.0/'), zip);
    const staging = fresh('staging');
    const loaded = await loadCalcPackage({ zip }, staging);
    expect(loaded.files.map((f) => f.path)).toContain('template/FLOW/solver.in.tpl');
    expect((await readdir(staging)).sort()).toEqual(['adapter.xml', 'bin', 'hooks.mjs', 'template']);
    expect((await stat(path.join(staging, 'bin/mesh'))).mode & 0o777).toBe(0o755);
    expect(loaded.files.find((f) => f.path === 'bin/mesh')?.executable).toBe(true);
  });

  it('refuses a zip-slip entry with the exact error, nothing written outside, staging removed', async () => {
    const zip = path.join(fresh('slip'), 'evil.zip');
    await mkdir(path.dirname(zip));
    await writeRawZip(zip, [
      { name: 'adapter.xml', data: await readFile(path.join(CAVITY, 'adapter.xml')) },
      { name: '../escaped.txt', data: 'gotcha' },
    ]);
    const staging = path.join(path.dirname(zip), 'staging');
    expect(await failure(loadCalcPackage({ zip }, staging))).toBe(
      'evil.zip entry "../escaped.txt": path leaves the extraction directory',
    );
    expect(await readdir(path.dirname(zip))).toEqual(['evil.zip']);
  });

  it('refuses a symlink entry in a zip, staging removed', async () => {
    const zip = fresh('link.zip');
    await writeRawZip(zip, [
      { name: 'adapter.xml', data: await readFile(path.join(CAVITY, 'adapter.xml')) },
      { name: 'template/passwd', data: '/etc/passwd', mode: 0o120777 },
    ]);
    const staging = fresh('staging');
    expect(await failure(loadCalcPackage({ zip }, staging))).toBe(
      `${path.basename(zip)} entry "template/passwd": symbolic links are not allowed`,
    );
    await expect(stat(staging)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a package directory holding a symlink, staging removed', async () => {
    const dir = await cavityCopy();
    await symlink('/etc', path.join(dir, 'template/etc'));
    const staging = fresh('staging');
    expect(await failure(loadCalcPackage({ dir }, staging))).toBe(
      `${dir}: "template/etc" is a symbolic link; only regular files and directories are allowed`,
    );
    await expect(stat(staging)).rejects.toThrow(/ENOENT/);
  });

  it('removes the staging directory when validation fails after extraction', async () => {
    const dir = await cavityCopy();
    await rm(path.join(dir, 'template/FLOW/solver.in.tpl'));
    const staging = fresh('staging');
    expect(await failure(loadCalcPackage({ dir }, staging))).toBe(
      'adapter.xml line 11: <Template> src="FLOW/solver.in.tpl": template/FLOW/solver.in.tpl is not in the package',
    );
    await expect(stat(staging)).rejects.toThrow(/ENOENT/);
  });

  it('needs adapter.xml at the root', async () => {
    const zip = fresh('noadapter.zip');
    await writeZip([{ path: 'a/b/adapter.xml', data: Buffer.from('<Adapter/>') }], zip);
    expect(await failure(loadCalcPackage({ zip }, fresh('staging')))).toBe(
      `calc package ${path.basename(zip)}: no adapter.xml at its root`,
    );
  });

  it('refuses an invalid adapter with its own message', async () => {
    const dir = await cavityCopy();
    const xml = await readFile(path.join(dir, 'adapter.xml'), 'utf8');
    await writeFile(path.join(dir, 'adapter.xml'), xml.replace('priority="2"', 'priority="abc"'));
    expect(await failure(loadCalcPackage({ dir }, fresh('staging')))).toBe(
      'adapter.xml line 6: <ExeArgument> priority="abc": not a number',
    );
  });

  it('needs hooks.mjs when a hook is named, exporting each named function', async () => {
    const noHooks = await cavityCopy();
    await rm(path.join(noHooks, 'hooks.mjs'));
    expect(await failure(loadCalcPackage({ dir: noHooks }, fresh('staging')))).toBe(
      'adapter.xml line 4: <ExeArgument> premethod="gridPre": the package has no hooks.mjs',
    );
    const partial = await cavityCopy();
    await writeFile(
      path.join(partial, 'hooks.mjs'),
      'export function gridPre() {}\nexport const gridPost = () => 1;\n',
    );
    expect(await failure(loadCalcPackage({ dir: partial }, fresh('staging')))).toBe(
      'adapter.xml line 6: <ExeArgument> postmethod="flowPost": hooks.mjs exports no function flowPost',
    );
  });

  it('reports a hooks.mjs that throws or hangs while loading', async () => {
    const throws = await cavityCopy();
    await writeFile(path.join(throws, 'hooks.mjs'), "throw new TypeError('no solver licence');\n");
    const name = path.basename(throws);
    expect(await failure(loadCalcPackage({ dir: throws }, fresh('staging')))).toBe(
      `calc package ${name}: hooks.mjs cannot be loaded: TypeError: no solver licence`,
    );
    const hangs = await cavityCopy();
    await writeFile(path.join(hangs, 'hooks.mjs'), 'await new Promise(() => setInterval(() => {}, 1000));\n');
    const staging = fresh('staging');
    expect(await failure(loadCalcPackage({ dir: hangs }, staging, { hooksTimeoutMs: 500 }))).toBe(
      `calc package ${path.basename(hangs)}: hooks.mjs cannot be loaded: it did not load within 0.5 s`,
    );
    await expect(stat(staging)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a hooks.mjs that writes over its list of exports while loading, and the hub lives on', async () => {
    for (const [change, reason] of [
      [
        "String(s).replace('[', '{')",
        'its list of exports is malformed (does the module write to stdout while loading?)',
      ],
      ["String(s).replace(/\\[.*\\]/, '{}')", 'its list of exports is not a list of names'],
    ] as const) {
      const dir = await cavityCopy();
      await writeFile(
        path.join(dir, 'hooks.mjs'),
        `const write = process.stdout.write.bind(process.stdout);\nprocess.stdout.write = (s, ...rest) => write(${change}, ...rest);\n`,
      );
      expect(await failure(loadCalcPackage({ dir }, fresh('staging')))).toBe(
        `calc package ${path.basename(dir)}: hooks.mjs cannot be loaded: ${reason}`,
      );
    }
  });

  it('refuses a file named bin', async () => {
    const dir = await cavityCopy();
    await rm(path.join(dir, 'bin'), { recursive: true });
    await writeFile(path.join(dir, 'bin'), 'not a directory');
    expect(await failure(loadCalcPackage({ dir }, fresh('staging')))).toBe(
      `calc package ${path.basename(dir)}: bin is a file; it must be a directory`,
    );
  });

  it('refuses a staging directory that is not empty, leaving it alone', async () => {
    const staging = fresh('staging');
    await mkdir(staging);
    await writeFile(path.join(staging, 'keep'), 'x');
    expect(await failure(loadCalcPackage({ dir: CAVITY }, staging))).toBe(
      `directory ${staging} is not empty`,
    );
    const broken = await cavityCopy();
    await symlink('/etc', path.join(broken, 'etc'));
    expect(await failure(loadCalcPackage({ dir: broken }, staging))).toBe(
      `directory ${staging} is not empty`,
    );
    expect(await readdir(staging)).toEqual(['keep']);
  });

  it('says when the source does not exist', async () => {
    const missing = path.join(tmp, 'nowhere');
    expect(await failure(loadCalcPackage({ dir: missing }, fresh('staging')))).toMatch(
      /^calc package nowhere cannot be read: ENOENT: no such file or directory/,
    );
  });
});

describe('packCalcPackage', () => {
  it('is deterministic: same content, same sha256, from a directory or a zip of it', async () => {
    const fromDir = await loadCalcPackage({ dir: CAVITY }, fresh('staging'));
    const a = await packCalcPackage(fromDir, fresh('a.zip'));
    const b = await packCalcPackage(fromDir, fresh('b.zip'));
    expect(a).toEqual(b);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);

    // A zip of the same files with other modes and a top folder loads to the same package.
    const zip = fresh('other.zip');
    await writeZip(await cavitySources('top/'), zip);
    const fromZip = await loadCalcPackage({ zip }, fresh('staging'));
    expect(await packCalcPackage(fromZip, fresh('c.zip'))).toEqual(a);

    const changed = await cavityCopy();
    await chmod(path.join(changed, 'template/GRID/README'), 0o755);
    const other = await packCalcPackage(
      await loadCalcPackage({ dir: changed }, fresh('staging')),
      fresh('d.zip'),
    );
    expect(other.sha256).not.toBe(a.sha256);
  });
});
