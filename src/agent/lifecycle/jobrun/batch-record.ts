import type { AgentContext } from '../../context.js';
import type { BatchState } from '../../executor/executor.js';

/**
 * Writes a step's batch job (its id, its state at the scheduler) onto the step's record
 * as the executor tells them, in the order told: one write at a time, the newest state
 * last. A write that fails is logged; the step goes on.
 */
export function batchRecorder(
  ctx: AgentContext,
  jobId: number,
  stepId: string,
): { record: (batch: BatchState) => void; written: () => Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  return {
    record(batch) {
      const batchState = batch.reason === null ? batch.state : `${batch.state} (${batch.reason})`;
      chain = chain
        .then(() => ctx.hub.updateJobStep(jobId, stepId, { batchId: batch.id, batchState }))
        .catch((err: unknown) =>
          ctx.log(`job ${jobId} step ${stepId}: could not record batch job ${batch.id}: ${String(err)}`),
        );
    },
    written: () => chain,
  };
}
