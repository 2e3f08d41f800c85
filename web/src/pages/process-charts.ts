import type { HubApi } from '../api/hub.js';
import { h } from '../ui/dom.js';
import { lineChart, type LineChart } from '../ui/chart.js';
import { isFileUrl } from '../ui/links.js';

/** The charts of a job's numeric process files, live. */
export interface ProcessCharts {
  readonly element: HTMLElement;
  /** The job's process items: each file is a candidate for a chart. */
  update(process: Readonly<Record<string, string>>): void;
  /** Lines appended to process file `key` (a `line` event). */
  lines(key: string, lines: readonly string[]): void;
  /** A new run of the job began: every chart starts over. */
  reset(): void;
  close(): void;
}

/** One process file: its columns (the first is x) and the rows seen. */
interface Plotted {
  status: 'loading' | 'charted' | 'none';
  columns: readonly string[];
  readonly x: number[];
  readonly ys: number[][];
  chart?: LineChart;
  /** Lines that arrived while the series was being fetched. */
  waiting: string[];
  /** When the series was last asked for (ms). */
  asked: number;
}

/** A file that was not numeric is asked again at most this often (ms), when numeric lines arrive. */
const ASK_AGAIN_MS = 2000;

/**
 * The numbers on a line of a process file, as the series endpoint reads them: every
 * whitespace- or comma-separated field a number; otherwise (a header, text) none.
 */
export function numericRow(line: string): number[] | undefined {
  const text = line.trim();
  if (text === '' || /^(#|\/\/|%)/.test(text)) return undefined;
  const values = text
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
    .map(Number);
  return values.length > 0 && values.every(Number.isFinite) ? values : undefined;
}

/**
 * A chart per numeric process file: its series first (`/api/jobs/{id}/series/{key}`),
 * then the lines that `line` events append, parsed the same way. A row whose x is not
 * past the last one is already shown (fetch and events overlap) and is skipped.
 */
export function processCharts(api: HubApi, jobId: number): ProcessCharts {
  const plots = new Map<string, Plotted>();
  const empty = h('p', { class: 'muted' }, 'No numeric process file yet.');
  const element = h('div', { class: 'process-charts' }, empty);

  const add = (p: Plotted, lines: readonly string[]) => {
    for (const line of lines) {
      const values = numericRow(line);
      if (values === undefined || values.length !== p.columns.length) continue;
      const [x, ...ys] = values as [number, ...number[]];
      const last = p.x.at(-1);
      if (last !== undefined && x <= last) continue;
      p.x.push(x);
      ys.forEach((y, i) => p.ys[i]?.push(y));
    }
  };
  const draw = (key: string, p: Plotted) => {
    if (p.chart === undefined) {
      // Unnamed columns (x, y1): the one series of a file is named by its key.
      const unnamed = p.columns.length === 2 && p.columns[1] === 'y1';
      p.chart = lineChart({
        xLabel: p.columns[0] ?? 'x',
        labels: unnamed ? [key] : p.columns.slice(1),
        log: /resid/i.test(key),
      });
      empty.remove();
      element.append(
        h('figure', { class: 'process-chart', 'data-key': key }, h('figcaption', {}, key), p.chart.element),
      );
    }
    p.chart.setData(p.x, p.ys);
  };
  const load = async (key: string, p: Plotted) => {
    p.status = 'loading';
    p.asked = Date.now();
    try {
      const series = await api.jobs.series(jobId, key);
      if (series.columns.length < 2) {
        p.status = 'none';
        return;
      }
      p.columns = series.columns;
      p.x.length = 0;
      p.ys.splice(0, p.ys.length, ...series.columns.slice(1).map(() => []));
      add(
        p,
        series.rows.map((r) => r.join(' ')),
      );
      add(p, p.waiting);
      p.status = 'charted';
      draw(key, p);
    } catch {
      p.status = 'none'; // not a numeric file (or not there yet): a numeric line asks again
    } finally {
      p.waiting = [];
    }
  };
  const plot = (key: string, waiting: string[] = []): void => {
    const p: Plotted = { status: 'loading', columns: [], x: [], ys: [], waiting, asked: 0 };
    plots.set(key, p);
    void load(key, p);
  };

  return {
    element,
    update(process) {
      for (const [key, value] of Object.entries(process)) if (isFileUrl(value) && !plots.has(key)) plot(key);
    },
    lines(key, lines) {
      const p = plots.get(key);
      const numeric = lines.some((l) => numericRow(l) !== undefined);
      if (p === undefined) {
        if (numeric) plot(key, [...lines]);
      } else if (p.status === 'loading') p.waiting.push(...lines);
      else if (p.status === 'none') {
        if (numeric && Date.now() - p.asked > ASK_AGAIN_MS) void load(key, p);
      } else {
        add(p, lines);
        draw(key, p);
      }
    },
    reset() {
      for (const [key, p] of plots) if (p.status !== 'loading') void load(key, p);
    },
    close() {
      for (const p of plots.values()) p.chart?.destroy();
    },
  };
}
