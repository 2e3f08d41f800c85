// How each way a Slurm job can end becomes a step's outcome and reason. The states a
// single-node test cluster cannot produce (out of memory without cgroups, a node failure,
// preemption) are checked here from Slurm's state names; the rest also end to end in
// slurm.test.ts.
import { describe, expect, it } from 'vitest';
import {
  exitOutcome,
  noExitReason,
  schedulerReason,
} from '../../../src/agent/executor/slurm/slurm-outcome.js';

const asked = { id: '4242', walltimeSeconds: 7200, memoryMiB: 16384 };

describe('a Slurm job’s end as a step’s outcome', () => {
  it.each([
    ['TIMEOUT', 'walltime of 02:00:00 exceeded'],
    ['OUT_OF_MEMORY', 'out of memory: over the 16384 MiB asked for (Slurm job 4242)'],
    ['NODE_FAIL', 'its node failed (Slurm job 4242, NODE_FAIL)'],
    ['CANCELLED', 'cancelled outside Mirror by scancel'],
    ['PREEMPTED', 'preempted by the cluster (Slurm job 4242)'],
    ['BOOT_FAIL', 'its node failed to boot (Slurm job 4242, BOOT_FAIL)'],
    ['DEADLINE', 'its deadline passed before it could end (Slurm job 4242)'],
    ['SPECIAL_EXIT', 'Slurm ended job 4242: SPECIAL_EXIT (held)'],
  ])('%s: %s', (state, reason) => {
    expect(schedulerReason(state, state === 'SPECIAL_EXIT' ? 'held' : null, asked)).toBe(reason);
  });

  it('leaves COMPLETED, FAILED and a job no longer listed to the exit status the script wrote', () => {
    for (const state of ['COMPLETED', 'FAILED', 'UNLISTED'])
      expect(schedulerReason(state, null, asked)).toBeUndefined();
    expect(exitOutcome(0)).toEqual({ kind: 'exited', code: 0 });
    expect(exitOutcome(3)).toEqual({ kind: 'exited', code: 3 });
    expect(exitOutcome(139)).toEqual({ kind: 'signaled', signal: 'SIGSEGV' });
    expect(exitOutcome(255)).toEqual({ kind: 'exited', code: 255 });
  });

  it('names the walltime and memory only when they were asked for', () => {
    const bare = { id: '7', walltimeSeconds: undefined, memoryMiB: undefined };
    expect(schedulerReason('TIMEOUT', null, bare)).toBe("the partition's time limit exceeded (Slurm job 7)");
    expect(schedulerReason('OUT_OF_MEMORY', null, bare)).toBe('out of memory (Slurm job 7)');
  });

  it('says which way the exit status never came', () => {
    expect(noExitReason('UNLISTED', null, asked)).toBe(
      'Slurm no longer lists job 4242 and it left no exit status',
    );
    expect(noExitReason('FAILED', 'RaisedSignal:9', asked)).toBe(
      'Slurm job 4242 ended FAILED (RaisedSignal:9) before its command wrote an exit status',
    );
  });
});
