/**
 * The lifecycle of a job on its resource machine: one file per seed verb, in the order a
 * job meets them. `jobrun/` holds what running a step takes (its hooks, process, output
 * limit, progress), `items/` the copies of run-directory files the hub keeps.
 *
 * | verb | entry point |
 * |---|---|
 * | `jobdirbuild_<rid>.do` | `dirbuild` |
 * | `jobfilebuild_<rid>.do` | `filebuild` |
 * | `jobrun_<rid>.do` | `startRun` |
 * | `jobprocessmonitor_<rid>.do` | `processMonitor` |
 * | `jobresultrecovery_<rid>.do` | `resultRecovery` |
 * | `jobkill_<rid>.do` | `kill` |
 * | `jobdelete_<rid>.do` | `deleteJob` |
 */
export { dirbuild } from './dirbuild.js';
export { filebuild } from './filebuild.js';
export { resumeRun, startRun } from './run.js';
export { processMonitor } from './process-monitor.js';
export { resultRecovery } from './result-recovery.js';
export { kill } from './kill.js';
export { deleteJob } from './delete.js';
