// Blobs the store tests refer to: three sha256s, one of them larger than 2^31 bytes.
import type { Store } from '../../src/store/index.js';

export const A = 'a'.repeat(64);
export const B = 'b'.repeat(64);
export const C = 'c'.repeat(64);

/** Records A (10 bytes), B (3 GB) and C (empty) as stored files. */
export async function recordBlobs(store: Store): Promise<void> {
  for (const [sha256, size] of [
    [A, 10],
    [B, 3_000_000_000],
    [C, 0],
  ] as const) {
    await store.recordStoredFile({ sha256, size });
  }
}
