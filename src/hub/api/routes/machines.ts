import { z } from 'zod';
import type { Hub } from '../../create-hub.js';
import { defineRoute, type ApiRoute } from '../route.js';

/** Resource machines. */
export function machineRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/machines',
      tag: 'resource machines',
      summary: 'Resource machines heard from: rid, host, slots, last heartbeat, running jobs.',
      response: z.object({
        machines: z.array(
          z.object({
            rid: z.number(),
            host: z.string(),
            slots: z.number(),
            slotsInUse: z.number(),
            lastHeartbeat: z.number(),
            jobsRoot: z.string(),
            alive: z.boolean(),
            runningJobs: z.array(z.number()),
          }),
        ),
      }),
      handle: async () => ({ machines: await hub.machines.list() }),
    }),
  ];
}
