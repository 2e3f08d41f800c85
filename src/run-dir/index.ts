/**
 * Run directories: where a job's run directories are (`<workdir>/jobs/<id>[.<n>]`), and
 * reading its progress, items and step logs from one. Reads are bounded and refuse links
 * out of the run directory, FIFOs, sockets and devices with a warning rather than an
 * error; writes (a target, a step log) never follow links planted in it.
 */
export {
  readRunFile,
  openRunFile,
  DEFAULT_TAIL_BYTES,
  DEFAULT_FULL_MAX_BYTES,
  type ReadMode,
  type RunFileRead,
  type OpenedRunFile,
} from './read-run-file.js';
export { lastMatch, MAX_MATCHED_LINE_BYTES, type LineMatch } from './last-match.js';
export { readProgress, type Progress, type ReadProgressOptions } from './progress.js';
export { readOutputs, DEFAULT_OUTPUT_TAIL_BYTES, type Outputs, type ReadOutputsOptions } from './outputs.js';
export { listItemFiles, type ItemFile } from './item-files.js';
export { readLogChunk, MAX_LOG_CHUNK, type LogChunk } from './step-log.js';
export { jobsRoot, nextRunDir, allRunDirs, isRunDirOf, ownRunDir } from './run-dirs.js';
export {
  prepareTarget,
  checkTarget,
  prepareDirectory,
  freshStepLog,
  type TargetOptions,
} from './safe-target.js';
export { treeSize } from './tree-size.js';
export { readStepLog, stepLogGone } from './step-logs.js';
