import { initial } from './001-initial.js';
import { jobItems } from './002-job-items.js';
import { machines } from './003-machines.js';
import { machineJobsRoot } from './004-machine-jobs-root.js';
import { stepBatch } from './005-step-batch.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration this Mirror knows, in order; versions are 1..n without gaps. */
export const migrations: readonly Migration[] = Object.freeze([
  initial,
  jobItems,
  machines,
  machineJobsRoot,
  stepBatch,
]);

/** The schema version a fully migrated database has. */
export const latestSchemaVersion: number = migrations.length;
