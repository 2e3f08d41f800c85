import type { ResourceAttribute } from './step-resources.js';
/**
 * Glossary (DESIGN.md's words):
 *
 * - **calc package**: a solver's `adapter.xml`, its `template/` (copied into every job's
 *   run directory), its `bin/` programs (on PATH while steps run) and an optional
 *   `hooks.mjs`; a directory or a `.zip` of one.
 * - **adapter**: the parsed `adapter.xml`: steps, copy rules, templates, monitors.
 * - **step**: one program of a job (`<ExeArgument>`), run with `/bin/sh -c` in its
 *   workpath under the run directory, in ascending priority.
 * - **run directory**: a job's own directory (`<workdir>/jobs/<job_id>/`); every path
 *   an adapter names is relative to it and stays inside it, out of `.mirror/`.
 * - **placeholder**: `{name}` in a step value, copy rule, template or item path, filled
 *   from the job's parameters (see `placeholders.ts`).
 * - **item**: a `Process`, `Result` or `Output` entry of the job's data, by key.
 *
 * Everything here is plain JSON-serialisable data: the store keeps it as JSON.
 */

/** A parsed, validated `adapter.xml`. */
export interface Adapter {
  readonly name: string;
  readonly version: string;
  /** In the order they run: ascending priority, ties in document order. */
  readonly steps: readonly Step[];
  /** Copy rules (`<File>`), in document order. */
  readonly files: readonly FileRule[];
  readonly templates: readonly TemplateRule[];
  readonly progress?: ProgressRule;
  readonly process: readonly Item[];
  readonly results: readonly Item[];
  readonly outputs: readonly OutputItem[];
}

/** One `<ExeArgument>`. */
export interface Step {
  /** An identifier, unique in the adapter; names `.mirror/logs/<id>.log`. */
  readonly id: string;
  readonly type: 'shell';
  /** The shell command, with placeholders (rendered by `renderShellCommand`). */
  readonly value: string;
  /** Relative to the run directory; `.` is the run directory itself. No placeholders. */
  readonly workpath: string;
  /** Steps run in ascending priority (any finite decimal number). */
  readonly priority: number;
  /** Names of exported functions of `hooks.mjs`. */
  readonly premethod?: string;
  readonly postmethod?: string;
  /** Milliseconds (the attribute is in seconds). */
  readonly timeoutMs?: number;
  /** What it asks of a batch scheduler, as written (placeholders allowed): see step-resources.ts. */
  readonly resources?: Readonly<Partial<Record<ResourceAttribute, string>>>;
  /** Line of the element in `adapter.xml`. */
  readonly line: number;
}

/** One `<File>` copy rule: a project file copied (or unzipped) into the run directory. */
export interface FileRule {
  /** The project file's name; placeholders allowed. */
  readonly name: string;
  /** Path in the run directory; placeholders allowed; `.` only with `unzip`. */
  readonly target: string;
  /** Make missing parent directories of `target`. */
  readonly create: boolean;
  /** Extract the archive's entries into `target` as a directory. */
  readonly unzip: boolean;
  readonly line: number;
}

/** One `<Template>`: `template/<src>` rendered to `target`. */
export interface TemplateRule {
  /** Relative to the package's `template/`; no placeholders. */
  readonly src: string;
  /** Path in the run directory; placeholders allowed. */
  readonly target: string;
  readonly line: number;
}

/** The `<Progress>` monitor. */
export interface ProgressRule {
  /** Path in the run directory (or `.mirror/logs/`); no placeholders. */
  readonly file: string;
  /** RE2-compatible: group 1 is the current step, group 2 the total unless `all`. */
  readonly pattern: string;
  /** The total when the solver prints none: a whole number or placeholders. */
  readonly all?: string;
  readonly line: number;
}

/** A `<Process>` or `<Result>` item: a file of the run directory, by key. */
export interface Item {
  /** An identifier, unique across process, result and output items. */
  readonly key: string;
  /** Path in the run directory (or `.mirror/logs/`); placeholders allowed. */
  readonly file: string;
  readonly line: number;
}

/** An `<Output>` item: a scalar parsed from a file, the pattern's group 1 of the last matching line. */
export interface OutputItem extends Item {
  readonly pattern: string;
}
