import { mirrorError } from '../core/index.js';
import { countStates } from './count-states.js';
import { loopsOf, slotsOf, type Loop } from './loops.js';
import type { ParaFile, ParaState } from './types.js';

export interface ExpandStatesOptions {
  /** Refuse to make more states than this. Default 100,000 (DESIGN.md, `maxStates`). */
  readonly maxStates?: number;
  /** Refuse more values in all (states times parameters per state) than this. Default 10,000,000. */
  readonly maxValues?: number;
}

/** The default `maxStates`. */
export const DEFAULT_MAX_STATES = 100_000;

/** The default `maxValues`: 100,000 states of 100 parameters. */
export const DEFAULT_MAX_VALUES = 10_000_000;

/**
 * Expands a para file into its states, numbered like nested loops in document order:
 * blocks are loops, the earlier the outer; within a product block each list is a loop,
 * the last-listed fastest. Each state's params are the defaults overridden by its values.
 * The counts are checked before anything is built, so a huge product fails at once, and
 * so does a file of many States times many parameters.
 */
export function expandStates(para: ParaFile, options: ExpandStatesOptions = {}): ParaState[] {
  const limit = options.maxStates ?? DEFAULT_MAX_STATES;
  const total = countStates(para);
  // An uncountable total (Infinity) is refused even under an unbounded limit.
  if (total > limit || !Number.isFinite(total)) {
    const count = Number.isFinite(total) ? String(total) : `more than ${Number.MAX_SAFE_INTEGER}`;
    throw mirrorError('PARA_TOO_MANY_STATES', { file: para.file, count, limit });
  }
  const { names, base } = slotsOf(para);
  const valueLimit = options.maxValues ?? DEFAULT_MAX_VALUES;
  if (total * names.size > valueLimit) {
    const count = total * names.size;
    throw mirrorError('PARA_TOO_MANY_VALUES', {
      file: para.file,
      states: total,
      params: names.size,
      count,
      limit: valueLimit,
    });
  }
  const loops = loopsOf(para, names);
  const digits = loops.map(() => 0);
  const states: ParaState[] = [];
  for (let index = 0; index < total; index++) {
    states.push(stateAt(index, loops, digits, names, base));
    advance(loops, digits);
  }
  return states;
}

/** The state the loops' current positions (`digits`) pick. */
function stateAt(
  index: number,
  loops: readonly Loop[],
  digits: readonly number[],
  names: ReadonlyMap<string, number>,
  base: readonly string[],
): ParaState {
  const values = base.slice();
  const parts: string[] = [];
  loops.forEach((loop, i) => {
    const option = loop[digits[i] ?? 0];
    if (option === undefined) return;
    for (const [slot, value] of option.values) values[slot] = value;
    if (option.label !== '') parts.push(option.label);
  });
  // fromEntries defines own data properties: no key can reach a prototype.
  const params = Object.fromEntries(Array.from(names, ([name, slot]) => [name, values[slot] ?? '']));
  return { index, label: parts.join(','), params };
}

/** Moves the loops to the next state like an odometer: the last loop turns fastest. */
function advance(loops: readonly Loop[], digits: number[]): void {
  for (let i = loops.length - 1; i >= 0; i--) {
    const next = (digits[i] ?? 0) + 1;
    if (next < (loops[i]?.length ?? 0)) {
      digits[i] = next;
      return;
    }
    digits[i] = 0;
  }
}
