import { SETTLED_STATES } from '../../../src/job/transitions.js';
import type { JobDetail, JobEvent, JobStep } from '../api/hub.js';
import { fill, h, row, section, table } from '../ui/dom.js';
import { formatDuration, formatTime, numberOf } from '../ui/format.js';
import { stateBadge } from '../ui/links.js';
import { notice } from '../ui/notice.js';
import { progressBar } from '../ui/progress-bar.js';
import { hashOf, type Page, type PageContext } from '../ui/router.js';
import { coalesce, every } from '../ui/schedule.js';
import { jobItems } from './job-items.js';
import { logTail } from './log-tail.js';
import { processCharts } from './process-charts.js';
import { seedActions } from './seed-actions.js';

/** How often the page reads a job again while one of its steps runs as a batch job. */
const BATCH_REFRESH_MS = 3_000;

/**
 * One job: what it is, its progress and charts (live), its log's tail, its steps and
 * state history, its results, and every seed action on it.
 */
export function jobPage({ api, parts }: PageContext): Page {
  const id = Number(parts[0]);
  const status = notice();
  const badge = h('span', { class: 'job-state' });
  const bar = progressBar('queued');
  const summary = h('dl', { class: 'summary' });
  const params = h('div', { class: 'params' });
  const steps = table(['step', 'status', 'started', 'ended', 'duration', 'exit', 'batch job', 'reason'], [], {
    class: 'steps',
  });
  const history = table(['at', 'from', 'to', 'reason'], [], { class: 'history' });
  const outputs = h('div');
  const processItems = h('div');
  const charts = processCharts(api, id);
  const log = logTail(api, id);
  const refresh = coalesce(() => load(), 300);
  const actions = seedActions(api, id, () => refresh.trigger());

  const load = async () => {
    try {
      show(await api.jobs.get(id));
    } catch (err) {
      status.error(err);
    }
  };
  // A step run as a batch job changes state at its scheduler (PENDING, RUNNING) without a
  // hub event: while one runs, the page reads the job again every few seconds.
  let followBatch: (() => void) | undefined;
  const followBatchJobs = (stepList: readonly JobStep[]) => {
    const waiting = stepList.some((s) => s.status === 'running' && s.batchId !== null);
    if (waiting && followBatch === undefined) followBatch = every(BATCH_REFRESH_MS, load);
    if (!waiting && followBatch !== undefined) {
      followBatch();
      followBatch = undefined;
    }
  };
  const show = ({ job, steps: stepList, events, data }: JobDetail) => {
    fill(badge, stateBadge(job.state));
    bar.set({
      state: job.state,
      current: numberOf(data.process['currentstep']),
      all: numberOf(data.process['allstep']),
    });
    fill(
      summary,
      ...term('label', h('code', {}, job.label)),
      ...term('project', h('a', { href: `#/projects/${job.projectId}` }, `project ${job.projectId}`)),
      ...term(
        'calc package',
        `package ${job.packageId}`,
        ` (para file ${job.paraName}, state ${job.stateIndex})`,
      ),
      ...term(
        'dispatch',
        h('a', { href: `#/sweeps/${job.dispatchId}` }, `sweep ${job.dispatchId}`),
        ' · ',
        h('a', { href: hashOf('/jobs', { dispatch: job.dispatchId }) }, 'its jobs'),
      ),
      ...term('resource machine', job.rid === null ? 'not claimed yet' : `rid ${job.rid}`),
      ...term('run directory', h('code', {}, job.path ?? '-')),
      ...term('created', formatTime(job.createdAt)),
      ...term('updated', formatTime(job.updatedAt)),
    );
    const paramRows = Object.entries(job.params).map(([k, v]) => [h('code', {}, k), v]);
    fill(
      params,
      h(
        'details',
        {},
        h('summary', {}, `${paramRows.length} parameters`),
        table(['name', 'value'], paramRows).table,
      ),
    );
    fill(steps.body, ...stepList.map(stepRow));
    fill(history.body, ...events.map(eventRow));
    fill(outputs, jobItems(api, data.result, 'result'));
    fill(processItems, jobItems(api, data.process, 'process'));
    charts.update(data.process);
    log.update(stepList, !SETTLED_STATES.includes(job.state));
    actions.update(job, stepList);
    followBatchJobs(stepList);
  };

  const closeEvents = api.watch(
    { job: id },
    {
      state(e) {
        bar.set({ state: e.state });
        fill(badge, stateBadge(e.state));
        if (e.state === 'queued' || e.state === 'built') charts.reset(); // a new run directory
        refresh.trigger();
      },
      progress(e) {
        bar.set({ current: numberOf(e.currentstep), all: numberOf(e.allstep) });
      },
      line(e) {
        charts.lines(e.key, e.lines);
      },
      gap() {
        refresh.trigger();
      },
    },
  );
  void load();

  return {
    element: h(
      'div',
      { class: 'page job', 'data-job': id },
      h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, 'Jobs'), ' / ', `job ${id}`),
      h('h1', {}, `Job ${id} `, badge),
      status.element,
      h('div', { class: 'job-progress' }, bar.element),
      h(
        'div',
        { class: 'columns' },
        section('Job', summary, params),
        section('Output scalars and result files', outputs),
      ),
      section('Process files', charts.element, processItems),
      section('Log', log.element),
      section('Steps', steps.table),
      section('State history', history.table),
      section('Seed actions', actions.element),
    ),
    close() {
      closeEvents();
      refresh.cancel();
      followBatch?.();
      log.close();
      charts.close();
    },
  };
}

/** A `<dt>`/`<dd>` pair. */
function term(name: string, ...value: (Node | string)[]): HTMLElement[] {
  return [h('dt', {}, name), h('dd', {}, ...value)];
}

function stepRow(s: JobStep): HTMLTableRowElement {
  const ended = s.endedAt ?? (s.status === 'running' ? Date.now() : null);
  const exit = s.signal ?? (s.exitCode === null ? '-' : String(s.exitCode));
  return row(
    [
      h('code', {}, s.stepId),
      h('span', { class: `badge step-${s.status}` }, s.status),
      formatTime(s.startedAt),
      formatTime(s.endedAt),
      s.startedAt === null || ended === null ? '-' : formatDuration(ended - s.startedAt),
      exit,
      // A step run by a batch scheduler (Slurm): its job id there and its state as last seen.
      s.batchId === null
        ? '-'
        : h('span', { class: 'batch', 'data-batch': s.batchId }, `${s.batchId} ${s.batchState ?? ''}`.trim()),
      s.reason ?? '',
    ],
    { 'data-step': s.stepId },
  );
}

function eventRow(e: JobEvent): HTMLTableRowElement {
  return row([formatTime(e.at), e.from === null ? '-' : stateBadge(e.from), stateBadge(e.to), e.reason]);
}
