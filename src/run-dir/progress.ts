import { compilePattern, type Adapter, type Params } from '../calc-package/index.js';
import { lastMatch } from './last-match.js';
import { readRunFile, DEFAULT_TAIL_BYTES } from './read-run-file.js';
import { renderOrWarn } from './render.js';

/**
 * A job's progress as `jobgetdata` shows it: `currentstep` of `allstep`, both strings
 * (`"9"`, `"10"`). `source` says where they came from: the Progress file, or the
 * count of finished steps of all steps. `warnings` (MONITOR_* messages) say why the
 * Progress file could not be used, when it could not; a file that is missing or has no
 * matching line yet is normal early in a step and gives no warning.
 */
export interface Progress {
  readonly currentstep: string;
  readonly allstep: string;
  readonly source: 'file' | 'steps';
  readonly warnings: readonly string[];
}

export interface ReadProgressOptions {
  /** Bytes read from the end of the Progress file. Default 1 MiB. */
  readonly tailBytes?: number;
}

/**
 * Reads a job's progress from the adapter's `<Progress>` rule: the last line of the
 * tail of its file (path rendered with `params`) that the pattern matches gives
 * `currentstep` (group 1) and `allstep` (group 2, or the rule's `all` rendered with
 * `params`). Without a rule, or before the file has a matching line: `stepsDone` of
 * `stepsAll`.
 */
export async function readProgress(
  runDir: string,
  adapter: Pick<Adapter, 'progress'>,
  params: Params,
  stepsDone: number,
  stepsAll: number,
  options: ReadProgressOptions = {},
): Promise<Progress> {
  const warnings: string[] = [];
  const byCount = (): Progress => ({
    currentstep: String(stepsDone),
    allstep: String(stepsAll),
    source: 'steps',
    warnings,
  });
  const rule = adapter.progress;
  if (rule === undefined) return byCount();

  let all: string | undefined;
  if (rule.all !== undefined) {
    const rendered = renderOrWarn(rule.all, params, 'Progress all');
    if ('warning' in rendered) {
      warnings.push(rendered.warning);
      return byCount();
    }
    all = rendered.text;
  }
  const file = renderOrWarn(rule.file, params, 'Progress file');
  if ('warning' in file) {
    warnings.push(file.warning);
    return byCount();
  }
  const read = await readRunFile(runDir, file.text, 'Progress file', {
    mode: 'tail',
    bytes: options.tailBytes ?? DEFAULT_TAIL_BYTES,
  });
  if (read.kind === 'skipped') warnings.push(read.warning);
  if (read.kind !== 'read') return byCount();

  const found = lastMatch(read.text, compilePattern(rule.pattern), all === undefined ? 2 : 1);
  if (found === undefined) return byCount();
  return {
    currentstep: found.groups[1] ?? String(stepsDone),
    allstep: all ?? found.groups[2] ?? String(stepsAll),
    source: 'file',
    warnings,
  };
}
