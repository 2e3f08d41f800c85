import type { ParaFile, StatesBlock } from './types.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The sizes of a block's independent loops: one per list of a product block, one for a
 * zip block (its common length), one for an explicit block (its number of States).
 */
export function loopSizes(block: StatesBlock): number[] {
  switch (block.rule) {
    case 'product':
      return block.lists.map((list) => list.values.length);
    case 'zip':
      return [block.lists[0]?.values.length ?? 1];
    case 'explicit':
      return [block.states.length];
  }
}

/**
 * How many states (jobs) a para file makes, without expanding it: the product of every
 * block's loop sizes, 1 with no States. `Infinity` when the count is past
 * `Number.MAX_SAFE_INTEGER`; the multiplication stops there, so any file counts in
 * time linear in its number of lists.
 */
export function countStates(para: ParaFile): number {
  let count = 1n;
  for (const block of para.blocks) {
    for (const size of loopSizes(block)) {
      count *= BigInt(size);
      // Every size is at least 1, so the count never comes back under the limit.
      if (count > SAFE) return Number.POSITIVE_INFINITY;
    }
  }
  return Number(count);
}
