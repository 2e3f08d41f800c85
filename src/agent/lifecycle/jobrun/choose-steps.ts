import type { Step } from '../../../calc-package/index.js';
import { mirrorError } from '../../../core/index.js';
import type { JobStep } from '../../../store/index.js';

/**
 * Which steps a run takes, in order: the step named; `all` for every step not yet
 * succeeded; no name for the next one not yet succeeded (by priority).
 */
export function chooseSteps(
  jobId: number,
  steps: readonly Step[],
  records: readonly JobStep[],
  name: string | null,
): Step[] {
  const succeeded = new Set(records.filter((r) => r.status === 'succeeded').map((r) => r.stepId));
  const remaining = steps.filter((s) => !succeeded.has(s.id));
  if (name === null || name === 'all') {
    if (remaining.length === 0) throw mirrorError('STEP_NONE_LEFT', { jobid: jobId });
    return name === null ? remaining.slice(0, 1) : remaining;
  }
  const step = steps.find((s) => s.id === name);
  if (!step)
    throw mirrorError('STEP_UNKNOWN', {
      jobid: jobId,
      step: JSON.stringify(name),
      steps: steps.map((s) => s.id).join(', '),
    });
  return [step];
}
