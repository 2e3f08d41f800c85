import type { StatesBlock } from './types.js';

/** A parameter a States block varies, with the line it is first named on in the block. */
export interface VariedParam {
  readonly name: string;
  readonly line: number;
}

/**
 * The parameters a States block sets, in document order (for an explicit block, the
 * order in which its States first name them), each once.
 */
export function blockParams(block: StatesBlock): VariedParam[] {
  if (block.rule !== 'explicit') return block.lists.map(({ name, line }) => ({ name, line }));
  const seen = new Map<string, VariedParam>();
  for (const state of block.states) {
    for (const { name, line } of state.params) if (!seen.has(name)) seen.set(name, { name, line });
  }
  return [...seen.values()];
}
