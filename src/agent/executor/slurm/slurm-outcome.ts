import { constants } from 'node:os';
import { formatWalltime } from '../../../calc-package/index.js';
import type { StepOutcome } from '../executor.js';

/** States in which a batch job may still run or is still being cleaned up after. */
export const ACTIVE_STATES: ReadonlySet<string> = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'STOPPED',
  'SIGNALING',
  'STAGE_OUT',
  'RESIZING',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESV_DEL_HOLD',
]);

/** What the job asked for, for the reasons given. */
export interface Asked {
  readonly id: string;
  readonly walltimeSeconds: number | undefined;
  readonly memoryMiB: number | undefined;
}

/**
 * The outcome of a command whose exit status the script wrote: a code over 128 is the
 * shell's way of telling a signal (the command ran as the shell's last command).
 */
export function exitOutcome(code: number): StepOutcome {
  if (code > 128 && code < 128 + 65) {
    const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
    if (name !== undefined) return { kind: 'signaled', signal: name };
  }
  return { kind: 'exited', code };
}

/**
 * Why Slurm ended a job whose command left no exit status (or whose end was Slurm's
 * doing), as a step's reason; undefined for the states where the exit file decides.
 */
export function schedulerReason(state: string, reason: string | null, asked: Asked): string | undefined {
  switch (state) {
    case 'COMPLETED':
    case 'FAILED':
    case 'UNLISTED':
      return undefined;
    case 'TIMEOUT':
      return asked.walltimeSeconds === undefined
        ? `the partition's time limit exceeded (Slurm job ${asked.id})`
        : `walltime of ${formatWalltime(asked.walltimeSeconds)} exceeded`;
    case 'OUT_OF_MEMORY':
      return asked.memoryMiB === undefined
        ? `out of memory (Slurm job ${asked.id})`
        : `out of memory: over the ${asked.memoryMiB} MiB asked for (Slurm job ${asked.id})`;
    case 'NODE_FAIL':
      return `its node failed (Slurm job ${asked.id}, NODE_FAIL)`;
    case 'CANCELLED':
      return 'cancelled outside Mirror by scancel';
    case 'PREEMPTED':
      return `preempted by the cluster (Slurm job ${asked.id})`;
    case 'BOOT_FAIL':
      return `its node failed to boot (Slurm job ${asked.id}, BOOT_FAIL)`;
    case 'DEADLINE':
      return `its deadline passed before it could end (Slurm job ${asked.id})`;
    default:
      return `Slurm ended job ${asked.id}: ${state}${reason === null ? '' : ` (${reason})`}`;
  }
}

/** The reason when the exit status never came. */
export function noExitReason(state: string, reason: string | null, asked: Asked): string {
  return state === 'UNLISTED'
    ? `Slurm no longer lists job ${asked.id} and it left no exit status`
    : `Slurm job ${asked.id} ended ${state}${reason === null ? '' : ` (${reason})`} before its command wrote an exit status`;
}
