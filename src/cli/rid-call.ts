import type { Reply } from '../core/index.js';
import type { MirrorClient } from '../sdk/index.js';

/** Calls a per-rid seed verb on the machine the job is on (`job.getrid`, then `<base>_<rid>.do`). */
export async function callOnJobRid(
  client: MirrorClient,
  base: string,
  jobId: number,
  kwargs: Record<string, string | number | null> = {},
): Promise<Reply<unknown>> {
  const rid = await client.call('job', 'getrid', { job_id: jobId });
  if (rid[0] !== 0) return rid;
  return client.call(`${base}_${String(rid[1])}`, 'do', { job_id: jobId, ...kwargs });
}
