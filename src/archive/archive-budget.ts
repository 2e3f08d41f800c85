import { mirrorError } from '../core/index.js';
import type { ArchiveLimits } from './limits.js';

/** What the budget needs to know of an entry. */
export interface BudgetEntry {
  /** The entry's name as messages show it. */
  readonly shown: string;
  readonly compressedSize: number;
}

/**
 * The bytes an archive's entries write, against the size limits: all entries together
 * at most `maxBytes`; one entry past `ratioFreeBytes` at most `maxRatio` times its
 * compressed size; all entries together at most max(`ratioFreeBytes`, zip file size ×
 * `maxRatio`). Every entry's bytes count, whether or not other entries share them.
 * Pure: the caller says what was written, the budget says which limit that breaks.
 */
export class ArchiveBudget {
  private total = 0;
  /** Most bytes the whole archive may write, by its ratio. */
  readonly archiveCap: number;

  constructor(
    private readonly file: string,
    private readonly limits: ArchiveLimits,
    /** The zip file's size, in bytes. */
    private readonly zipSize: number,
  ) {
    this.archiveCap = Math.max(limits.ratioFreeBytes, zipSize * limits.maxRatio);
  }

  /** Bytes written by all entries so far. */
  get bytes(): number {
    return this.total;
  }

  /**
   * Counts `bytes` more written by `entry`, which has now written `entrySize` bytes in
   * all; returns the error of the first limit broken, if any.
   */
  add(entry: BudgetEntry, entrySize: number, bytes: number): Error | undefined {
    this.total += bytes;
    const { file, limits } = this;
    const { shown, compressedSize: compressed } = entry;
    if (this.total > limits.maxBytes) {
      return mirrorError('ARCHIVE_TOO_LARGE', { file, entry: shown, limit: limits.maxBytes });
    }
    if (entrySize > limits.ratioFreeBytes && entrySize > Math.max(compressed, 1) * limits.maxRatio) {
      return mirrorError('ARCHIVE_RATIO', { file, entry: shown, limit: limits.maxRatio, compressed });
    }
    if (this.total > this.archiveCap) {
      return mirrorError('ARCHIVE_TOTAL_RATIO', {
        file,
        entry: shown,
        limit: limits.maxRatio,
        size: this.zipSize,
      });
    }
    return undefined;
  }
}
