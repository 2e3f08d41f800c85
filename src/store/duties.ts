import type { Kysely } from 'kysely';
import { crc32 } from 'node:zlib';
import type { OpsContext } from './context.js';
import type { Database } from './schema.js';
import type { StoreOps } from './store.js';

/** The lock key of a duty: its name's CRC-32, as the signed 32-bit int PostgreSQL takes. */
function dutyKey(duty: string): number {
  return crc32(`mirror duty ${duty}`) | 0;
}

/** Duties (background jobs) that several hubs on one database must not do at once. */
export function dutyOps(db: Kysely<Database>, ctx: OpsContext): Pick<StoreOps, 'tryHoldDuty'> {
  return {
    tryHoldDuty: (duty) => ctx.engine.tryTransactionLock(db, dutyKey(duty)),
  };
}
