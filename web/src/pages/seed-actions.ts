import type { HubApi, Job, JobStep } from '../api/hub.js';
import { fill, h } from '../ui/dom.js';
import { formatTime } from '../ui/format.js';
import { action, notice } from '../ui/notice.js';

/** The seed verbs of one job, as buttons; every reply is shown as the original's `[code, value]`. */
export interface SeedActions {
  readonly element: HTMLElement;
  /** Follows the job: its rid names the services, its steps fill the run choice. */
  update(job: Job, steps: readonly JobStep[]): void;
}

/**
 * Every seed action on one job through `/proxy/<service>-do`: dirbuild (force), filebuild,
 * run (next, one step, all), monitor, recover, kill, delete (force), getdata. The
 * per-rid services are `<verb>_<rid>` of the machine that claimed the job.
 */
export function seedActions(api: HubApi, jobId: number, changed: () => void): SeedActions {
  const status = notice();
  const replies = h('ol', { class: 'replies' });
  const forceBuild = h('input', { type: 'checkbox', name: 'dirbuild-force' });
  const forceDelete = h('input', { type: 'checkbox', name: 'delete-force' });
  const stepChoice = h('select', { name: 'run-step' });
  const machine = h('span', { class: 'muted' });
  let rid: number | null = null;

  /** Calls a seed verb and shows what it answered. */
  const call = (verb: string, perRid: boolean, kwargs: () => Record<string, string | number>) =>
    action(status, async () => {
      if (perRid && rid === null) return status.info('No resource machine has claimed this job yet.');
      const service = perRid ? `${verb}_${rid}` : verb;
      const args = { job_id: jobId, ...kwargs() };
      if (verb === 'jobdelete' && !window.confirm(`Delete job ${jobId}, its run directories and files?`))
        return;
      const reply = await api.call(service, 'do', args);
      const text = Object.entries(args)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : v}`)
        .join(', ');
      replies.prepend(
        h(
          'li',
          { class: reply[0] === 0 ? 'ok' : 'fail', 'data-service': service },
          h('time', {}, formatTime(Date.now())),
          ' ',
          h('code', {}, `${service}.do(${text})`),
          ' → ',
          h('code', { class: 'reply' }, JSON.stringify(reply)),
        ),
      );
      status.clear();
      changed();
    });
  const none = () => ({});
  const button = (name: string, text: string, listener: (event: Event) => void, danger = false) =>
    h('button', { type: 'button', name, class: danger ? 'danger' : undefined, onclick: listener }, text);

  const element = h(
    'div',
    { class: 'seed-actions' },
    h('p', {}, machine),
    h(
      'div',
      { class: 'actions' },
      h(
        'span',
        { class: 'group' },
        button(
          'dirbuild',
          'Directory build',
          call('jobdirbuild', true, () => ({ force: forceBuild.checked ? 1 : 0 })),
        ),
        h('label', {}, forceBuild, ' force (new directory)'),
      ),
      button('filebuild', 'File build', call('jobfilebuild', true, none)),
      h(
        'span',
        { class: 'group' },
        button(
          'run',
          'Run',
          call('jobrun', true, (): Record<string, string> =>
            stepChoice.value === '' ? {} : { step: stepChoice.value },
          ),
        ),
        stepChoice,
      ),
      button('monitor', 'Monitor', call('jobprocessmonitor', true, none)),
      button('recover', 'Recover results', call('jobresultrecovery', true, none)),
      button('getdata', 'Get data', call('jobgetdata', false, none)),
      button('kill', 'Kill', call('jobkill', true, none), true),
      h(
        'span',
        { class: 'group' },
        button(
          'delete',
          'Delete',
          call('jobdelete', true, () => ({ force: forceDelete.checked ? 1 : 0 })),
          true,
        ),
        h('label', {}, forceDelete, ' force'),
      ),
    ),
    status.element,
    replies,
  );

  return {
    element,
    update(job, steps) {
      rid = job.rid;
      machine.textContent =
        rid === null
          ? 'Not claimed yet: the per-rid services are not known.'
          : `On resource machine rid ${rid}: services jobdirbuild_${rid}, jobrun_${rid}, … (and jobgetdata).`;
      const chosen = stepChoice.value;
      fill(
        stepChoice,
        h('option', { value: '' }, 'next step'),
        ...steps.map((s) =>
          h('option', { value: s.stepId, selected: s.stepId === chosen }, `step ${s.stepId}`),
        ),
        h('option', { value: 'all', selected: chosen === 'all' }, 'all remaining'),
      );
    },
  };
}
