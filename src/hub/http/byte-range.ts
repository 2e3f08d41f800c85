import { mirrorError } from '../../core/index.js';

/** A byte range of a file: `start` to `end`, both inclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The range a `Range` header asks of a file of `size` bytes: undefined for the whole
 * file (no header, or a form this server does not serve: several ranges, other units);
 * RANGE_NOT_SATISFIABLE for a range outside the file.
 */
export function byteRange(header: string | undefined, size: number): ByteRange | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  const range =
    from === ''
      ? { start: Math.max(0, size - Number(to)), end: size - 1 }
      : { start: Number(from), end: to === '' ? size - 1 : Math.min(Number(to), size - 1) };
  if (range.start > range.end || range.start >= size) {
    throw mirrorError('RANGE_NOT_SATISFIABLE', { range: JSON.stringify(header), size });
  }
  return range;
}
