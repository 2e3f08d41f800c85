/** Lines longer than this many bytes (UTF-8) are never matched: 64 KiB (DESIGN, Patterns). */
export const MAX_MATCHED_LINE_BYTES = 64 * 1024;

/**
 * The last line of a text that a monitor pattern matches. `groups[i]` is capture group
 * `i` (`groups[0]` the whole match), undefined for a group that took no part;
 * `lineNumber` counts from 1 in the text given (a tail, not necessarily the file).
 */
export interface LineMatch {
  readonly line: string;
  readonly lineNumber: number;
  readonly groups: readonly (string | undefined)[];
}

/**
 * Finds the last line of `text` that `pattern` (an RE2 expression from
 * `compilePattern`; any RegExp works) matches, scanning from the end. Lines are split at
 * `\n` with a trailing `\r` removed; the empty piece after a final newline is not a
 * line. Lines over MAX_MATCHED_LINE_BYTES are skipped. With `requiredGroups` n, a line
 * matches only when groups 1..n all took part (a Progress line needs its numbers).
 */
export function lastMatch(text: string, pattern: RegExp, requiredGroups = 0): LineMatch | undefined {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let index = lines.length - 1; index >= 0; index--) {
    const raw = lines[index] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (tooLong(line)) continue;
    pattern.lastIndex = 0; // a global or sticky pattern would otherwise resume mid-text
    const found = pattern.exec(line);
    if (found === null) continue;
    const groups = Array.from(found, (g: string | undefined) => g);
    if (groups.slice(1, requiredGroups + 1).some((g) => g === undefined) || groups.length <= requiredGroups) {
      continue;
    }
    return { line, lineNumber: index + 1, groups };
  }
  return undefined;
}

/** True when a line's UTF-8 form passes the limit; cheap for short lines. */
function tooLong(line: string): boolean {
  // A UTF-16 code unit takes 1 to 3 UTF-8 bytes.
  if (line.length > MAX_MATCHED_LINE_BYTES) return true;
  if (line.length * 3 <= MAX_MATCHED_LINE_BYTES) return false;
  return Buffer.byteLength(line, 'utf8') > MAX_MATCHED_LINE_BYTES;
}
