import type { SweepRow } from '../api/hub.js';
import { own } from '../api/own.js';
import { numberOf } from '../ui/format.js';

/** Lines on one chart at most; with more groups, every point is drawn as one series. */
const MAX_GROUPS = 8;

/** An output against a parameter: the x values, one y array per group of the other parameters. */
export interface SweepSeries {
  readonly x: number[];
  readonly labels: string[];
  readonly ys: (number | null)[][];
  /** Set when the parameter's values are not numbers: x value i stands for categories[i]. */
  readonly categories?: string[];
}

/**
 * The chart of `output` against parameter `across`: one line per combination of the
 * other varied parameters (e.g. Tmax against t_top, a line for each cells), or one
 * line when there are too many combinations. Jobs without the output have no point.
 */
export function sweepSeries(
  rows: readonly SweepRow[],
  parameters: readonly string[],
  across: string,
  output: string,
): SweepSeries {
  const raw = rows.map((r) => own(r.params, across) ?? '');
  const numeric = raw.every((v) => numberOf(v) !== undefined);
  const categories = numeric ? undefined : [...new Set(raw)].sort();
  const xOf = (value: string) => (categories ? categories.indexOf(value) : Number(value));
  const x = [...new Set(raw.map(xOf))].sort((a, b) => a - b);

  const others = parameters.filter((p) => p !== across);
  const groupOf = (r: SweepRow) => others.map((p) => `${p}=${own(r.params, p) ?? ''}`).join(', ');
  let groups = [...new Set(rows.map(groupOf))].sort();
  if (groups.length > MAX_GROUPS) groups = [''];
  const single = groups.length === 1;

  const ys = groups.map(() => x.map((): number | null => null));
  for (const r of rows) {
    const g = single ? 0 : groups.indexOf(groupOf(r));
    const i = x.indexOf(xOf(own(r.params, across) ?? ''));
    const y = numberOf(own(r.outputs, output));
    const line = ys[g];
    if (line !== undefined && i !== -1 && y !== undefined) line[i] = y;
  }
  const labels = single ? [output] : groups.map((g) => (g === '' ? output : g));
  return { x, labels, ys, ...(categories ? { categories } : {}) };
}
