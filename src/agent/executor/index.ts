export type { BatchState, Executor, RunningStep, StepLaunch, StepOutcome } from './executor.js';
export { createExecutor } from './create-executor.js';
export { createSlurmExecutor, slurmCommands, type SlurmExecutorOptions } from './slurm/index.js';
export {
  AGENT_TOKEN_VAR,
  createLocalExecutor,
  DEFAULT_GUARD_PATH,
  pidsWithEnv,
  pidsWithToken,
  STEP_TOKEN_VAR,
  type LocalExecutorOptions,
} from './local/index.js';
