// What a step asks of a batch scheduler: cores, nodes, memory and walltime, declared as
// attributes of its <ExeArgument> (placeholders allowed) and checked where they are known:
// a literal value when the package is added, a rendered one at dispatch and at run time.
import { renderText } from './placeholders.js';
import type { Step } from './types.js';

/** The resource attributes of a step, in adapter order. */
export const RESOURCE_ATTRIBUTES = ['cores', 'nodes', 'memory', 'walltime'] as const;
export type ResourceAttribute = (typeof RESOURCE_ATTRIBUTES)[number];

/** A step's resources as a scheduler takes them; absent ones are the scheduler's defaults. */
export interface StepResources {
  /** CPU cores for the step's program (on each node). */
  readonly cores?: number;
  readonly nodes?: number;
  /** Memory per node, in MiB. */
  readonly memoryMiB?: number;
  /** Longest run, in seconds. */
  readonly walltimeSeconds?: number;
}

/** Most cores or nodes one step may ask for. */
const MAX_COUNT = 1_000_000;
/** Longest walltime: 365 days. */
const MAX_WALLTIME_SECONDS = 365 * 86_400;
const UNIT_MIB: Readonly<Record<string, number>> = { K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 };

/** What is wrong with `value` as the resource attribute `name`, or undefined when it is right. */
export function resourceProblem(name: ResourceAttribute, value: string): string | undefined {
  const parsed = parseResource(name, value);
  return typeof parsed === 'string' ? parsed : undefined;
}

/**
 * The step's resources for a job's parameters; throws naming the attribute and its
 * rendered value when one is not valid.
 */
export function stepResources(
  step: Step,
  params: Readonly<Record<string, string>>,
  fail: (attribute: ResourceAttribute, value: string, reason: string) => Error,
): StepResources {
  const out: { -readonly [K in keyof StepResources]: number } = {};
  for (const name of RESOURCE_ATTRIBUTES) {
    const text = step.resources?.[name];
    if (text === undefined) continue;
    const value = renderText(text, params);
    const parsed = parseResource(name, value);
    if (typeof parsed === 'string') throw fail(name, value, parsed);
    out[FIELD[name]] = parsed;
  }
  return out;
}

const FIELD = {
  cores: 'cores',
  nodes: 'nodes',
  memory: 'memoryMiB',
  walltime: 'walltimeSeconds',
} as const satisfies Record<ResourceAttribute, keyof StepResources>;

/** The attribute's value as a number, or why it is not valid. */
function parseResource(name: ResourceAttribute, value: string): number | string {
  switch (name) {
    case 'cores':
    case 'nodes': {
      if (!/^[1-9]\d*$/.test(value) || Number(value) > MAX_COUNT)
        return `not a whole number from 1 to ${MAX_COUNT}`;
      return Number(value);
    }
    case 'memory': {
      const m = /^(\d+(?:\.\d+)?)([KMGT])?$/i.exec(value);
      if (!m) return 'not a size: a number of MiB, or with a unit K, M, G or T (e.g. 512M, 4G)';
      const mib = Math.ceil(Number(m[1]) * (UNIT_MIB[(m[2] ?? 'M').toUpperCase()] ?? 1));
      if (mib < 1 || !Number.isSafeInteger(mib)) return 'not a size from 1 MiB';
      return mib;
    }
    case 'walltime': {
      const m = /^(?:(\d+)-)?(\d+):([0-5]\d):([0-5]\d)$/.exec(value);
      if (!m) return 'not a walltime: HH:MM:SS or D-HH:MM:SS (e.g. 02:00:00, 1-12:00:00)';
      const seconds = Number(m[1] ?? 0) * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
      if (seconds < 1 || seconds > MAX_WALLTIME_SECONDS) return 'not a walltime from 00:00:01 to 365 days';
      return seconds;
    }
  }
}

/** Seconds as a walltime, `HH:MM:SS` (hours may pass 24), as messages show it. */
export function formatWalltime(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}
