import { z } from 'zod';
import { mirrorError } from '../../../core/index.js';
import type { Hub } from '../../create-hub.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { idText, sweepResults as results } from '../../../api/schemas.js';
import { dispatchList, dispatchListQuery } from '../../../api/exchanges.js';
import { sweepResults, toCsv, type SweepResults } from '../sweep-results.js';
import { variedParameters } from './dispatch.js';

/** Dispatches (one `jobdispatch.do` each) and the results of their sweeps. */
export function dispatchesRoutes(hub: Hub): ApiRoute[] {
  const load = async (id: number): Promise<SweepResults> => {
    const found = await hub.store.getDispatch(id);
    if (!found) throw mirrorError('DISPATCH_NOT_FOUND', { dispatch: id });
    return sweepResults(hub.store, found, variedParameters);
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/dispatches',
      tag: 'jobs',
      summary: 'Dispatches, newest first, of one project or all.',
      query: dispatchListQuery,
      response: dispatchList,
      handle: async ({ query }) => ({
        dispatches: await hub.store.listDispatches({
          ...(query.project !== undefined ? { projectId: query.project } : {}),
          ...(query.limit !== undefined ? { limit: query.limit } : {}),
        }),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/dispatches/{id}/results',
      tag: 'jobs',
      summary:
        "A sweep's results: every job of the dispatch with its varied parameters and its Output scalars.",
      params: z.strictObject({ id: idText }),
      response: results,
      handle: ({ params }) => load(params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/dispatches/{id}/results.csv',
      tag: 'jobs',
      summary: 'The same results as CSV: job, state, label, each varied parameter, each Output.',
      params: z.strictObject({ id: idText }),
      response: z.string(),
      produces: 'text/csv',
      handle: async ({ params, reply }) => {
        const csv = toCsv(await load(params.id));
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="dispatch-${params.id}-results.csv"`);
        return csv;
      },
    }),
  ];
}
