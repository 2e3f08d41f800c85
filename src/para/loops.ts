import { blockParams } from './blocks.js';
import type { ExplicitBlock, ListBlock, ParaFile } from './types.js';

/** One position of a loop: the values it sets (by slot) and its part of the label. */
export interface LoopOption {
  readonly values: readonly (readonly [slot: number, value: string])[];
  /** `''` when nothing it sets varies. */
  readonly label: string;
}

/** One loop of the expansion: its options in order. */
export type Loop = readonly LoopOption[];

/** Each parameter's slot (position in a state's values) and the defaults' values. */
export interface Slots {
  /** Parameter name to slot: the defaults in document order, then the varied ones. */
  readonly names: ReadonlyMap<string, number>;
  /** A value per slot: the default, or `''` where every state sets its own. */
  readonly base: readonly string[];
}

/** Numbers every parameter of a para file and collects the defaults. */
export function slotsOf(para: ParaFile): Slots {
  const names = new Map<string, number>();
  const base: string[] = [];
  for (const { name, value } of para.defaults) {
    names.set(name, base.length);
    base.push(value);
  }
  for (const block of para.blocks) {
    for (const { name } of blockParams(block)) {
      if (names.has(name)) continue;
      names.set(name, base.length);
      base.push('');
    }
  }
  return { names, base };
}

/** The loops of a para file in document order, outermost first. */
export function loopsOf(para: ParaFile, names: ReadonlyMap<string, number>): Loop[] {
  const defaults = new Map(para.defaults.map(({ name, value }) => [name, value]));
  const slot = (name: string): number => names.get(name) ?? -1;
  return para.blocks.flatMap((block) => {
    switch (block.rule) {
      case 'product':
        return productLoops(block, slot);
      case 'zip':
        return [zipLoop(block, slot)];
      case 'explicit':
        return [explicitLoop(block, slot, defaults)];
    }
  });
}

/** A product block: a loop per list; a one-value list varies nothing, so labels nothing. */
function productLoops(block: ListBlock, slot: (name: string) => number): Loop[] {
  return block.lists.map(({ name, values }) =>
    values.map((value) => ({
      values: [[slot(name), value] as const],
      label: values.length > 1 ? `${name}=${value}` : '',
    })),
  );
}

/** A zip block: one loop whose i-th option sets every list's i-th value. */
function zipLoop(block: ListBlock, slot: (name: string) => number): Loop {
  const varying = block.lists.filter(({ values }) => new Set(values).size > 1);
  const length = block.lists[0]?.values.length ?? 0;
  return Array.from({ length }, (_, i) => ({
    values: block.lists.map(({ name, values }) => [slot(name), values[i] ?? ''] as const),
    label: varying.map(({ name, values }) => `${name}=${values[i] ?? ''}`).join(','),
  }));
}

/**
 * An explicit block: one option per State, labelled by the State's name and then every
 * parameter whose value (the default where the State sets none) differs among its States.
 */
function explicitLoop(
  block: ExplicitBlock,
  slot: (name: string) => number,
  defaults: ReadonlyMap<string, string>,
): Loop {
  const own = block.states.map((state) => new Map(state.params.map(({ name, value }) => [name, value])));
  const valueOf = (i: number, name: string): string => own[i]?.get(name) ?? defaults.get(name) ?? '';
  const varying = varyingNames(block, defaults);
  return block.states.map((state, i) => ({
    values: state.params.map(({ name, value }) => [slot(name), value] as const),
    label: [state.name, ...varying.map((name) => `${name}=${valueOf(i, name)}`)].join(','),
  }));
}

/**
 * The parameters of an explicit block that take more than one value among its States,
 * in document order; linear in the block's size, not States times parameters.
 */
function varyingNames(block: ExplicitBlock, defaults: ReadonlyMap<string, string>): string[] {
  const seen = new Map<string, { first: string; varies: boolean; count: number }>();
  for (const state of block.states) {
    for (const { name, value } of state.params) {
      const entry = seen.get(name);
      if (entry === undefined) seen.set(name, { first: value, varies: false, count: 1 });
      else {
        entry.count++;
        if (value !== entry.first) entry.varies = true;
      }
    }
  }
  // A State that sets nothing for a parameter takes its default: one more value.
  const all = block.states.length;
  return [...seen]
    .filter(([name, e]) => e.varies || (e.count < all && defaults.get(name) !== e.first))
    .map(([name]) => name);
}
