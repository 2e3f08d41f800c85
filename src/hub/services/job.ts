import { defineMethod, mirrorError, reply, type ServiceDefinition } from '../../core/index.js';
import type { Store } from '../../store/index.js';

/** `job.getrid(job_id)` → `[0, rid]`; a job nobody has claimed yet answers `[-1, ...]` saying so. */
export function jobService(deps: { store: Store }): ServiceDefinition {
  return {
    name: 'job',
    methods: {
      getrid: defineMethod([{ name: 'job_id', type: 'id' }], (args) =>
        reply(async () => {
          const jobId = args.job_id;
          const job = await deps.store.getJob(jobId);
          if (!job) throw mirrorError('JOB_NOT_FOUND', { job: jobId });
          if (job.rid === null) throw mirrorError('JOB_NOT_CLAIMED', { jobid: jobId, state: job.state });
          return job.rid;
        }),
      ),
    },
  };
}
