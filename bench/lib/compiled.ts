// Mirror compiled to plain JavaScript in a temporary directory (esbuild, one file per
// source file, as `npm run build` lays it out), so a process can run without tsx's
// loader: the RSS figure shows what the loader itself costs.
import { copyFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Scope } from './scope.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Compiles src/ into a temporary directory; answers the path of its CLI entry (`cli/run.js`). */
export async function compileMirror(scope: Scope): Promise<string> {
  const dir = await scope.tempDir('compiled');
  const sources = (await readdir(join(ROOT, 'src'), { recursive: true }))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(ROOT, 'src', name));
  await build({
    entryPoints: sources,
    outdir: join(dir, 'src'),
    outbase: join(ROOT, 'src'),
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  // What the compiled files find beside them: the hook child, the web page, the packages.
  const hooks = join(dir, 'src', 'agent', 'hooks');
  await mkdir(hooks, { recursive: true });
  await copyFile(join(ROOT, 'src', 'agent', 'hooks', 'hook-child.mjs'), join(hooks, 'hook-child.mjs'));
  await symlink(join(ROOT, 'web'), join(dir, 'web'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  return join(dir, 'src', 'cli', 'run.js');
}
