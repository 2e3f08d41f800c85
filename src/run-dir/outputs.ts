import { quoteName } from '../archive/index.js';
import { compilePattern, type Adapter, type OutputItem, type Params } from '../calc-package/index.js';
import { formatMessage } from '../core/index.js';
import { lastMatch } from './last-match.js';
import { readRunFile } from './read-run-file.js';
import { renderOrWarn } from './render.js';

/** Bytes read from the end of an Output file by default: 16 MiB. */
export const DEFAULT_OUTPUT_TAIL_BYTES = 16 * 1024 * 1024;

/**
 * The job's scalar outputs: `values` by item key (group 1 of the last matching line, a
 * string as in `jobgetdata`); an item whose file is missing, skipped or has no matching
 * line is absent from `values` and has a warning (a MONITOR_* message) in `warnings`.
 */
export interface Outputs {
  readonly values: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

export interface ReadOutputsOptions {
  /** Bytes read from the end of each file (the last match wins). Default 16 MiB. */
  readonly tailBytes?: number;
}

/**
 * Parses every `<Output>` item of the adapter from its file in `runDir` (path rendered
 * with `params`). A file named by several items is read once, and a missing or skipped
 * one warned about once, naming all of them (`Output cd, cl file ...`).
 */
export async function readOutputs(
  runDir: string,
  adapter: Pick<Adapter, 'outputs'>,
  params: Params,
  options: ReadOutputsOptions = {},
): Promise<Outputs> {
  const values = new Map<string, string>();
  const warnings: string[] = [];
  const byFile = new Map<string, OutputItem[]>();
  for (const item of adapter.outputs) {
    const file = renderOrWarn(item.file, params, `Output ${item.key} file`);
    if ('warning' in file) warnings.push(file.warning);
    else byFile.set(file.text, [...(byFile.get(file.text) ?? []), item]);
  }
  for (const [file, items] of byFile) {
    const what = `Output ${items.map((i) => i.key).join(', ')} file`;
    const mode = { mode: 'tail', bytes: options.tailBytes ?? DEFAULT_OUTPUT_TAIL_BYTES } as const;
    const read = await readRunFile(runDir, file, what, mode);
    if (read.kind === 'skipped') {
      warnings.push(read.warning);
      continue;
    }
    if (read.kind === 'missing') {
      warnings.push(formatMessage('MONITOR_FILE_MISSING', { what, path: quoteName(file) }));
      continue;
    }
    for (const item of items) {
      const value = lastMatch(read.text, compilePattern(item.pattern), 1)?.groups[1];
      if (value !== undefined) values.set(item.key, value);
      else {
        warnings.push(
          formatMessage('MONITOR_NO_MATCH', {
            what: `Output ${item.key} file`,
            path: quoteName(file),
            pattern: quoteName(item.pattern),
          }),
        );
      }
    }
  }
  // In the adapter's order; fromEntries defines own properties, so no key reaches the prototype.
  const ordered = adapter.outputs.flatMap((i) => {
    const value = values.get(i.key);
    return value === undefined ? [] : [[i.key, value] as const];
  });
  return { values: Object.fromEntries(ordered), warnings };
}
