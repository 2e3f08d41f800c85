import type { BulkAction, Job } from '../api/hub.js';
import { fill, h, row, section, table } from '../ui/dom.js';
import { formatTime, numberOf, positiveInt } from '../ui/format.js';
import { jobLink, stateBadge } from '../ui/links.js';
import { action, notice } from '../ui/notice.js';
import { progressBar, type ProgressBar } from '../ui/progress-bar.js';
import { hashOf, type Page, type PageContext } from '../ui/router.js';
import { jobFilters, readJobQuery, type JobQuery } from './job-filters.js';

const PAGE_SIZE = 50;

/** A shown row: what live events change in it. */
interface ShownJob {
  job: Job;
  readonly state: HTMLElement;
  readonly bar: ProgressBar;
  readonly pick: HTMLInputElement;
  readonly rid: HTMLElement;
}

/**
 * Jobs: one page of the filtered list at a time (keyset paging: `cursor` is the last
 * id of the page before, `trail` the cursors to go back to), progress and states live
 * from the event stream, bulk kill / delete / rerun of the selected rows.
 */
export function jobsPage({ api, query }: PageContext): Page {
  const filter = readJobQuery(query);
  const cursor = positiveInt(query.get('cursor'));
  const trail = (query.get('trail') ?? '').split(',').filter((t) => t !== '');
  const status = notice();
  const shown = new Map<number, ShownJob>();
  const all = h('input', { type: 'checkbox', name: 'select-page', title: 'select every job of this page' });
  const list = table(
    [all, 'job', 'state', 'progress', 'label', 'project', 'package', 'rid', 'dispatch', 'updated'],
    [],
    {
      class: 'jobs',
    },
  );
  const paging = h('div', { class: 'paging' });
  const fresh = h('p', { class: 'fresh', hidden: true });
  const force = h('input', { type: 'checkbox', name: 'force' });
  const picked = h('span', { class: 'muted' }, 'none selected');

  const go = (q: JobQuery, page: { cursor?: number; trail?: readonly string[] } = {}) => {
    location.hash = hashOf('/jobs', {
      ...q,
      order: q.order === 'newest' ? undefined : q.order,
      cursor: page.cursor,
      trail: page.trail && page.trail.length > 0 ? page.trail.join(',') : undefined,
    });
  };
  const selection = () => [...shown.values()].filter((s) => s.pick.checked).map((s) => s.job.id);
  const countPicked = () => {
    const n = selection().length;
    picked.textContent = n === 0 ? 'none selected' : `${n} selected`;
    all.checked = n > 0 && n === shown.size;
  };
  all.addEventListener('change', () => {
    for (const s of shown.values()) s.pick.checked = all.checked;
    countPicked();
  });

  const load = async () => {
    const { jobs, next } = await api.jobs.list({
      ...filter,
      ...(cursor ? { cursor } : {}),
      limit: PAGE_SIZE,
    });
    shown.clear();
    fill(list.body, ...(jobs.length === 0 ? [row(['', 'No job matches.'])] : []));
    for (const job of jobs) list.body.append(jobRow(job));
    countPicked();
    fill(
      paging,
      trail.length > 0 || cursor !== undefined
        ? h(
            'a',
            { href: hashOf('/jobs', { ...filter, order: filter.order === 'newest' ? undefined : 'oldest' }) },
            '« first',
          )
        : null,
      cursor !== undefined
        ? h('button', { type: 'button', onclick: () => go(filter, backOf(trail)) }, '‹ previous')
        : null,
      h('span', { class: 'muted' }, `${jobs.length} job${jobs.length === 1 ? '' : 's'} on this page`),
      next !== null
        ? h(
            'button',
            {
              type: 'button',
              name: 'next',
              onclick: () => go(filter, { cursor: next, trail: [...trail, String(cursor ?? 0)] }),
            },
            'next ›',
          )
        : null,
    );
    // The list does not say how far a running job is: ask each shown one once, then follow events.
    await Promise.all(
      jobs
        .filter((j) => j.state === 'running')
        .map(async (j) => {
          const { process } = (await api.jobs.get(j.id)).data;
          shown
            .get(j.id)
            ?.bar.set({ current: numberOf(process['currentstep']), all: numberOf(process['allstep']) });
        }),
    );
  };

  const jobRow = (job: Job) => {
    const state = h('span', {}, stateBadge(job.state));
    const bar = progressBar(job.state);
    const pick = h('input', { type: 'checkbox', name: 'pick', value: job.id, onchange: countPicked });
    const rid = h('span', {}, job.rid ?? '-');
    shown.set(job.id, { job, state, bar, pick, rid });
    return row(
      [
        pick,
        jobLink(job.id),
        state,
        bar.element,
        h('code', {}, job.label),
        h('a', { href: hashOf('/jobs', { project: job.projectId }) }, job.projectId),
        job.packageId,
        rid,
        h('a', { href: `#/sweeps/${job.dispatchId}` }, job.dispatchId),
        formatTime(job.updatedAt),
      ],
      { 'data-job': job.id },
    );
  };

  const bulk = (name: BulkAction) =>
    action(status, async () => {
      const ids = selection();
      if (ids.length === 0) return status.info('Select jobs first.');
      if (name === 'delete' && !window.confirm(`Delete ${ids.length} job(s) and their files?`)) return;
      const { done, failed } = await api.jobs.bulk({ action: name, ids, force: force.checked });
      const failures = failed.map((f) => `job ${f.id}: ${f.message}`).join('; ');
      const text = `${name}: ${done.length} done${failed.length > 0 ? `, ${failed.length} failed (${failures})` : ''}.`;
      await load();
      if (failed.length > 0) status.error(new Error(text));
      else status.info(text);
    });

  const closeEvents = api.watch(filter.project !== undefined ? { project: filter.project } : {}, {
    state(e) {
      const s = shown.get(e.jobId);
      if (s === undefined) {
        if (cursor === undefined && filter.order === 'newest' && e.state === 'queued') {
          fresh.hidden = false;
          fill(
            fresh,
            'New jobs were dispatched. ',
            h('button', { type: 'button', onclick: () => void load() }, 'Show them'),
          );
        }
        return;
      }
      s.job = { ...s.job, state: e.state, rid: e.rid };
      fill(s.state, stateBadge(e.state));
      fill(s.rid, e.rid ?? '-');
      s.bar.set({ state: e.state });
    },
    progress(e) {
      shown.get(e.jobId)?.bar.set({ current: numberOf(e.currentstep), all: numberOf(e.allstep) });
    },
    gap() {
      void load().catch((err: unknown) => status.error(err));
    },
  });
  void load().catch((err: unknown) => status.error(err));

  return {
    element: h(
      'div',
      { class: 'page jobs' },
      h('h1', {}, 'Jobs'),
      jobFilters(api, filter, (q) => go(q)),
      status.element,
      fresh,
      h(
        'div',
        { class: 'bulk' },
        picked,
        h('button', { type: 'button', name: 'bulk-kill', onclick: bulk('kill') }, 'Kill'),
        h('button', { type: 'button', name: 'bulk-rerun', onclick: bulk('rerun') }, 'Rerun'),
        h(
          'button',
          { type: 'button', name: 'bulk-delete', class: 'danger', onclick: bulk('delete') },
          'Delete',
        ),
        h('label', { title: 'delete running jobs too (killing them first)' }, force, ' force'),
      ),
      section('', list.table, paging),
    ),
    close: closeEvents,
  };
}

/** The page before: the last cursor of the trail (0 is the first page). */
function backOf(trail: readonly string[]): { cursor?: number; trail: string[] } {
  const before = trail.at(-1);
  const cursor = positiveInt(before);
  return { ...(cursor !== undefined ? { cursor } : {}), trail: trail.slice(0, -1) };
}
