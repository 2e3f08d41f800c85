/**
 * The monitor: reading a job's progress and items from its run directory. File reads
 * only, every one of them bounded and refusing links out of the run directory, FIFOs,
 * sockets and devices with a warning rather than an error.
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
