export { createLocalExecutor } from './local-executor.js';
export { pidsWithToken, STEP_TOKEN_VAR } from './find-tree.js';
