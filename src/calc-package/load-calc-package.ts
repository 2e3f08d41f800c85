import { randomUUID } from 'node:crypto';
import { chmod, lstat, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import {
  claimDestination,
  copyWalkedFiles,
  extractZip,
  walkDirectory,
  type ArchiveLimits,
  type WalkedFile,
} from '../archive/index.js';
import { isMirrorError, mirrorError } from '../core/index.js';
import { listHookExports, namedHooks } from './hooks.js';
import { DEFAULT_ADAPTER_MAX_BYTES, parseAdapter } from './parse-adapter.js';
import type { Adapter } from './types.js';

/** Where a calc package comes from: a directory or a `.zip` of one. */
export type CalcPackageSource = { readonly dir: string } | { readonly zip: string };

/** A validated calc package, its files copied into a staging directory. */
export interface LoadedCalcPackage {
  /** The staging directory: `adapter.xml` at its root. */
  readonly root: string;
  readonly adapter: Adapter;
  /** Every file, sorted by path; `bin/` files are executable. */
  readonly files: readonly WalkedFile[];
}

export interface LoadCalcPackageOptions {
  /** Archive limits (entries, bytes, ratio) for the zip or directory. */
  readonly limits?: Partial<ArchiveLimits>;
  /** Largest `adapter.xml`, bytes. Default 1 MiB. */
  readonly adapterMaxBytes?: number;
  /** How long importing `hooks.mjs` may take, ms. Default 10 s. */
  readonly hooksTimeoutMs?: number;
}

/**
 * Loads and validates a calc package completely: a zip is extracted into `stagingDir`
 * (a zip holding one top-level folder with `adapter.xml` in it is accepted, the folder
 * stripped); a directory is walked (a link anywhere is refused) and copied there.
 * Then `adapter.xml` must be at the root and valid, `bin` and `template` directories if
 * present (nothing in `template/.mirror`), every Template `src` present under `template/`, and `hooks.mjs` present
 * and exporting every premethod/postmethod named. `stagingDir` must be absent or empty;
 * on any failure it is removed, so nothing is left behind.
 */
export async function loadCalcPackage(
  source: CalcPackageSource,
  stagingDir: string,
  options: LoadCalcPackageOptions = {},
): Promise<LoadedCalcPackage> {
  const packageName = path.basename(path.resolve('zip' in source ? source.zip : source.dir));
  // Claimed first (absent or empty, else refused untouched): from here on it is ours to remove.
  await claimDestination(stagingDir);
  try {
    if ('zip' in source) {
      await extractZip(source.zip, stagingDir, options.limits);
      await stripSingleFolder(stagingDir);
    } else {
      await copyWalkedFiles(await walkDirectory(source.dir, options.limits), stagingDir);
    }
    return await validatePackage(path.resolve(stagingDir), packageName, options);
  } catch (err) {
    await rm(stagingDir, { recursive: true, force: true });
    if (isMirrorError(err) || typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    throw mirrorError('PACKAGE_UNREADABLE', { package: packageName, reason: (err as Error).message }, err);
  }
}

/** Checks the staged package and returns it; `bin/` files are made executable. */
async function validatePackage(
  root: string,
  packageName: string,
  options: LoadCalcPackageOptions,
): Promise<LoadedCalcPackage> {
  const walked = await walkDirectory(root, options.limits);
  const paths = new Set(walked.map((f) => f.path));
  const adapterFile = walked.find((f) => f.path === 'adapter.xml');
  if (adapterFile === undefined) throw mirrorError('PACKAGE_NO_ADAPTER', { package: packageName });
  const badLayout = (entry: string, reason: string): Error =>
    mirrorError('PACKAGE_BAD_LAYOUT', { package: packageName, entry, reason });
  for (const dir of ['bin', 'template']) {
    if (paths.has(dir)) throw badLayout(dir, 'is a file; it must be a directory');
  }
  if (walked.some((f) => f.path.startsWith('hooks.mjs/'))) {
    throw badLayout('hooks.mjs', 'is a directory; it must be a file');
  }
  // The template becomes the run directory's root, where .mirror/ is Mirror's own.
  const intoMirror = walked.find(
    (f) => f.path === 'template/.mirror' || f.path.startsWith('template/.mirror/'),
  );
  if (intoMirror) throw badLayout(intoMirror.path, 'would write into the run directory’s .mirror/');
  const maxBytes = options.adapterMaxBytes ?? DEFAULT_ADAPTER_MAX_BYTES;
  if (adapterFile.size > maxBytes) {
    throw mirrorError('XML_TOO_LARGE', { file: 'adapter.xml', size: adapterFile.size, limit: maxBytes });
  }
  const adapter = parseAdapter(await readFile(adapterFile.absPath), { file: 'adapter.xml', maxBytes });
  for (const template of adapter.templates) {
    if (!paths.has(`template/${template.src}`)) {
      throw mirrorError('PACKAGE_TEMPLATE_MISSING', {
        file: 'adapter.xml',
        line: template.line,
        src: template.src,
      });
    }
  }
  await checkHooks(root, packageName, adapter, paths.has('hooks.mjs'), options.hooksTimeoutMs);
  const files: WalkedFile[] = [];
  for (const file of walked) {
    const isProgram = file.path.startsWith('bin/');
    if (isProgram && !file.executable) await chmod(file.absPath, 0o755);
    files.push(isProgram ? { ...file, executable: true } : file);
  }
  return { root, adapter, files };
}

/** Every premethod/postmethod must be a function exported by `hooks.mjs`. */
async function checkHooks(
  root: string,
  packageName: string,
  adapter: Adapter,
  hasHooks: boolean,
  timeoutMs: number | undefined,
): Promise<void> {
  const named = namedHooks(adapter);
  const first = named[0];
  if (first === undefined) return;
  const where = (hook: typeof first) => ({
    file: 'adapter.xml',
    line: hook.line,
    attribute: hook.attribute,
    name: hook.name,
  });
  if (!hasHooks) throw mirrorError('PACKAGE_HOOKS_MISSING', where(first));
  const exported = new Set(await listHookExports(path.join(root, 'hooks.mjs'), packageName, timeoutMs));
  const missing = named.find((hook) => !exported.has(hook.name));
  if (missing !== undefined) throw mirrorError('PACKAGE_HOOK_NOT_EXPORTED', where(missing));
}

/**
 * A zip whose only top-level entry is a folder holding `adapter.xml` (as zipping a
 * folder makes) is the package inside it: its contents move up, the folder goes.
 */
async function stripSingleFolder(root: string): Promise<void> {
  const top = await readdir(root);
  const only = top[0];
  if (top.length !== 1 || only === undefined || only === 'adapter.xml') return;
  const folder = path.join(root, only);
  if (!(await lstat(folder)).isDirectory()) return;
  const inside = await readdir(folder);
  if (!inside.includes('adapter.xml')) return;
  // Renamed first, so a child with the folder's own name can move up.
  const aside = path.join(root, `.strip-${randomUUID()}`);
  await rename(folder, aside);
  for (const name of inside) await rename(path.join(aside, name), path.join(root, name));
  await rmdir(aside);
}
