import type { SweepResults } from '../api/hub.js';
import { own } from '../api/own.js';
import { lineChart, type LineChart } from '../ui/chart.js';
import { fill, h, row, section, select, table } from '../ui/dom.js';
import { formatTime } from '../ui/format.js';
import { jobLink, stateBadge } from '../ui/links.js';
import { notice } from '../ui/notice.js';
import { hashOf, type Page, type PageContext } from '../ui/router.js';
import { coalesce } from '../ui/schedule.js';
import { sweepSeries } from './sweep-series.js';

/**
 * The results of one dispatch (a sweep): every job's varied parameters and Output
 * scalars in a table, a chart of a chosen output against a chosen parameter, the CSV;
 * refreshed as its jobs change state.
 */
export function sweepPage({ api, parts }: PageContext): Page {
  const id = Number(parts[0]);
  const status = notice();
  const title = h('h1', {}, `Sweep ${id}`);
  const about = h('p', { class: 'about' });
  const states = h('p', { class: 'state-summary' });
  const controls = h('div', { class: 'chart-controls' });
  const plotted = h('div', { class: 'sweep-chart' });
  const results = h('div', { class: 'results' });
  const csv = h(
    'a',
    { href: api.dispatches.resultsCsvLink(id), download: `sweep-${id}.csv`, class: 'button-link csv' },
    'Download CSV',
  );
  let now: SweepResults | undefined;
  let chart: LineChart | undefined;
  let across = '';
  let output = '';
  let closeEvents: (() => void) | undefined;

  const drawChart = () => {
    chart?.destroy();
    chart = undefined;
    if (now === undefined || across === '' || output === '') {
      fill(
        plotted,
        h('p', { class: 'muted' }, 'No parameter varies or no output is declared: nothing to chart.'),
      );
      return;
    }
    const s = sweepSeries(now.rows, now.parameters, across, output);
    chart = lineChart({
      xLabel: across,
      labels: s.labels,
      points: true,
      logToggle: false,
      ...(s.categories ? { categories: s.categories } : {}),
    });
    fill(plotted, chart.element);
    chart.setData(s.x, s.ys);
  };
  const drawControls = (r: SweepResults) => {
    if (!r.parameters.includes(across)) across = r.parameters[0] ?? '';
    if (!r.outputs.includes(output)) output = r.outputs[0] ?? '';
    const x = select(
      { name: 'across' },
      r.parameters.map((p): [string, string] => [p, p]),
      across,
    );
    const y = select(
      { name: 'output' },
      r.outputs.map((o): [string, string] => [o, o]),
      output,
    );
    x.addEventListener('change', () => {
      across = x.value;
      drawChart();
    });
    y.addEventListener('change', () => {
      output = y.value;
      drawChart();
    });
    fill(controls, h('label', {}, 'Output ', y), h('label', {}, ' against ', x), ' ', csv);
  };
  const drawTable = (r: SweepResults) => {
    const rows = r.rows.map((j) => [
      jobLink(j.jobId),
      stateBadge(j.state),
      h('code', {}, j.label),
      ...r.parameters.map((p) => own(j.params, p) ?? ''),
      ...r.outputs.map((o) => h('span', { class: 'num' }, String(own(j.outputs, o) ?? ''))),
    ]);
    const t = table(['job', 'state', 'label', ...r.parameters, ...r.outputs], [], { class: 'sweep-results' });
    fill(t.body, ...rows.map((cells, i) => row(cells, { 'data-job': r.rows[i]?.jobId })));
    fill(results, t.table);
  };

  const load = async () => {
    const r = await api.dispatches.results(id);
    const first = now === undefined;
    now = r;
    const d = r.dispatch;
    title.textContent = `Sweep ${d.id}`;
    fill(
      about,
      h('a', { href: `#/projects/${d.projectId}` }, `project ${d.projectId}`),
      ` on calc package ${d.packageId}, para file `,
      h('code', {}, d.paraName),
      `, ${d.jobCount} jobs, dispatched ${formatTime(d.createdAt)} · `,
      h('a', { href: hashOf('/jobs', { dispatch: d.id }) }, 'its jobs'),
    );
    const tally = new Map<string, number>();
    for (const j of r.rows) tally.set(j.state, (tally.get(j.state) ?? 0) + 1);
    fill(
      states,
      ...[...tally].flatMap(([s, n]) => [h('span', { class: `badge state-${s}` }, `${n} ${s}`), ' ']),
    );
    drawControls(r);
    drawTable(r);
    drawChart();
    if (first) {
      const jobs = new Set(r.rows.map((j) => j.jobId));
      closeEvents = api.watch(
        { project: d.projectId },
        {
          state(e) {
            if (jobs.has(e.jobId)) refresh.trigger();
          },
          gap() {
            refresh.trigger();
          },
        },
      );
    }
  };
  const refresh = coalesce(() => load().catch((err: unknown) => status.error(err)), 1000);
  void load().catch((err: unknown) => status.error(err));

  return {
    element: h(
      'div',
      { class: 'page sweep', 'data-dispatch': id },
      h('p', { class: 'crumbs' }, h('a', { href: '#/sweeps' }, 'Sweeps'), ' / ', `sweep ${id}`),
      title,
      about,
      status.element,
      states,
      section('Chart', controls, plotted),
      section('Output scalars of every job', results),
    ),
    close() {
      closeEvents?.();
      refresh.cancel();
      chart?.destroy();
    },
  };
}
