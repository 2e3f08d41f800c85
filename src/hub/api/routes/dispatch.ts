import { ownValue } from '../../../core/index.js';
import type { Hub } from '../../create-hub.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { dispatchPreview } from '../../../api/schemas.js';
import { dispatchMade, dispatchRequest } from '../../../api/exchanges.js';

/** The parameters whose values differ between the states, in the order of the first state. */
export function variedParameters(states: readonly { params: Readonly<Record<string, string>> }[]): string[] {
  const first = states[0]?.params ?? {};
  return Object.keys(first).filter((name) =>
    states.some((s) => ownValue(s.params, name) !== ownValue(first, name)),
  );
}

/** Dispatch, as `jobdispatch.do` does it, and its preview. */
export function dispatchRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/dispatch',
      status: 201,
      tag: 'jobs',
      summary: 'Dispatch a project on a calc package: one queued job per para state (all or nothing).',
      body: dispatchRequest,
      response: dispatchMade,
      handle: async ({ body }) => {
        const { projectId, packageId, paraName } = body;
        const jobIds = await hub.dispatch({ projectId, packageId, paraName });
        return { jobIds };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/dispatch/preview',
      tag: 'jobs',
      summary:
        'What a dispatch would make, changing nothing: how many jobs, which parameters vary, the first labels; or the error it would answer.',
      body: dispatchRequest,
      response: dispatchPreview,
      handle: async ({ body }) => {
        const jobs = await hub.planDispatch(body);
        return {
          jobs: jobs.length,
          parameters: variedParameters(jobs),
          labels: jobs.slice(0, 20).map((j) => j.label),
        };
      },
    }),
  ];
}
