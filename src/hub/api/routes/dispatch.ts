import { z } from 'zod';
import type { Hub } from '../../create-hub.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { idNumber } from '../schemas.js';

/** Dispatch, as `jobdispatch.do` does it. */
export function dispatchRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/dispatch',
      status: 201,
      tag: 'jobs',
      summary: 'Dispatch a project on a calc package: one queued job per para state (all or nothing).',
      body: z.strictObject({
        projectId: idNumber,
        packageId: idNumber,
        paraName: z.string().default('para.xml'),
      }),
      response: z.object({ jobIds: z.array(z.number()) }),
      handle: async ({ body }) => {
        const { projectId, packageId, paraName } = body;
        const jobIds = await hub.dispatch({ projectId, packageId, paraName });
        return { jobIds };
      },
    }),
  ];
}
