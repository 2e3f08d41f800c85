// What a figure is: a named measurement of Mirror next to its baseline, run with the
// suite's context, answering one or more rows of the report.
import type { Row } from './report.js';
import type { Scope } from './scope.js';
import type { Services } from './services.js';

export interface BenchContext {
  /** Smoke run: small sizes, short durations; numbers are not comparable. */
  readonly quick: boolean;
  /** The figure's own scope: everything registered here is undone after the figure. */
  readonly scope: Scope;
  readonly services: Services;
  /** Progress lines (stderr), so the table on stdout stays clean. */
  readonly log: (line: string) => void;
}

export interface Figure {
  /** Short name for `--only`. */
  readonly name: string;
  run(ctx: BenchContext): Promise<Row[]>;
}

/** A row saying the figure could not run here, and why. */
export function skipped(figure: string, target: string, why: string): Row {
  return { figure, mirror: '-', baseline: '-', ratio: '-', target, verdict: 'skip', note: why };
}
