/**
 * The placeholder language of DESIGN.md, used in step values, copy rules, templates and
 * item paths:
 *
 * - `{name}` with `name` an identifier (`[A-Za-z_][A-Za-z0-9_]*`) is a placeholder;
 * - `${` starts a literal run up to its matching `}` (braces inside are counted, so
 *   OpenFOAM's `${{ a + b }}` and shell's `${HOME}` pass through), copied verbatim; an
 *   unmatched `${` runs to the end of the text;
 * - `{{name}}` writes a literal `{name}`;
 * - every other brace is literal text (`{ }` blocks of solver dictionaries).
 */
export type Piece =
  | { readonly kind: 'text'; readonly text: string; readonly raw: string }
  | { readonly kind: 'placeholder'; readonly name: string; readonly raw: string };

/** Parameter values by name: strings, inserted as data only. */
export type Params = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/y;
const ESCAPED = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/y;

/** Splits text into literal runs and placeholders. */
export function parsePlaceholders(text: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  let raw = '';
  const flush = (): void => {
    if (raw !== '') pieces.push({ kind: 'text', text: literal, raw });
    literal = '';
    raw = '';
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const end = matchingBrace(text, i + 1);
      const run = text.slice(i, end + 1);
      literal += run;
      raw += run;
      i = end + 1;
      continue;
    }
    ESCAPED.lastIndex = i;
    const escaped = ESCAPED.exec(text);
    if (escaped) {
      literal += `{${escaped[1]}}`;
      raw += escaped[0];
      i += escaped[0].length;
      continue;
    }
    PLACEHOLDER.lastIndex = i;
    const found = PLACEHOLDER.exec(text);
    if (found?.[1] !== undefined) {
      flush();
      pieces.push({ kind: 'placeholder', name: found[1], raw: found[0] });
      i += found[0].length;
      continue;
    }
    literal += text[i];
    raw += text[i];
    i++;
  }
  flush();
  return pieces;
}

/** The index of the `}` matching the `{` at `open`, or the last index when unmatched. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length - 1;
}

/** The names of the placeholders in `text`, each once, in order of first use. */
export function placeholdersOf(text: string): string[] {
  const names = parsePlaceholders(text).flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
  return [...new Set(names)];
}
