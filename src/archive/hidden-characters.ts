// Characters a reader cannot see in a name, so that two names that look alike differ,
// or a name reads in another order than it is stored.

/** Bidirectional controls (marks, embeddings, overrides, isolates). */
const BIDI_CONTROLS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** Zero-width and invisible formatting characters, the soft hyphen included. */
const INVISIBLE_FORMATS = '\\u00ad\\u180e\\u200b-\\u200d\\u2060-\\u2064\\ufeff';

/** Both sets, as the inside of a regular expression character class. */
export const HIDDEN_CHARACTER_CLASS = BIDI_CONTROLS + INVISIBLE_FORMATS;

const HIDDEN = new RegExp(`[${HIDDEN_CHARACTER_CLASS}]`);
const BIDI = new RegExp(`[${BIDI_CONTROLS}]`);

/**
 * Why `text` holds a character no reader can see, naming its code point (as
 * `contains a bidirectional control character U+202E` or `contains a zero-width or
 * invisible character U+200B`), or undefined when it holds none.
 */
export function hiddenCharacterProblem(text: string): string | undefined {
  const found = HIDDEN.exec(text)?.[0];
  if (found === undefined) return undefined;
  const kind = BIDI.test(found) ? 'a bidirectional control character' : 'a zero-width or invisible character';
  return `contains ${kind} ${codePointLabel(found)}`;
}

/** `U+202E` for the first code point of `char`. */
export function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
