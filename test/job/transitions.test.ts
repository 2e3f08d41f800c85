// The transition table is the one authority over a job's state: for every pair of states,
// a job put in the first (along a legal path from queued) is moved to the second by the
// store exactly when the table has that edge; otherwise the store refuses it
// (TRANSITION_ILLEGAL) and the job stays where it was. On every store backend.
import { describe, expect, it } from 'vitest';
import { isMirrorError } from '../../src/core/index.js';
import { JOB_STATES, TRANSITIONS, canTransition, type JobState } from '../../src/job/index.js';
import type { Store } from '../../src/store/index.js';
import { describeEachStore, insertOneJob, storeBackends } from '../support/stores.js';

const backends = await storeBackends();

/** The shortest legal path from queued to `state` (by the table itself). */
function pathTo(state: JobState): JobState[] {
  const previous = new Map<JobState, JobState | null>([['queued', null]]);
  const pending: JobState[] = ['queued'];
  while (pending.length > 0) {
    const at = pending.shift() ?? 'queued';
    for (const next of TRANSITIONS[at]) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      pending.push(next);
    }
  }
  const path: JobState[] = [];
  for (let s: JobState | null | undefined = state; s !== null && s !== undefined; s = previous.get(s))
    path.unshift(s);
  return path;
}

/** A new job moved along the table to `state`. */
async function jobIn(store: Store, state: JobState): Promise<number> {
  const id = await insertOneJob(store);
  const path = pathTo(state);
  for (let i = 1; i < path.length; i++) {
    const from = path[i - 1] ?? 'queued';
    const to = path[i] ?? 'queued';
    const moved = await store.transitionJob(id, {
      from: [from],
      to,
      reason: 'walk',
      ...(to === 'assigned' ? { rid: 1 } : {}),
    });
    expect(moved?.state).toBe(to);
  }
  return id;
}

describe('the transition table', () => {
  it('reaches every state from queued', () => {
    for (const state of JOB_STATES) expect(pathTo(state).at(-1)).toBe(state);
  });
});

describeEachStore(backends, (backend) => {
  it(`the store moves a job between every pair of the ${JOB_STATES.length ** 2} exactly as the table says`, async () => {
    const store = await backend.open();
    const verdicts: string[] = [];
    for (const from of JOB_STATES) {
      for (const to of JOB_STATES) {
        const id = await jobIn(store, from);
        const outcome = await store.transitionJob(id, { from: [from], to, reason: 'pair' }).then(
          (job) => (job?.state === to ? 'moved' : `not moved (${job?.state})`),
          (err: unknown) =>
            isMirrorError(err) && err.code === 'TRANSITION_ILLEGAL' ? 'refused' : String(err),
        );
        const state = (await store.getJob(id))?.state;
        const expected = canTransition(from, to) ? 'moved' : 'refused';
        if (outcome !== expected || state !== (expected === 'moved' ? to : from))
          verdicts.push(`${from} -> ${to}: ${outcome}, now ${state}`);
      }
    }
    expect(verdicts).toEqual([]);
  });
});
