import type { Hub } from '../../create-hub.js';
import { defineRoute, type ApiRoute } from '../route.js';
import { machineList } from '../../../api/exchanges.js';

/** Resource machines. */
export function machineRoutes(hub: Hub): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/machines',
      tag: 'resource machines',
      summary: 'Resource machines heard from: rid, host, slots, last heartbeat, running jobs.',
      response: machineList,
      handle: async () => ({ machines: await hub.machines.list() }),
    }),
  ];
}
