import type { Kysely } from 'kysely';
import { toMachine } from './rows.js';
import type { Database } from './schema.js';
import type { StoreOps } from './store.js';

/** Resource machines and their heartbeats (the lease an agent holds on its jobs). */
export function machineOps(db: Kysely<Database>): Pick<StoreOps, 'recordHeartbeat' | 'listMachines'> {
  return {
    async recordHeartbeat(machine) {
      const row = {
        rid: machine.rid,
        host: machine.host,
        slots: machine.slots,
        slots_in_use: machine.slotsInUse,
        last_heartbeat: machine.lastHeartbeat,
        jobs_root: machine.jobsRoot,
        executor: machine.executor,
        steps_outlive_agent: machine.stepsOutliveAgent ? 1 : 0,
      };
      await db
        .insertInto('machines')
        .values(row)
        .onConflict((oc) =>
          oc.column('rid').doUpdateSet({
            host: row.host,
            slots: row.slots,
            slots_in_use: row.slots_in_use,
            last_heartbeat: row.last_heartbeat,
            jobs_root: row.jobs_root,
            executor: row.executor,
            steps_outlive_agent: row.steps_outlive_agent,
          }),
        )
        .execute();
    },
    async listMachines() {
      const rows = await db.selectFrom('machines').selectAll().orderBy('rid').execute();
      return rows.map(toMachine);
    },
  };
}
