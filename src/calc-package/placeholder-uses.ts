import type { PackageInfo } from './package-info.js';
import { placeholdersOf } from './placeholders.js';
import type { Adapter } from './types.js';

/** One place of an adapter where placeholders may stand, and the names it uses. */
export interface PlaceholderUse {
  /** Where, for messages: `ExeArgument grid value`, `File name`, `template SOLVE/a.tpl`. */
  readonly where: string;
  readonly text: string;
  /** A path inside the run directory once rendered (checked per state). */
  readonly isRunPath: boolean;
  /** A path that may name a file under `.mirror/logs/` (monitored and recovered items). */
  readonly mayReadLogs: boolean;
  readonly names: readonly string[];
}

/** Every placeholder-bearing text of a package, in adapter order, with its names. */
export function placeholderUses(info: PackageInfo): PlaceholderUse[] {
  const a: Adapter = info.adapter;
  const uses: Omit<PlaceholderUse, 'names' | 'mayReadLogs'>[] = [
    ...a.steps.flatMap((s) => [
      { where: `ExeArgument ${s.id} value`, text: s.value, isRunPath: false },
      ...Object.entries(s.resources ?? {}).map(([name, text]) => ({
        where: `ExeArgument ${s.id} ${name}`,
        text,
        isRunPath: false,
      })),
    ]),
    ...a.files.flatMap((f) => [
      { where: 'File name', text: f.name, isRunPath: false },
      { where: 'File target', text: f.target, isRunPath: true },
    ]),
    ...a.templates.map((t) => ({ where: 'Template target', text: t.target, isRunPath: true })),
    ...(a.progress
      ? [
          { where: 'Progress file', text: a.progress.file, isRunPath: true },
          ...(a.progress.all !== undefined
            ? [{ where: 'Progress all', text: a.progress.all, isRunPath: false }]
            : []),
        ]
      : []),
    ...a.process.map((i) => ({ where: `Process ${i.key} file`, text: i.file, isRunPath: true })),
    ...a.results.map((i) => ({ where: `Result ${i.key} file`, text: i.file, isRunPath: true })),
    ...a.outputs.map((i) => ({ where: `Output ${i.key} file`, text: i.file, isRunPath: true })),
  ];
  const withNames: PlaceholderUse[] = uses.map((u) => ({
    ...u,
    names: placeholdersOf(u.text),
    mayReadLogs: !u.where.startsWith('File') && !u.where.startsWith('Template'),
  }));
  for (const [src, names] of Object.entries(info.templatePlaceholders)) {
    withNames.push({ where: `template ${src}`, text: '', isRunPath: false, mayReadLogs: false, names });
  }
  return withNames.filter((u) => u.names.length > 0);
}
