// The suite's result: one row per figure (Mirror next to its baseline, the ratio, the
// target and a verdict), printed as a Markdown table and written with the machine it
// ran on to bench/results/<date>.json and .md.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MachineInfo } from './machine.js';

/** pass / miss: the target was met or not; skip: could not run here; info: no target; error: it broke. */
export type Verdict = 'pass' | 'miss' | 'skip' | 'info' | 'error';

export interface Row {
  /** What is measured, e.g. `dispatch 10,000 states, SQLite`. */
  readonly figure: string;
  readonly mirror: string;
  readonly baseline: string;
  /** Mirror relative to the baseline, as the target states it (`1.42×`), or `-`. */
  readonly ratio: string;
  readonly target: string;
  readonly verdict: Verdict;
  /** Why it was skipped, missed or failed; how it was measured when that matters. */
  readonly note?: string;
  /** The raw numbers, for the JSON file. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface Report {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  /** Wall time of the whole run, s. */
  readonly durationS: number;
  readonly rows: readonly Row[];
}

/** A ratio as the table shows it. */
export function fmtRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '-';
}

/** `pass` when `value` meets `limit` in the direction given, else `miss`. */
export function judge(value: number, direction: '<=' | '>=' | '<', limit: number): Verdict {
  if (!Number.isFinite(value)) return 'error';
  const ok = direction === '<=' ? value <= limit : direction === '<' ? value < limit : value >= limit;
  return ok ? 'pass' : 'miss';
}

/** Both verdicts must pass for the row to pass. */
export function both(a: Verdict, b: Verdict): Verdict {
  if (a === 'error' || b === 'error') return 'error';
  return a === 'pass' && b === 'pass' ? 'pass' : 'miss';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The rows as a Markdown table (figure, Mirror, baseline, ratio, target, verdict). */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| figure | Mirror | baseline | ratio | target | verdict |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${[
          r.figure,
          r.mirror,
          r.baseline,
          r.ratio,
          r.target,
          r.verdict === 'pass' ? 'pass' : `**${r.verdict}**`,
        ]
          .map(cell)
          .join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}

/** The notes of the rows that have one, as a Markdown list. */
export function markdownNotes(rows: readonly Row[]): string {
  return rows
    .filter((r) => r.note !== undefined)
    .map((r) => `- **${cell(r.figure)}** (${r.verdict}): ${r.note ?? ''}`)
    .join('\n');
}

/** The whole report as a Markdown document. */
export function markdownReport(report: Report): string {
  const m = report.machine;
  return [
    `# Mirror benchmarks, ${report.date}${report.quick ? ' (quick smoke run: small sizes, not comparable)' : ''}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}; Node ${m.node}; ` +
      `${m.services}. Run took ${report.durationS.toFixed(0)} s.`,
    '',
    markdownTable(report.rows),
    '',
    'Ratios compare Mirror with its baseline measured in the same run; absolute times vary between runs ' +
      'on this shared machine.',
    '',
    markdownNotes(report.rows),
    '',
  ].join('\n');
}

/** Writes `<dir>/<name>.json` and `<dir>/<name>.md`; answers their paths. */
export async function writeReport(dir: string, name: string, report: Report): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const md = join(dir, `${name}.md`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(md, markdownReport(report));
  return [json, md];
}
