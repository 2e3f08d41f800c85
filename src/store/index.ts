// The store's door: open a store by URL; its types; the schema's migrations.
export { openStore, connectStore, type OpenStoreOptions } from './open-store.js';
export { openSqliteStore } from './sqlite/index.js';
export { openPostgresStore, type PostgresStoreOptions } from './postgres/index.js';
export { migrate, type MigrationReport } from './migrator.js';
export { migrations, latestSchemaVersion, type Migration } from './migrations/index.js';
export { maskStoreUrl } from './store-url.js';
export type { StoreConnection, StoreOptions } from './create-store.js';
export type { Engine } from './engine.js';
export type {
  Store,
  StoreOps,
  StoreCapabilities,
  StoredFile,
  Project,
  ProjectFile,
  CalcPackage,
  Dispatch,
  Job,
  NewJob,
  StepStatus,
  JobStep,
  JobEvent,
  JobFilter,
  NewDispatch,
  DispatchResult,
  JobItem,
  NewJobItem,
  JobTransition,
  Machine,
  StepPatch,
} from './store.js';
