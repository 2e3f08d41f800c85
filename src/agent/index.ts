export { createAgent, type Agent, type AgentDeps } from './create-agent.js';
export type { AgentContext } from './context.js';
export { readStepLog } from '../run-dir/index.js';
