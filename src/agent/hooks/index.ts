/**
 * Hooks: a calc package's pre/post methods, run in a long-lived child process with a
 * timeout, their outcome a value (returned items, threw, timeout, crashed).
 */
export { createHookRunner, DEFAULT_MAX_MODULES_PER_CHILD, type HookRunnerOptions } from './hook-runner.js';
export { DEFAULT_HOOK_OUTPUT_BYTES } from './output-tail.js';
export type { HookCall, HookContext, HookOutcome, HookRunner } from './types.js';
export { createHookPool } from './hook-pool.js';
