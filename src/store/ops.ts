import type { Kysely } from 'kysely';
import { calcPackageOps } from './calc-packages.js';
import type { OpsContext } from './context.js';
import { dispatchOps } from './dispatches.js';
import { dutyOps } from './duties.js';
import { jobItemOps } from './job-items.js';
import { jobLifecycleOps } from './job-lifecycle.js';
import { jobStepOps } from './job-steps.js';
import { jobOps } from './jobs.js';
import { machineOps } from './machines.js';
import { projectOps } from './projects.js';
import type { Database } from './schema.js';
import type { StoreOps } from './store.js';
import { storedFileOps } from './stored-files.js';

/**
 * Every store operation over `db`, which is either the store's database or one
 * transaction on it: the same code serves both.
 */
export function createOps(db: Kysely<Database>, ctx: OpsContext): StoreOps {
  return Object.freeze({
    ...storedFileOps(db, ctx),
    ...projectOps(db, ctx),
    ...calcPackageOps(db, ctx),
    ...dispatchOps(db, ctx),
    ...dutyOps(db, ctx),
    ...jobOps(db, ctx),
    ...jobLifecycleOps(db, ctx),
    ...jobStepOps(db, ctx),
    ...jobItemOps(db, ctx),
    ...machineOps(db),
  });
}
