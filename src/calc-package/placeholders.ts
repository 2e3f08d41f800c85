import { mirrorError } from '../core/index.js';
import { parsePlaceholders, type Params } from './placeholder-syntax.js';
import { quoteShellValue, shellContexts } from './shell-quote.js';

export { parsePlaceholders, placeholdersOf, type Params, type Piece } from './placeholder-syntax.js';

/**
 * Renders text with every placeholder replaced by its value, verbatim: braces inside a
 * value are never expanded a second time. `where` names the text in the error for a
 * missing value (`template FLOW/solver.in.tpl: unknown placeholder {cells}`).
 */
export function renderText(text: string, params: Params, where?: string): string {
  return parsePlaceholders(text)
    .map((p) => (p.kind === 'text' ? p.text : valueOf(p.name, params, where)))
    .join('');
}

/**
 * Renders a step's shell command: each value becomes one shell word whatever it holds
 * (`x; rm -rf /` stays one argument). Values are single-quoted (`'` as `'\''`), in a
 * form that also holds inside the command's own quotes: within `'...'` the value's
 * quotes are escaped, within `"..."` the double quotes are closed around it. Placeholders
 * where no quoting can hold (after a backslash, inside backquotes or `$'...'`, after a
 * here-document) are refused: see `shellPlaceholderProblem`.
 */
export function renderShellCommand(text: string, params: Params, where?: string): string {
  const pieces = parsePlaceholders(text);
  const scan = shellContexts(pieces);
  if ('problem' in scan)
    throw mirrorError('PLACEHOLDER_QUOTING', { where: where ?? 'command', reason: scan.problem });
  let next = 0;
  return pieces
    .map((p) => {
      if (p.kind === 'text') return p.text;
      const context = scan.contexts[next++] ?? 'plain';
      return quoteShellValue(valueOf(p.name, params, where), context);
    })
    .join('');
}

function valueOf(name: string, params: Params, where: string | undefined): string {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (typeof value === 'string') return value;
  const placeholder = `{${name}}`;
  if (where === undefined) throw mirrorError('PLACEHOLDER_UNKNOWN', { placeholder });
  throw mirrorError('PLACEHOLDER_UNKNOWN_IN', { where, placeholder });
}
