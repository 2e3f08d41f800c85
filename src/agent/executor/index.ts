export type { Executor, RunningStep, StepLaunch, StepOutcome } from './executor.js';
export {
  AGENT_TOKEN_VAR,
  createLocalExecutor,
  DEFAULT_GUARD_PATH,
  pidsWithEnv,
  pidsWithToken,
  STEP_TOKEN_VAR,
  type LocalExecutorOptions,
} from './local/index.js';
