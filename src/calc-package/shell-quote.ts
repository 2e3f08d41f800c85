import type { Piece } from './placeholder-syntax.js';

/** The quoting a placeholder stands in, which decides how its value is written. */
export type ShellContext = 'plain' | 'single' | 'double';

type Frame = 'top' | 'subst' | 'backtick' | 'single' | 'double' | 'ansi' | 'comment';

/** Characters after which a `#` starts a comment. */
const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/**
 * Follows a command's literal text the way /bin/sh reads it, as far as quoting goes:
 * quotes, backslashes, `$(...)`, backquotes, `$'...'`, comments and here-documents.
 */
class ShellScanner {
  readonly stack: Frame[] = ['top'];
  private readonly parens: number[] = [];
  escaped = false;
  heredoc = false;
  private prev = ' ';

  get top(): Frame {
    return this.stack[this.stack.length - 1] ?? 'top';
  }

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charAt(i);
      const next = text.charAt(i + 1);
      if (this.escaped) {
        this.escaped = false;
      } else if (this.top === 'comment') {
        if (c === '\n') this.stack.pop();
      } else if (this.top === 'single') {
        if (c === "'") this.stack.pop();
      } else if (this.top === 'ansi') {
        if (c === '\\') this.escaped = true;
        else if (c === "'") this.stack.pop();
      } else if (this.top === 'double') {
        if (c === '\\') this.escaped = true;
        else if (c === '"') this.stack.pop();
        else if (c === '`') this.stack.push('backtick');
        else if (c === '$' && next === '(') i += this.openSubst();
      } else {
        i += this.unquoted(c, next);
      }
      this.prev = c;
    }
  }

  /** Placeholders stand between words: the next `#` is not a comment. */
  placeholder(): void {
    this.prev = 'x';
  }

  /** One character outside quotes; returns how many extra characters it consumed. */
  private unquoted(c: string, next: string): number {
    const inSubst = this.top === 'subst';
    if (c === '\\') this.escaped = true;
    else if (c === '#' && WORD_BREAK.has(this.prev)) this.stack.push('comment');
    else if (c === "'") this.stack.push('single');
    else if (c === '"') this.stack.push('double');
    else if (c === '$' && next === "'") return this.push('ansi');
    else if (c === '$' && next === '(') return this.openSubst();
    else if (c === '`') {
      if (this.top === 'backtick') this.stack.pop();
      else this.stack.push('backtick');
    } else if (c === '<' && next === '<') {
      this.heredoc = true;
      return 1;
    } else if (inSubst && c === '(') this.parens.push((this.parens.pop() ?? 0) + 1);
    else if (inSubst && c === ')') {
      const open = this.parens.pop() ?? 0;
      if (open === 0) this.stack.pop();
      else this.parens.push(open - 1);
    }
    return 0;
  }

  private push(frame: Frame): number {
    this.stack.push(frame);
    return 1;
  }

  private openSubst(): number {
    this.parens.push(0);
    return this.push('subst');
  }
}

/**
 * The quoting context of each placeholder of a shell command, or why one of them stands
 * where no quoting of its value could hold: after a backslash (it would escape the
 * opening quote), in a comment (a newline in the value would end it), inside backquotes
 * or `$'...'`, or after a here-document operator.
 */
export function shellContexts(pieces: readonly Piece[]): { contexts: ShellContext[] } | { problem: string } {
  const scanner = new ShellScanner();
  const contexts: ShellContext[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      scanner.feed(piece.text);
      continue;
    }
    const where = `placeholder ${piece.raw}`;
    if (scanner.escaped) return { problem: `${where} follows a backslash` };
    if (scanner.heredoc) return { problem: `${where} comes after a here-document (<<)` };
    if (scanner.top === 'comment') return { problem: `${where} is inside a shell comment` };
    if (scanner.top === 'ansi') return { problem: `${where} is inside $'...' quoting` };
    if (scanner.stack.includes('backtick')) return { problem: `${where} is inside backquotes; use $(...)` };
    contexts.push(scanner.top === 'single' ? 'single' : scanner.top === 'double' ? 'double' : 'plain');
    scanner.placeholder();
  }
  return { contexts };
}

/** Why a command's placeholders cannot be safely quoted, or undefined when they can. */
export function shellPlaceholderProblem(pieces: readonly Piece[]): string | undefined {
  const scan = shellContexts(pieces);
  return 'problem' in scan ? scan.problem : undefined;
}

/** A value written so the shell reads it as exactly its text, in the given context. */
export function quoteShellValue(value: string, context: ShellContext): string {
  const inner = value.replaceAll("'", "'\\''");
  switch (context) {
    case 'plain':
      return `'${inner}'`;
    case 'single':
      return inner;
    case 'double':
      return `"'${inner}'"`;
  }
}
