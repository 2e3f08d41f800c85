import { z } from 'zod';
import { mirrorError } from '../../../core/index.js';
import { JOB_STATES, type JobState } from '../../../job/index.js';
import type { Hub } from '../../create-hub.js';
import { jobData } from '../../services/jobgetdata.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { idText, jobDetail, jobListQuery } from '../../../api/schemas.js';
import { jobCounts, jobCountsQuery, jobPage } from '../../../api/exchanges.js';

const jobId = z.strictObject({ id: idText });

/** Jobs: the list with filters and keyset paging, one job, its step logs. */
export function jobRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/jobs',
      tag: 'jobs',
      summary:
        'List jobs by filters, newest first (`order=oldest` for oldest first); page with `cursor` = the `next` of the previous page.',
      query: jobListQuery,
      response: jobPage,
      handle: async ({ query }) => {
        const limit = query.limit ?? 50;
        const jobs = await hub.store.listJobs({
          ...(query.state !== undefined ? { state: query.state } : {}),
          ...(query.project !== undefined ? { projectId: query.project } : {}),
          ...(query.package !== undefined ? { packageId: query.package } : {}),
          ...(query.dispatch !== undefined ? { dispatchId: query.dispatch } : {}),
          ...(query.rid !== undefined ? { rid: query.rid } : {}),
          ...(query.label !== undefined ? { label: query.label } : {}),
          ...(query.order === 'oldest' ? { order: 'asc' as const } : {}),
          ...(query.cursor !== undefined
            ? { [query.order === 'oldest' ? 'afterId' : 'beforeId']: query.cursor }
            : {}),
          limit,
        });
        return { jobs, next: jobs.length === limit ? (jobs.at(-1)?.id ?? null) : null };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/jobs/counts',
      tag: 'jobs',
      summary:
        'How many jobs are in each state (every state named, 0 included), of a project, a dispatch or all.',
      query: jobCountsQuery,
      response: jobCounts,
      handle: async ({ query }) => {
        const counted = await hub.store.countJobsByState({
          ...(query.project !== undefined ? { projectId: query.project } : {}),
          ...(query.dispatch !== undefined ? { dispatchId: query.dispatch } : {}),
        });
        const counts = Object.fromEntries(JOB_STATES.map((state) => [state, counted[state] ?? 0]));
        return { counts: counts as Record<JobState, number> };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/jobs/{id}',
      tag: 'jobs',
      summary: 'One job with its steps, its state history and its data (as jobgetdata).',
      params: jobId,
      response: jobDetail,
      handle: async ({ params }) => {
        const found = await hub.store.getJob(params.id);
        if (!found) throw mirrorError('JOB_NOT_FOUND', { job: params.id });
        const [steps, events, data] = await Promise.all([
          hub.store.listJobSteps(params.id),
          hub.store.listJobEvents(params.id),
          jobData(hub.store, hub.baseUrl, params.id),
        ]);
        return { job: found, steps, events: events.map(({ jobId: _, ...e }) => e), data };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/jobs/{id}/logs/{step}',
      tag: 'jobs',
      summary:
        "A step's log from byte `offset` (at most 1 MiB); `X-Next-Offset` says where to go on (tail -f), `X-Log-Size` how long it is now (to start near its end).",
      params: z.strictObject({ id: idText, step: z.string() }),
      query: z.strictObject({
        offset: z
          .string()
          .regex(/^\d{1,15}$/, 'expected a byte offset')
          .transform(Number)
          .optional(),
      }),
      response: z.string(),
      produces: 'text/plain',
      handle: async ({ params, query, reply }) => {
        const found = await hub.store.getJob(params.id);
        if (!found) throw mirrorError('JOB_NOT_FOUND', { job: params.id });
        const offset = query.offset ?? 0;
        const read = await hub.runFiles.stepLog(
          found,
          await hub.store.listJobSteps(params.id),
          params.step,
          offset,
        );
        reply
          .type('text/plain; charset=utf-8')
          .header('x-next-offset', String(read.next))
          .header('x-log-size', String(read.size));
        return read.text;
      },
    }),
  ];
}
