// A reader for OpenFOAM-style dictionaries, the format of heat2d's input files:
//
//   solver { scheme sor; iterations 400; }      // a block, and entries ending in ';'
//   boundary { top { type fixedValue; value 100; } }
//   title "heat2d job ${MIRROR_JOB_ID:-local}";  /* strings; ${NAME} from the environment */
//
// Entries are `keyword value...;` or `keyword { entries }`; comments are // and /* */.
// `${NAME}` and `${NAME:-default}` inside a value are expanded from the environment when the
// value is read (as OpenFOAM expands $VAR), so a rendered template can keep them literal.
import { InputError } from './common.mjs';

const DELIMITERS = new Set(['{', '}', ';']);

function tokenize(text, file) {
  const tokens = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const start = line;
      i += 2;
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        i++;
      }
      if (i >= n) throw new InputError(`${file} line ${start}: comment '/*' is never closed`);
      i += 2;
    } else if (DELIMITERS.has(c)) {
      const placeholder = c === '{' ? /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(text.slice(i, i + 256)) : null;
      if (placeholder) {
        throw new InputError(
          `${file} line ${line}: '${placeholder[0]}' is a template placeholder that was never filled in ` +
            `(render the template with a value for ${placeholder[1]})`,
        );
      }
      tokens.push({ type: c, text: c, line });
      i++;
    } else if (c === '"') {
      const start = line;
      let value = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\n') throw new InputError(`${file} line ${start}: string is not closed on its line`);
        if (text[i] === '\\' && i + 1 < n) {
          const e = text[i + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        } else {
          value += text[i++];
        }
      }
      if (i >= n) throw new InputError(`${file} line ${start}: string is not closed`);
      i++;
      tokens.push({ type: 'string', text: value, line: start });
    } else {
      const start = i;
      while (i < n) {
        const d = text[i];
        if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === '"' || DELIMITERS.has(d)) {
          // `${...}` is part of the word: its braces are not block braces.
          if (d === '{' && text[i - 1] === '$') {
            const close = matchBrace(text, i);
            if (close === -1) throw new InputError(`${file} line ${line}: '\${' is never closed`);
            i = close + 1;
            continue;
          }
          break;
        }
        if (d === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) break;
        i++;
      }
      tokens.push({ type: 'word', text: text.slice(start, i), line });
    }
  }
  return tokens;
}

/** Index of the `}` matching the `{` at `open`, or -1. */
function matchBrace(text, open) {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '\n') return -1;
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

/** Parses dictionary text; `file` names it in error messages. */
export function parseDict(text, file) {
  const tokens = tokenize(text, file);
  let pos = 0;

  function parseEntries(path, openLine) {
    const entries = new Map();
    for (;;) {
      const tok = tokens[pos];
      if (tok === undefined) {
        if (openLine !== undefined) {
          throw new InputError(
            `${file} line ${openLine}: block '${path.slice(0, -1)}' is not closed with '}'`,
          );
        }
        return entries;
      }
      if (tok.type === '}') {
        if (openLine === undefined) throw new InputError(`${file} line ${tok.line}: unexpected '}'`);
        pos++;
        return entries;
      }
      if (tok.type !== 'word') {
        throw new InputError(`${file} line ${tok.line}: expected a keyword, found '${tok.text}'`);
      }
      pos++;
      const key = tok.text;
      if (entries.has(key)) {
        throw new InputError(
          `${file} line ${tok.line}: '${path}${key}' is given twice (first on line ${entries.get(key).line})`,
        );
      }
      const next = tokens[pos];
      if (next !== undefined && next.type === '{') {
        pos++;
        const sub = parseEntries(`${path}${key}.`, next.line);
        entries.set(key, { line: tok.line, dict: new Dict(file, `${path}${key}.`, sub) });
        continue;
      }
      const values = [];
      for (;;) {
        const v = tokens[pos];
        if (v === undefined || v.type === '}') {
          throw new InputError(`${file} line ${tok.line}: entry '${path}${key}' is missing its ';'`);
        }
        pos++;
        if (v.type === ';') break;
        if (v.type === '{') {
          throw new InputError(`${file} line ${v.line}: unexpected '{' in the value of '${path}${key}'`);
        }
        values.push(v);
      }
      entries.set(key, { line: tok.line, values });
    }
  }

  return new Dict(file, '', parseEntries('', undefined));
}

