import { hiddenCharacterProblem } from './hidden-characters.js';
import { hasControlCharacter } from './names.js';

/** Longest display name, in characters (Unicode code points). */
export const MAX_DISPLAY_NAME_CHARACTERS = 200;

/**
 * Why `name` cannot be a display name (a calc package's name and version from
 * adapter.xml, a project's name), or undefined when it can: 1 to 200 characters, no
 * control character, no bidirectional control or zero-width character, not only
 * spaces. Judged as given, never trimmed or repaired. Reasons read after the name:
 * `empty`, `longer than 200 characters`, `contains a control character`,
 * `contains a bidirectional control character U+202E`,
 * `contains a zero-width or invisible character U+200B`, `only spaces`.
 */
export function displayNameProblem(name: string): string | undefined {
  if (name === '') return 'empty';
  if (longerThan(name, MAX_DISPLAY_NAME_CHARACTERS)) {
    return `longer than ${MAX_DISPLAY_NAME_CHARACTERS} characters`;
  }
  if (hasControlCharacter(name)) return 'contains a control character';
  const hidden = hiddenCharacterProblem(name);
  if (hidden !== undefined) return hidden;
  if (name.trim() === '') return 'only spaces';
  return undefined;
}

/** True when `text` has more than `max` code points; stops counting at `max + 1`. */
function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _char of text) {
    if (++count > max) return true;
  }
  return false;
}
