import { JOB_STATES } from '../../../src/job/states.js';
import type { HubEvent, Machine } from '../api/hub.js';
import { fill, h, row, section, table } from '../ui/dom.js';
import { formatAgo, formatTime } from '../ui/format.js';
import { jobLink, stateBadge } from '../ui/links.js';
import { notice } from '../ui/notice.js';
import type { Page, PageContext } from '../ui/router.js';
import { coalesce, every } from '../ui/schedule.js';
import { hashOf } from '../ui/router.js';

const RECENT = 30;
const MACHINES_MS = 5000;

/** The overview: jobs counted by state, the resource machines, the latest state changes; all live. */
export function overviewPage({ api }: PageContext): Page {
  const status = notice();
  const counts = h('div', { class: 'counts' });
  const machines = table(['rid', 'host', 'slots in use', 'running jobs', 'last heartbeat', '']);
  const recent = h('ol', { class: 'events' }, h('li', { class: 'muted' }, 'Waiting for events…'));
  let heard = 0;

  const loadCounts = async () => {
    try {
      const byState = await api.jobs.counts();
      fill(
        counts,
        ...JOB_STATES.map((state) =>
          h(
            'a',
            { class: `count state-${state}`, href: hashOf('/jobs', { state }), 'data-state': state },
            h('strong', {}, byState[state] ?? 0),
            h('span', {}, state),
          ),
        ),
      );
    } catch (err) {
      status.error(err);
    }
  };
  const loadMachines = async () => {
    const list = await api.machines();
    fill(machines.body, ...(list.length === 0 ? [row(['No resource machine has been heard from.'])] : []));
    machines.body.append(...list.map(machineRow));
  };

  const recount = coalesce(loadCounts, 500);
  const remachine = coalesce(() => loadMachines().catch((err: unknown) => status.error(err)), 1000);
  const addEvent = (event: Extract<HubEvent, { type: 'state' }>) => {
    if (heard++ === 0) recent.replaceChildren();
    recent.prepend(
      h(
        'li',
        {},
        h('time', {}, formatTime(event.at)),
        ' ',
        jobLink(event.jobId),
        ' ',
        stateBadge(event.state),
        ' ',
        h('span', { class: 'muted' }, event.reason),
      ),
    );
    while (recent.children.length > RECENT) recent.lastElementChild?.remove();
    recount.trigger();
    remachine.trigger(); // slots in use and running jobs change with states
  };
  const closeEvents = api.watch({}, { state: addEvent, gap: () => recount.trigger() });
  void loadCounts();
  const stopMachines = every(MACHINES_MS, () => loadMachines().catch((err: unknown) => status.error(err)));

  return {
    element: h(
      'div',
      { class: 'page overview' },
      h('h1', {}, 'Overview'),
      status.element,
      section('Jobs by state', counts),
      section('Resource machines', machines.table),
      section('Recent state changes', recent),
    ),
    close() {
      closeEvents();
      recount.cancel();
      remachine.cancel();
      stopMachines();
    },
  };
}

function machineRow(m: Machine): HTMLTableRowElement {
  const share = m.slots > 0 ? `${m.slotsInUse} / ${m.slots}` : String(m.slotsInUse);
  return row(
    [
      h('strong', {}, `rid ${m.rid}`),
      m.host,
      share,
      m.runningJobs.length === 0 ? '-' : h('span', {}, ...m.runningJobs.flatMap((id) => [jobLink(id), ' '])),
      h('span', { title: formatTime(m.lastHeartbeat) }, formatAgo(m.lastHeartbeat)),
      h('span', { class: m.alive ? 'badge alive' : 'badge silent' }, m.alive ? 'alive' : 'silent'),
    ],
    { 'data-rid': m.rid },
  );
}
