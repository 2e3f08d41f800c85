import { z } from 'zod';
import { isIdentifier, mirrorError } from '../../core/index.js';
import { JOB_STATES } from '../../job/index.js';

// What remote agents send the hub, checked before it reaches the store.

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const state = z.enum(JOB_STATES);
const text = z.string().max(64 * 1024);
/** An item key as adapters and hooks declare them: an identifier, never a prototype name. */
const itemKey = z.string().max(256).refine(isIdentifier, 'not an identifier (or a reserved name)');

export const transitionBody = z.strictObject({
  from: z.array(state).max(JOB_STATES.length),
  to: state,
  reason: text,
  path: z.string().max(4096).nullable().optional(),
  rid: id.nullable().optional(),
  onRid: id.optional(),
});

export const stepsBody = z.strictObject({
  steps: z.array(z.strictObject({ stepId: text, priority: z.number().int() })).max(10_000),
});

export const stepPatchBody = z.strictObject({
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'killed']).optional(),
  startedAt: time.nullable().optional(),
  endedAt: time.nullable().optional(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().max(64).nullable().optional(),
  reason: text.nullable().optional(),
  logPath: z.string().max(4096).nullable().optional(),
  batchId: z.string().max(64).nullable().optional(),
  batchState: z.string().max(512).nullable().optional(),
});

export const itemsBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        section: z.enum(['process', 'result']),
        key: itemKey,
        kind: z.enum(['value', 'file']),
        value: text,
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .nullable(),
        size: time.nullable(),
      }),
    )
    .max(100_000),
});

export const heartbeatBody = z.strictObject({
  rid: id,
  host: z.string().max(255),
  slots: z.number().int().nonnegative(),
  slotsInUse: z.number().int().nonnegative(),
  jobsRoot: z.string().min(1).max(4096),
  executor: z.string().max(32).default('local'),
  stepsOutliveAgent: z.boolean().default(false),
});

export const linesBody = z.strictObject({
  events: z
    .array(
      z.strictObject({
        type: z.literal('line'),
        jobId: id,
        projectId: id,
        key: itemKey,
        lines: z.array(z.string()).max(100_000),
        skipped: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      }),
    )
    .max(10_000),
});

export const statesQuery = z
  .string()
  .max(200)
  .transform((s) => (s === '' ? [] : s.split(',')))
  .pipe(z.array(state));

const idText = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'expected a positive integer (decimal digits)')
  .transform(Number)
  .pipe(id);
const sha256Text = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 lowercase hex digits)');

/** A path parameter, parsed by its schema; a bad one is an API_INVALID naming it. */
function pathParam<T>(schema: z.ZodType<T>): (params: unknown, name: string) => T {
  return (params, name) => {
    const value =
      typeof params === 'object' && params !== null && Object.hasOwn(params, name)
        ? (params as Record<string, unknown>)[name]
        : undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const reason = parsed.error.issues[0]?.message ?? 'invalid';
    throw mirrorError('API_INVALID', { where: 'path parameter', field: name, reason });
  };
}

export const idParam = pathParam(idText);
export const sha256Param = pathParam(sha256Text);
