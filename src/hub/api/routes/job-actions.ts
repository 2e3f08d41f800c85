import { z } from 'zod';
import { mirrorError, toMirrorError } from '../../../core/index.js';
import type { JobFilter } from '../../../store/index.js';
import type { Hub } from '../../create-hub.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { idText, job, ok, params } from '../../../api/schemas.js';
import type { bulkAction } from '../../../api/exchanges.js';
import { bulkOutcome, bulkRequest } from '../../../api/exchanges.js';

const jobId = z.strictObject({ id: idText });

/** Does one action to one job; `force` deletes a running job (killing it first). */
async function act(hub: Hub, name: z.output<typeof bulkAction>, id: number, force: boolean): Promise<void> {
  if (name === 'rerun') await hub.jobs.rerun(id);
  else if (name === 'kill') await hub.jobs.kill(id);
  else await hub.jobs.onItsMachine('jobdelete', id, { force: force ? 1 : 0 });
}

/** Acting on jobs: one at a time, or many by a selector. */
export function jobActionRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/jobs/{id}/rerun',
      tag: 'jobs',
      summary: 'Send a settled job round again: queued, unclaimed, its data cleared.',
      params: jobId,
      response: job,
      handle: ({ params: p }) => hub.jobs.rerun(p.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/jobs/{id}/kill',
      tag: 'jobs',
      summary:
        "Stop a running job's process tree (jobkill on its resource machine); a job no step of which runs yet is cancelled.",
      params: jobId,
      response: ok,
      handle: async ({ params: p }) => {
        await hub.jobs.kill(p.id);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/jobs/{id}',
      tag: 'jobs',
      summary: 'Delete a job (jobdelete on its resource machine); a running one only with force=1.',
      params: jobId,
      query: z.strictObject({ force: z.enum(['0', '1']).optional() }),
      response: ok,
      handle: async ({ params: p, query }) => {
        await hub.jobs.onItsMachine('jobdelete', p.id, { force: query.force === '1' ? 1 : 0 });
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/jobs/{id}/params',
      tag: 'jobs',
      summary: 'Replace a job’s parameters (not while it runs); effective at its next filebuild.',
      params: jobId,
      body: z.strictObject({ params }),
      response: job,
      handle: ({ params: p, body }) => hub.jobs.editParams(p.id, body.params),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/jobs/bulk',
      tag: 'jobs',
      summary:
        'Kill, delete or rerun the jobs named: by ids, or by a selector with at least one field (at most 10,000). ' +
        'A request naming none is refused, never taken for every job.',
      body: bulkRequest,
      response: bulkOutcome,
      handle: async ({ body }) => {
        const named = namedJobs(body.action, body.ids, body.selector);
        const ids = named.ids ?? (await selected(hub, named.selector));
        const done: number[] = [];
        const failed: { id: number; message: string }[] = [];
        for (const id of ids) {
          try {
            await act(hub, body.action, id, body.force);
            done.push(id);
          } catch (err) {
            failed.push({ id, message: toMirrorError(err).message });
          }
        }
        return { done, failed };
      },
    }),
  ];
}

type Selector = Parameters<typeof selected>[1];

/** The jobs a bulk request names: ids, or a selector with a field set; never none, never both. */
function namedJobs(
  action: string,
  ids: readonly number[] | undefined,
  selector: Selector | undefined,
): { ids: readonly number[]; selector?: undefined } | { ids?: undefined; selector: Selector } {
  const hasSelector = selector !== undefined && Object.values(selector).some((v) => v !== undefined);
  const hasIds = ids !== undefined && ids.length > 0;
  if (hasIds && hasSelector) throw mirrorError('BULK_BOTH', {});
  if (hasIds) return { ids };
  if (hasSelector) return { selector };
  throw mirrorError('BULK_UNNAMED', { action });
}

/** Ids of the jobs a selector matches, oldest first, at most 10,000. */
async function selected(
  hub: Hub,
  s: {
    state?: JobFilter['state'];
    project?: number;
    package?: number;
    dispatch?: number;
    rid?: number;
    label?: string;
  },
): Promise<number[]> {
  const filter: JobFilter = {
    ...(s.state !== undefined ? { state: s.state } : {}),
    ...(s.project !== undefined ? { projectId: s.project } : {}),
    ...(s.package !== undefined ? { packageId: s.package } : {}),
    ...(s.dispatch !== undefined ? { dispatchId: s.dispatch } : {}),
    ...(s.rid !== undefined ? { rid: s.rid } : {}),
    ...(s.label !== undefined ? { label: s.label } : {}),
    limit: 10_000,
  };
  return (await hub.store.listJobs(filter)).map((j) => j.id).reverse();
}
