import { describe, expect, it } from 'vitest';
import { archiveLimits } from '../../src/archive/index.js';
import { ArchiveBudget } from '../../src/archive/archive-budget.js';

const limits = archiveLimits({ maxBytes: 10_000, maxRatio: 200, ratioFreeBytes: 1_000 });
const message = (err: Error | undefined): string | undefined => err?.message;

/** Feeds `size` bytes of `entry` in chunks of `chunk`; returns the first refusal. */
function feed(
  budget: ArchiveBudget,
  shown: string,
  compressed: number,
  size: number,
  chunk = 100,
): string | undefined {
  for (let written = chunk; written <= size; written += chunk) {
    const err = budget.add({ shown, compressedSize: compressed }, written, chunk);
    if (err !== undefined) return message(err);
  }
  return undefined;
}

describe('ArchiveBudget', () => {
  it('holds all entries together to maxBytes', () => {
    const budget = new ArchiveBudget('a.zip', limits, 1_000);
    expect(feed(budget, '"f1"', 9_000, 9_000)).toBeUndefined();
    expect(feed(budget, '"f2"', 2_000, 2_000)).toBe(
      'a.zip entry "f2": the total size passes the limit of 10000 bytes',
    );
  });

  it('holds one entry to the ratio once past ratioFreeBytes', () => {
    const budget = new ArchiveBudget('a.zip', limits, 1_000_000);
    expect(feed(budget, '"small"', 1, 1_000)).toBeUndefined();
    expect(feed(budget, '"big"', 4, 1_100)).toBe(
      'a.zip entry "big": expands more than 200 times its compressed size of 4 bytes',
    );
  });

  it('holds all entries together to max(ratioFreeBytes, zip size × ratio), counting every entry', () => {
    // A 4-byte zip may write 1,000 bytes (ratioFreeBytes); each entry alone is within its rules.
    const tiny = new ArchiveBudget('a.zip', limits, 4);
    expect(tiny.archiveCap).toBe(1_000);
    expect(feed(tiny, '"a"', 1, 600)).toBeUndefined();
    expect(feed(tiny, '"b"', 1, 600)).toBe(
      'a.zip entry "b": the entries together expand to more than 200 times the archive size of 4 bytes',
    );
    // A 30-byte zip may write 6,000 bytes.
    const small = new ArchiveBudget('a.zip', limits, 30);
    expect(small.archiveCap).toBe(6_000);
    for (const name of ['"a"', '"b"', '"c"', '"d"', '"e"', '"f"'])
      expect(feed(small, name, 1, 1_000)).toBeUndefined();
    expect(small.bytes).toBe(6_000);
    expect(feed(small, '"g"', 1, 100)).toMatch(/^a\.zip entry "g": the entries together expand/);
  });
});
