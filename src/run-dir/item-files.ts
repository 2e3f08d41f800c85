import type { Item, Params } from '../calc-package/index.js';
import { skippedPath, resolveRunPath } from './resolve-run-path.js';
import { fileKind } from './read-run-file.js';
import { renderOrWarn } from './render.js';

/**
 * Where a `<Process>` / `<Result>` item's file stands in the run directory. `file` is
 * the rendered relative path (the adapter's text when it could not be rendered);
 * `path` where the entry really is (links followed).
 *
 * - `file`: a regular file of `size` bytes;
 * - `directory`: stored and served as a `.zip` of it (whoever zips it walks it, and
 *   refuses links and special files inside);
 * - `missing`: not there (yet);
 * - `skipped`: must not be stored; `warning` (MONITOR_FILE_SKIPPED, or the unknown
 *   placeholder) says why.
 */
export type ItemFile = { readonly key: string; readonly file: string } & (
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly mtimeMs: number }
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'skipped'; readonly warning: string }
);

/**
 * Finds the files of `Process` / `Result` items in `runDir` (paths rendered with
 * `params`), in the order given, opening nothing: links leading out of the run
 * directory (or into `.mirror/` other than `.mirror/logs/`), FIFOs, sockets and devices
 * are skipped with a warning.
 */
export async function listItemFiles(
  runDir: string,
  items: readonly Item[],
  params: Params,
): Promise<ItemFile[]> {
  const found: ItemFile[] = [];
  for (const item of items) {
    found.push(await itemFile(runDir, item, params));
  }
  return found;
}

async function itemFile(runDir: string, item: Item, params: Params): Promise<ItemFile> {
  const { key } = item;
  const what = `item ${key} file`;
  const rendered = renderOrWarn(item.file, params, what);
  if ('warning' in rendered) return { key, file: item.file, kind: 'skipped', warning: rendered.warning };
  const file = rendered.text;
  const resolved = await resolveRunPath(runDir, file, what);
  if (resolved.kind !== 'found') {
    return resolved.kind === 'missing' ? { key, file, kind: 'missing' } : { key, file, ...resolved };
  }
  const kind = fileKind(resolved.stat);
  if (kind === 'file') {
    const { size, mtimeMs } = resolved.stat;
    return { key, file, kind, path: resolved.realPath, size, mtimeMs };
  }
  if (kind === 'directory') return { key, file, kind, path: resolved.realPath };
  return { key, file, ...skippedPath(what, file, `is a ${kind}`) };
}
