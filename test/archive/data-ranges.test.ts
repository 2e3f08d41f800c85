import { describe, expect, it } from 'vitest';
import { findRangeClash, type DataRange } from '../../src/archive/data-ranges.js';

const r = (shown: string, start: number, end: number): DataRange => ({ shown, start, end });

describe('findRangeClash', () => {
  it('accepts entries that each have bytes of their own, adjacent or apart, in any order', () => {
    expect(findRangeClash([r('a', 0, 40), r('b', 40, 90), r('c', 100, 130)], 130)).toBeUndefined();
    expect(findRangeClash([r('c', 100, 130), r('a', 0, 40), r('b', 40, 90)], 200)).toBeUndefined();
    expect(findRangeClash([], 0)).toBeUndefined();
  });

  it('finds two entries at one local header offset, naming the later listed one first', () => {
    expect(findRangeClash([r('a', 0, 40), r('b', 0, 40)], 100)).toEqual({
      kind: 'entries',
      entry: 'b',
      other: 'a',
    });
  });

  it('finds an entry whose header lies inside the data of another', () => {
    expect(findRangeClash([r('inner', 35, 80), r('outer', 0, 100)], 100)).toEqual({
      kind: 'entries',
      entry: 'inner',
      other: 'outer',
    });
  });

  it('finds a partial overlap, and the first entry inside a long one', () => {
    expect(findRangeClash([r('a', 0, 50), r('b', 49, 90)], 90)).toMatchObject({ entry: 'b', other: 'a' });
    const ranges = [r('late', 30, 40), r('long', 0, 100), r('short', 10, 20)];
    expect(findRangeClash(ranges, 100)).toMatchObject({ entry: 'short', other: 'long' });
  });

  it('finds data that runs into the central directory', () => {
    expect(findRangeClash([r('a', 0, 40), r('b', 40, 101)], 100)).toEqual({
      kind: 'central directory',
      entry: 'b',
    });
  });
});
