import { mirrorError } from './mirror-error.js';
import type { Reply } from './reply.js';

/**
 * How a seed service is declared: its name (`jobdispatch`, `jobrun_5`), its methods
 * (`do`, `getrid`) and each method's parameters with their types. The same declaration
 * checks RPC kwargs (JSON values) and `/proxy` query strings (text), so both ways in
 * accept exactly the same calls.
 *
 * Parameter types: `id` is a positive integer (job, project, package ids); `flag` is
 * 0 or 1 (`force`); `count` is an integer from 0 (a byte offset); `string` is any text.
 */
export type ParamType = 'id' | 'flag' | 'count' | 'string';

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  /** The value when the caller omits it; without one the parameter is required. */
  readonly default?: string | number | null;
}

export type ArgValue = string | number | null;
export type Args = Readonly<Record<string, ArgValue>>;

export interface MethodDefinition {
  readonly params: readonly ParamSpec[];
  call(args: Args): Promise<Reply<unknown>>;
}

export interface ServiceDefinition {
  readonly name: string;
  readonly methods: Readonly<Record<string, MethodDefinition>>;
}

/**
 * Checks a call's keyword arguments against a method's parameters and converts them:
 * `text` arguments (from `/proxy`) are parsed by type, JSON ones must already have it.
 * An unknown, missing or malformed argument is an error naming it.
 */
export function bindArgs(
  params: readonly ParamSpec[],
  kwargs: Readonly<Record<string, unknown>>,
  source: 'json' | 'text',
): Args {
  const out: Record<string, ArgValue> = {};
  for (const name of Object.keys(kwargs)) {
    if (!params.some((p) => p.name === name)) throw mirrorError('ARG_UNKNOWN', { name });
  }
  for (const param of params) {
    const given = Object.prototype.hasOwnProperty.call(kwargs, param.name) ? kwargs[param.name] : undefined;
    if (given === undefined) {
      if (param.default === undefined) throw mirrorError('ARG_MISSING', { name: param.name });
      out[param.name] = param.default;
      continue;
    }
    out[param.name] = convert(param, given, source);
  }
  return out;
}

function convert(param: ParamSpec, value: unknown, source: 'json' | 'text'): ArgValue {
  const shown = JSON.stringify(value) ?? String(value);
  const bad = (expected: string) => mirrorError('ARG_INVALID', { name: param.name, value: shown, expected });
  if (param.type === 'string') {
    if (value === null && param.default === null) return null;
    if (typeof value !== 'string') throw bad('a string');
    return value;
  }
  let n: number;
  if (source === 'text') {
    if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw bad(expectation(param.type));
    n = Number(value);
  } else {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw bad(expectation(param.type));
    n = value;
  }
  if (param.type === 'flag' && n !== 0 && n !== 1) throw bad(expectation(param.type));
  if (param.type === 'id' && (n < 1 || n > 2_147_483_647)) throw bad(expectation(param.type));
  if (param.type === 'count' && n < 0) throw bad(expectation(param.type));
  return n;
}

function expectation(type: 'id' | 'flag' | 'count'): string {
  return type === 'id' ? 'a positive integer' : type === 'count' ? 'an integer from 0' : '0 or 1';
}

/** The value a parameter of type `T` has once bound. */
type ValueOf<T extends ParamType> = T extends 'string' ? string : number;

/** The bound arguments of a method with parameters `P`, typed: null only where the default is. */
export type ArgsOf<P extends readonly ParamSpec[]> = {
  readonly [S in P[number] as S['name']]: S extends { readonly default: null }
    ? ValueOf<S['type']> | null
    : ValueOf<S['type']>;
};

/**
 * A method with typed arguments: `call` gets them as its parameters declare them
 * (`bindArgs` has checked and converted every one), so no service casts an argument.
 */
export function defineMethod<const P extends readonly ParamSpec[]>(
  params: P,
  call: (args: ArgsOf<P>) => Promise<Reply<unknown>>,
): MethodDefinition {
  return { params, call: (args) => call(args as ArgsOf<P>) };
}
