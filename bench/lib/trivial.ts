// One timed sweep of trivial jobs on an embedded Mirror in this process: dispatch `n`
// one-step `true` jobs (autorun) and wait for the last to end.
import type { Embedded } from '../../src/embedded/index.js';
import { paraOfStates, registerSweep, watchEnds } from './fixtures.js';

export interface SweepTiming {
  /** From the dispatch call until the last job ended, ms. */
  readonly wallMs: number;
  /** CPU time this process spent meanwhile (user + system), ms; steps' own processes excluded. */
  readonly cpuMs: number;
  /** Jobs that did not finish, and a few of their reasons. */
  readonly failed: number;
  readonly reasons: readonly string[];
}

export async function runTrivialSweep(mirror: Embedded, packageDir: string, n: number): Promise<SweepTiming> {
  const { projectId, packageId } = await registerSweep(mirror, packageDir, paraOfStates(n));
  const ends = watchEnds(mirror.hub.events);
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const ids = await mirror.hub.dispatch({ projectId, packageId, paraName: 'para.xml' });
    const { failed, reasons } = await ends.until(ids, 600_000);
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { wallMs, cpuMs: (used.user + used.system) / 1000, failed, reasons };
  } finally {
    ends.stop();
  }
}
