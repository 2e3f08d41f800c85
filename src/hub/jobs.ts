import type { JobQueue, Rpc } from '../bus/index.js';
import { errorOf, isIdentifier, mirrorError, ownValue } from '../core/index.js';
import { CANCELLABLE_STATES, MOVES } from '../job/index.js';
import type { Job, Store } from '../store/index.js';

/** What the hub does to jobs besides dispatch: rerun, edit parameters, act through their agent. */
export interface Jobs {
  /**
   * Sends a settled job (finished, failed, killed, lost) round again: back to `queued`,
   * unclaimed, its data cleared, its id enqueued. Its old run directories stay until
   * it is deleted; the next dirbuild makes a fresh one.
   */
  rerun(jobId: number): Promise<Job>;
  /**
   * Replaces a job's parameters (the original's "change them in the database, then
   * filebuild again"): refused while the job runs; recorded as an event; effective at
   * the next filebuild.
   */
  editParams(jobId: number, params: Readonly<Record<string, string>>): Promise<Job>;
  /**
   * Kills a job: one no step of which runs now (queued, assigned, built, ready) is
   * cancelled in the store (`killed`, reason `cancelled before it ran`, or `cancelled
   * between steps`; a queue message for it is ignored when it comes, as its claim finds it
   * no longer queued); a running one is killed by its machine (`jobkill`). Anything else
   * answers the seed's `job not running`.
   */
  kill(jobId: number): Promise<void>;
  /** Calls a per-rid seed verb (`jobkill`, `jobdelete`) on the machine the job is on. */
  onItsMachine(base: 'jobkill' | 'jobdelete', jobId: number, kwargs?: Record<string, number>): Promise<void>;
}

export function createJobs(deps: { store: Store; queue: JobQueue; rpc: Rpc }): Jobs {
  const { store, queue, rpc } = deps;
  const mustGet = async (jobId: number): Promise<Job> => {
    const job = await store.getJob(jobId);
    if (!job) throw mirrorError('JOB_NOT_FOUND', { job: jobId });
    return job;
  };
  const onItsMachine: Jobs['onItsMachine'] = async (base, jobId, kwargs = {}) => {
    const job = await mustGet(jobId);
    if (job.rid === null) throw mirrorError('JOB_NOT_CLAIMED', { jobid: jobId, state: job.state });
    const refused = errorOf(await rpc.call(`${base}_${job.rid}`, 'do', { job_id: jobId, ...kwargs }));
    if (refused) throw refused;
  };
  return {
    async kill(jobId) {
      // A job moving on meanwhile (claimed, its step started) is looked at again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const job = await mustGet(jobId);
        if (job.state === 'running') return onItsMachine('jobkill', jobId);
        if (!CANCELLABLE_STATES.includes(job.state)) throw mirrorError('JOB_NOT_RUNNING', { jobid: jobId });
        const stepsRan = (await store.listJobSteps(jobId)).some((s) => s.status !== 'pending');
        const reason = stepsRan ? 'cancelled between steps' : 'cancelled before it ran';
        if (await store.transitionJob(jobId, { from: [job.state], to: 'killed', reason })) return;
      }
      throw mirrorError('JOB_NOT_RUNNING', { jobid: jobId });
    },
    onItsMachine,
    async rerun(jobId) {
      const job = await mustGet(jobId);
      const rerun = await store.transaction(async (tx) => {
        const moved = await tx.transitionJob(jobId, {
          ...MOVES.rerun,
          reason: 'rerun',
          rid: null,
        });
        if (!moved) return undefined;
        for (const sha of await tx.deleteJobItems(jobId)) await tx.forgetStoredFileIfUnused(sha);
        return moved;
      });
      if (!rerun) {
        throw mirrorError('JOB_WRONG_STATE', {
          jobid: jobId,
          state: job.state,
          operation: 'rerun',
          needed: MOVES.rerun.from.join(' or '),
        });
      }
      await queue.enqueue([jobId]);
      return rerun;
    },
    async editParams(jobId, params) {
      const job = await mustGet(jobId);
      if (job.state === 'running') throw mirrorError('JOB_IS_RUNNING', { jobid: jobId });
      for (const [name, value] of Object.entries(params)) {
        if (!isIdentifier(name)) throw mirrorError('PARAM_NAME_INVALID', { name: JSON.stringify(name) });
        if (typeof value !== 'string') throw mirrorError('PARAM_VALUE_INVALID', { name });
      }
      const changed = Object.keys({ ...job.params, ...params }).filter(
        (k) => ownValue(job.params, k) !== ownValue(params, k),
      );
      await store.updateJobParams(
        jobId,
        { ...params },
        `parameters edited: ${changed.join(', ') || 'none changed'}`,
      );
      return mustGet(jobId);
    },
  };
}
