import { formatMessage, isIdentifier } from '../../core/index.js';
import type { OutputTail } from './output-tail.js';
import type { HookCall, HookOutcome } from './types.js';

/** The catalog codes the hooks child may refuse a call with (see hook-child.mjs). */
const REFUSALS = new Set([
  'HOOK_UNLOADABLE',
  'HOOK_NOT_EXPORTED',
  'HOOK_BAD_RETURN',
  'HOOK_NO_WORKPATH',
] as const);
type Refusal = typeof REFUSALS extends Set<infer C> ? C : never;

/**
 * The outcome of a call from the hooks child's reply, checked again here (a hook runs
 * in that process and could send anything): a malformed reply counts as a crash.
 */
export function outcomeOfReply(raw: unknown, call: HookCall, tail: OutputTail): HookOutcome {
  const output = tail.text();
  const malformed: HookOutcome = {
    kind: 'crashed',
    reason: 'the hooks process sent a malformed reply',
    output,
  };
  if (!isRecord(raw)) return malformed;
  switch (raw['kind']) {
    case 'returned': {
      const processItems = raw['process'];
      const resultItems = raw['result'];
      if (!isStringRecord(processItems) || !isStringRecord(resultItems)) return malformed;
      return { kind: 'returned', process: { ...processItems }, result: { ...resultItems }, output };
    }
    case 'threw':
      return typeof raw['message'] === 'string'
        ? { kind: 'threw', message: raw['message'], output }
        : malformed;
    case 'refused': {
      const { code, reason } = raw;
      if (!isRefusal(code) || typeof reason !== 'string') return malformed;
      const params = { file: call.hooksFile, hook: call.name, cwd: call.cwd, reason };
      return { kind: 'threw', message: formatMessage(code, params), output };
    }
    default:
      return malformed;
  }
}

function isRefusal(code: unknown): code is Refusal {
  return typeof code === 'string' && (REFUSALS as Set<string>).has(code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A plain object of string values under identifier keys, judged again here whatever the
 * child claims to have checked (a hook can send its own message): `__proto__` or
 * `constructor` as an item key is a malformed reply.
 */
function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    isRecord(value) && Object.entries(value).every(([key, v]) => isIdentifier(key) && typeof v === 'string')
  );
}
