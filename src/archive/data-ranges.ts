/**
 * The bytes of the zip file one entry reads: from its local header to the end of its
 * compressed data, `[start, end)`.
 */
export interface DataRange {
  readonly start: number;
  readonly end: number;
  /** The entry's name as messages show it. */
  readonly shown: string;
}

/** Two entries whose bytes overlap, or an entry whose bytes reach the central directory. */
export type RangeClash =
  | { readonly kind: 'entries'; readonly entry: string; readonly other: string }
  | { readonly kind: 'central directory'; readonly entry: string };

/**
 * Finds the first clash among entries' byte ranges: two entries sharing a local header
 * or any byte of their data (the trick of a bomb that makes many entries out of one
 * compressed stream), or an entry whose bytes run past `centralStart` into the
 * central directory. `entry` is the one that starts later (or, at one offset, comes
 * later in `ranges`); `other` the earlier one it runs into. Pure; O(n log n).
 */
export function findRangeClash(ranges: readonly DataRange[], centralStart: number): RangeClash | undefined {
  const order = ranges.map((range, index) => ({ range, index }));
  order.sort((a, b) => a.range.start - b.range.start || a.index - b.index);
  let reach: DataRange | undefined;
  for (const { range } of order) {
    if (reach !== undefined && range.start < reach.end) {
      return { kind: 'entries', entry: range.shown, other: reach.shown };
    }
    if (range.end > centralStart) return { kind: 'central directory', entry: range.shown };
    if (reach === undefined || range.end > reach.end) reach = range;
  }
  return undefined;
}
