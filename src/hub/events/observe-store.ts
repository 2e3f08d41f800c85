import type { Store, StoreOps } from '../../store/index.js';
import type { HubEventBody } from '../../job/index.js';
import type { EventLog } from './event-log.js';

/**
 * The store, telling the event log what changes: job states (transitions, dispatch) and
 * progress (monitor items). Inside a transaction the events wait for the commit, so a
 * watcher never hears of a change that was rolled back.
 */
export function observeStore(store: Store, events: EventLog): Store {
  // Progress is rewritten at every monitor pass: only a change is news.
  const lastProgress = new Map<number, string>();
  const publish = (event: HubEventBody) => {
    if (event.type === 'progress') {
      const seen = `${event.currentstep}/${event.allstep}`;
      if (lastProgress.get(event.jobId) === seen) return;
      lastProgress.set(event.jobId, seen);
    } else if (event.type === 'state' && event.state !== 'running') {
      lastProgress.delete(event.jobId);
    }
    events.publish(event);
  };
  const transaction: Store['transaction'] = async (fn) => {
    const pending: HubEventBody[] = [];
    const result = await store.transaction((tx) => fn(observeOps(tx, (e) => pending.push(e))));
    for (const event of pending) publish(event);
    return result;
  };
  return Object.freeze({
    ...store,
    ...observeOps(store, publish),
    transaction,
    capabilities: store.capabilities,
    close: () => store.close(),
  });
}

function observeOps<T extends StoreOps>(ops: T, emit: (event: HubEventBody) => void): StoreOps {
  return {
    ...ops,
    async transitionJob(jobId, t) {
      const job = await ops.transitionJob(jobId, t);
      if (job) {
        emit({
          type: 'state',
          jobId,
          projectId: job.projectId,
          state: job.state,
          rid: job.rid,
          reason: t.reason,
        });
      }
      return job;
    },
    async insertDispatch(d) {
      const result = await ops.insertDispatch(d);
      for (const jobId of result.jobIds) {
        emit({
          type: 'state',
          jobId,
          projectId: d.projectId,
          state: 'queued',
          rid: null,
          reason: 'dispatched',
        });
      }
      return result;
    },
    async putJobItems(jobId, items) {
      await ops.putJobItems(jobId, items);
      const current = items.find((i) => i.section === 'process' && i.key === 'currentstep');
      const all = items.find((i) => i.section === 'process' && i.key === 'allstep');
      if (current && all) {
        const job = await ops.getJob(jobId);
        if (job)
          emit({
            type: 'progress',
            jobId,
            projectId: job.projectId,
            currentstep: current.value,
            allstep: all.value,
          });
      }
    },
  };
}
