export type { Executor, RunningStep, StepLaunch, StepOutcome } from './executor.js';
export { createLocalExecutor, pidsWithToken, STEP_TOKEN_VAR } from './local/index.js';