/** Expands `${NAME}` and `${NAME:-default}` from `env`. */
export function expandEnv(text, env, where) {
  return text.replace(/\$\{([^{}]*)\}/g, (_, body) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/.exec(body);
    if (!m) throw new InputError(`${where}: cannot expand '\${${body}}' (use \${NAME} or \${NAME:-default})`);
    const value = env[m[1]];
    if (value !== undefined && value !== '') return value;
    if (m[2] !== undefined) return m[2];
    throw new InputError(`${where}: environment variable ${m[1]} is not set (write \${${m[1]}:-default})`);
  });
}

/** One block of a parsed dictionary, with typed, validating getters. */
export class Dict {
  constructor(file, path, entries) {
    this.file = file;
    this.path = path;
    this.entries = entries;
  }

  keys() {
    return [...this.entries.keys()];
  }

  has(key) {
    return this.entries.has(key);
  }

  #where(key) {
    const e = this.entries.get(key);
    return e ? `${this.file} line ${e.line}: '${this.path}${key}'` : `${this.file}: '${this.path}${key}'`;
  }

  #entry(key) {
    const e = this.entries.get(key);
    if (!e) {
      const block = this.path ? `block '${this.path.slice(0, -1)}'` : 'the file';
      throw new InputError(`${this.file}: missing entry '${this.path}${key}' in ${block}`);
    }
    return e;
  }

  /** The block `key`. */
  dict(key) {
    const e = this.#entry(key);
    if (!e.dict) throw new InputError(`${this.#where(key)} must be a block { ... }`);
    return e.dict;
  }

  /** The single-token value of `key`, environment-expanded; `fallback` when absent (if given). */
  string(key, fallback) {
    if (!this.entries.has(key) && fallback !== undefined) return fallback;
    const e = this.#entry(key);
    if (e.dict) throw new InputError(`${this.#where(key)} must be a value, not a block`);
    if (e.values.length !== 1) {
      throw new InputError(`${this.#where(key)} must have exactly one value, found ${e.values.length}`);
    }
    return expandEnv(e.values[0].text, process.env, this.#where(key));
  }

  /**
   * The number `key`. Options: integer, min, max (inclusive), above, below (exclusive),
   * fallback (used when absent).
   */
  number(key, opts = {}) {
    if (!this.entries.has(key) && opts.fallback !== undefined) return opts.fallback;
    const raw = this.string(key);
    const x = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
    const where = this.#where(key);
    if (!Number.isFinite(x)) throw new InputError(`${where} must be a number, got '${raw}'`);
    if (opts.integer && !Number.isInteger(x))
      throw new InputError(`${where} must be an integer, got '${raw}'`);
    if (opts.min !== undefined && x < opts.min)
      throw new InputError(`${where} must be at least ${opts.min}, got ${raw}`);
    if (opts.max !== undefined && x > opts.max)
      throw new InputError(`${where} must be at most ${opts.max}, got ${raw}`);
    if (opts.above !== undefined && !(x > opts.above)) {
      throw new InputError(`${where} must be greater than ${opts.above}, got ${raw}`);
    }
    if (opts.below !== undefined && !(x < opts.below)) {
      throw new InputError(`${where} must be less than ${opts.below}, got ${raw}`);
    }
    return x;
  }

  /** The value of `key`, which must be one of `choices`. */
  choice(key, choices, fallback) {
    const v = this.string(key, fallback);
    if (!choices.includes(v))
      throw new InputError(`${this.#where(key)} must be one of ${choices.join(', ')}, got '${v}'`);
    return v;
  }
}
