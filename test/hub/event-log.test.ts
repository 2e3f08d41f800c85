import { describe, expect, it } from 'vitest';
import { createEventLog } from '../../src/hub/index.js';

const line = (jobId: number) => ({ type: 'line' as const, jobId, projectId: 1, key: 'log', lines: ['x'] });

describe('the event log', () => {
  it('holds the newest `capacity` events, resumable by id, whatever waits for the next trim', () => {
    const log = createEventLog({ events: 3 });
    const ids = [1, 2, 3, 4, 5].map((job) => log.publish(line(job)).id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(log.since(0).map((e) => e.jobId)).toEqual([3, 4, 5]);
    expect(log.since(4).map((e) => e.jobId)).toEqual([5]);
    for (let job = 6; job <= 20; job++) log.publish(line(job));
    expect(log.since(0).map((e) => e.jobId)).toEqual([18, 19, 20]);
    expect(log.since(19, { jobId: 20 }).map((e) => e.id)).toEqual([20]);
  });

  it('holds no more bytes than its limit, the newest kept, whatever one job logs', () => {
    const log = createEventLog({ bytes: 64 * 1024 });
    const big = (jobId: number) => ({ ...line(jobId), lines: ['y'.repeat(1000)] });
    for (let job = 1; job <= 1000; job++) log.publish(big(job));
    const held = log.held();
    expect(held.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(held.bytes).toBeGreaterThan(60 * 1024); // it does hold up to its limit
    const since = log.since(0);
    expect(since).toHaveLength(held.events);
    expect(since.at(-1)?.jobId).toBe(1000);
    expect(since[0]?.jobId).toBe(1000 - held.events + 1);
  });

  it('tells subscribers every event as it is published, until they unsubscribe', () => {
    const log = createEventLog();
    const seen: number[] = [];
    const stop = log.subscribe((e) => seen.push(e.jobId));
    log.publish({
      type: 'state',
      jobId: 7,
      projectId: 1,
      state: 'assigned',
      rid: 5,
      reason: 'claimed by rid 5',
    });
    stop();
    log.publish(line(8));
    expect(seen).toEqual([7]);
    expect(log.since(0)[0]).toMatchObject({ type: 'state', rid: 5, state: 'assigned' });
  });
});
