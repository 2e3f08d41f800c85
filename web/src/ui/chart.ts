import uPlot from 'uplot';
import { h } from './dom.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

/** What a chart shows: the x axis's name, one label per y series, how to draw them. */
export interface ChartOptions {
  readonly xLabel: string;
  readonly labels: readonly string[];
  /** Start on a logarithmic y scale (residuals); the chart's own toggle changes it. */
  readonly log?: boolean;
  /** Offer the log-scale toggle (default true). */
  readonly logToggle?: boolean;
  /** Draw points as well as lines (few points: a sweep). */
  readonly points?: boolean;
  /** Categories of a non-numeric x: the value i is drawn as `categories[i]`, one tick each. */
  readonly categories?: readonly string[];
  readonly height?: number;
}

/**
 * A line chart on uPlot. Its element carries `data-points` (x values shown) and
 * `data-series` (y series), so a test or a curious reader sees what it holds.
 */
export interface LineChart {
  readonly element: HTMLElement;
  /** Replaces the data: x values ascending, one y array per label (null: no value). */
  setData(x: readonly number[], ys: readonly (readonly (number | null)[])[]): void;
  destroy(): void;
}

export function lineChart(options: ChartOptions): LineChart {
  const plotArea = h('div', { class: 'plot' });
  const toggle = h('input', { type: 'checkbox', checked: options.log === true, class: 'log-toggle' });
  const element = h(
    'div',
    { class: 'chart', 'data-points': 0, 'data-series': options.labels.length },
    options.logToggle === false ? null : h('label', { class: 'chart-tools' }, toggle, ' log scale'),
    plotArea,
  );
  let data: uPlot.AlignedData = [[], ...options.labels.map(() => [])];
  let plot: uPlot | undefined;
  let pending = false;

  const width = () => Math.max(320, plotArea.clientWidth || element.clientWidth || 640);
  const make = () => {
    plot?.destroy();
    const log = toggle.checked;
    plot = new uPlot(optionsOf(options, log, width()), shown(data, log), plotArea);
  };
  const redraw = () => {
    pending = false;
    if (plot === undefined) make();
    else plot.setData(shown(data, toggle.checked));
  };
  toggle.addEventListener('change', make);
  const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: options.height ?? 260 }));
  resize.observe(plotArea);

  return {
    element,
    setData(x, ys) {
      data = [x.slice(), ...ys.map((y) => y.slice())];
      element.dataset['points'] = String(x.length);
      element.dataset['series'] = String(ys.length);
      if (!pending) {
        pending = true; // one redraw per frame however many lines arrive
        requestAnimationFrame(redraw);
      }
    },
    destroy() {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    },
  };
}

/** The data as drawn: on a log scale, values that are not positive have no point. */
function shown(data: uPlot.AlignedData, log: boolean): uPlot.AlignedData {
  if (!log) return data;
  const [x, ...ys] = data;
  return [x, ...ys.map((y) => Array.from(y, (v) => (v !== null && v !== undefined && v > 0 ? v : null)))];
}

const GRID = { stroke: '#e9edf1', width: 1 };

/** A linear tick's text: plain for everyday magnitudes, exponential for tiny or huge ones. */
function tick(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(1) : String(Number(v.toPrecision(6)));
}

/** The splits of a log scale that are powers of ten; the others become null (not drawn). */
const decades = (_u: uPlot, splits: number[]): (number | null)[] =>
  splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));

function optionsOf(options: ChartOptions, log: boolean, width: number): uPlot.Options {
  const { categories } = options;
  return {
    width,
    height: options.height ?? 260,
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : { distr: 1 } },
    axes: [
      {
        label: options.xLabel,
        grid: GRID,
        ticks: GRID,
        ...(categories
          ? {
              splits: () => categories.map((_, i) => i),
              values: (_u: uPlot, ticks: number[]) => ticks.map((t) => categories[t] ?? ''),
            }
          : {}),
      },
      {
        size: 70,
        // On a log scale only the decades get a line: the 2..9 between them would crowd into bands.
        grid: log ? { ...GRID, filter: decades } : GRID,
        ticks: log ? { ...GRID, filter: decades } : GRID,
        // Ticks without a label arrive as null.
        values: (_u: uPlot, ticks: (number | null)[]) =>
          ticks.map((v) => (v === null ? '' : log ? v.toExponential(0) : tick(v))),
      },
    ],
    series: [
      { label: options.xLabel },
      ...options.labels.map((label, i) => ({
        label,
        stroke: COLORS[i % COLORS.length] ?? '#2563eb',
        width: 1.5,
        spanGaps: true,
        points: { show: options.points === true, size: 7 },
      })),
    ],
  };
}
