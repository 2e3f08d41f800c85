import { describe, expect, it } from 'vitest';
import type { ProcessLines } from '../../../src/hub-link/hub-link.js';
import { createLineBatches } from '../../../src/hub-link/client/line-batches.js';

const event = (key: string, n: number): ProcessLines => ({
  type: 'line',
  jobId: 1,
  projectId: 1,
  key,
  lines: [String(n).padStart(999, '0')], // 1000 bytes with its newline
});

describe('process-file lines waiting for the hub', () => {
  it('hold no more than their bound, the oldest dropped and said skipped by the next of their file', async () => {
    const sent: ProcessLines[][] = [];
    const batches = createLineBatches((events) => {
      sent.push(events);
      return Promise.resolve();
    }, 10_000);
    for (let n = 0; n < 100; n++) batches.add(event(n % 2 === 0 ? 'log' : 'residuals', n));
    expect(batches.pendingBytes()).toBeLessThanOrEqual(10_000);
    await batches.flush();
    const [batch = []] = sent;
    expect(batch.map((e) => Number(e.lines[0]))).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    // 45 lines of each file went before these, 1000 bytes each.
    expect(batch.slice(0, 2).map((e) => [e.key, e.skipped])).toEqual([
      ['log', 45_000],
      ['residuals', 45_000],
    ]);
    expect(batch.slice(2).every((e) => e.skipped === undefined)).toBe(true);
  });

  it('send one batch at a time: what comes meanwhile goes after it', async () => {
    const sent: number[][] = [];
    let release = () => {};
    const batches = createLineBatches((events) => {
      sent.push(events.map((e) => Number(e.lines[0])));
      return new Promise<void>((resolve) => (release = resolve));
    });
    batches.add(event('log', 1));
    const first = batches.flush();
    batches.add(event('log', 2));
    const again = batches.flush(); // the first is on its way: nothing new is sent yet
    expect(sent).toEqual([[1]]);
    release();
    await Promise.all([first, again]);
    const second = batches.flush();
    release();
    await second;
    expect(sent).toEqual([[1], [2]]);
  });
});

describe('draining the lines waiting for the hub', () => {
  it('sends the batch on its way, then what came meanwhile', async () => {
    const sent: number[][] = [];
    const batches = createLineBatches((events) => {
      sent.push(events.map((e) => Number(e.lines[0])));
      return new Promise<void>((resolve) => setTimeout(resolve, 10));
    });
    batches.add(event('log', 1));
    void batches.flush();
    batches.add(event('log', 2));
    await batches.drain();
    expect(sent).toEqual([[1], [2]]);
    expect(batches.pendingBytes()).toBe(0);
  });
});
