import { mirrorError } from '../core/index.js';
import { HIDDEN_CHARACTER_CLASS, hiddenCharacterProblem } from './hidden-characters.js';

/** Longest path component, in UTF-8 bytes (the common filesystem limit). */
export const MAX_COMPONENT_BYTES = 255;
/** Longest whole path, in UTF-8 bytes (Linux's PATH_MAX). */
export const MAX_PATH_BYTES = 4096;

/** True when `text` holds a C0 control (NUL included), DEL or a C1 control. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * Why `name` breaks the Names rules of DESIGN.md, or undefined when it keeps them:
 * relative, `/`-separated, at most 4096 bytes in all and 255 a component; no empty,
 * `.` or `..` component and none of only spaces; no backslash, no drive letter, no
 * control character, no bidirectional control or zero-width character. Each reason
 * names the rule broken (`path contains a bidirectional control character U+202E`).
 * `base` says what the path must stay inside, for the message of a `..` that climbs
 * out of it. The name is judged as given, never repaired. Callers check the NFC form
 * (see `checkRelativePath`).
 */
export function relativePathProblem(name: string, base = 'its directory'): string | undefined {
  if (name === '') return 'path is empty';
  const total = Buffer.byteLength(name);
  if (total > MAX_PATH_BYTES) return `path of ${total} bytes is over the limit of ${MAX_PATH_BYTES}`;
  if (hasControlCharacter(name)) return 'path contains a control character';
  const hidden = hiddenCharacterProblem(name);
  if (hidden !== undefined) return `path ${hidden}`;
  if (name.includes('\\')) return 'path contains a backslash';
  if (name.startsWith('/')) return 'path is absolute';
  if (/^[A-Za-z]:/.test(name)) return 'path starts with a drive letter';
  let depth = 0;
  for (const part of name.split('/')) {
    if (part === '') return 'path has an empty component';
    if (part === '.') return 'path has a "." component';
    if (part === '..') return depth === 0 ? `path leaves ${base}` : 'path has a ".." component';
    if (part.trim() === '') return 'path has a component that is only spaces';
    const bytes = Buffer.byteLength(part);
    if (bytes > MAX_COMPONENT_BYTES) {
      return `path component of ${bytes} bytes is over the limit of ${MAX_COMPONENT_BYTES}`;
    }
    depth++;
  }
  return undefined;
}

/**
 * Checks a relative path against the Names rules and returns its NFC form, the one
 * Mirror stores and compares (so a name written by macOS, in NFD, matches the same
 * name typed elsewhere; two names equal after normalization are duplicates).
 * Throws PATH_INVALID naming `what` and the value, JSON-quoted so control characters
 * are visible: `template file "a\u0000b": path contains a control character`.
 */
export function checkRelativePath(name: string, what: string, base?: string): string {
  const normal = name.normalize('NFC');
  const reason = relativePathProblem(normal, base);
  if (reason !== undefined) throw mirrorError('PATH_INVALID', { what, path: quoteName(name), reason });
  return normal;
}

// Characters JSON leaves as they are but a reader could not see: DEL, C1 controls,
// line separators, bidirectional controls (which can make a name read backwards) and
// zero-width characters.
const INVISIBLE = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029${HIDDEN_CHARACTER_CLASS}]`, 'g');

/** A name as messages show it: JSON-quoted, invisible characters as `\uXXXX`, clipped. */
export function quoteName(name: string): string {
  const clipped = name.length <= 200 ? name : `${name.slice(0, 200)}…`;
  return JSON.stringify(clipped).replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The one order of paths everywhere (listings, zips): by UTF-16 code units. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
