export { createLocalExecutor, type LocalExecutorOptions } from './local-executor.js';
export { pidsWithEnv, pidsWithToken, STEP_TOKEN_VAR } from './find-tree.js';
export { AGENT_TOKEN_VAR, DEFAULT_GUARD_PATH } from './guard-script.js';
