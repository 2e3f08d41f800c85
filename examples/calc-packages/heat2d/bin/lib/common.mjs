// Shared helpers of the heat2d programs: input errors, the main wrapper, number formats, files.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** A problem with the user's input: reported as one clear line, exit status 1 (2 for usage). */
export class InputError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.name = 'InputError';
    this.exitCode = exitCode;
  }
}

/**
 * Runs `fn(argv)` as a program named `name`. An InputError prints `name: error: message` on
 * stderr and exits 1 (or its own code); anything else is a bug and exits 70 with the stack.
 * Sets process.exitCode instead of calling process.exit, so pending stdout is flushed.
 */
export async function runMain(name, fn, argv) {
  try {
    const code = await fn(argv);
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`${name}: error: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`${name}: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 70;
    }
  }
}

/** `3.2e-04` style: C printf's %.{digits}e, which solver logs and plotting tools expect. */
export function fmtExp(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  const [mantissa, exponent] = x.toExponential(digits).split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** A compact decimal with `digits` significant digits: 40, 87.5312, 25612.3, 1.5e-7. */
export function fmtNum(x, digits = 6) {
  if (!Number.isFinite(x)) return String(x);
  const v = Number(x.toPrecision(digits));
  return String(Object.is(v, -0) ? 0 : v);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Writes `text` to `file` through a temporary sibling and a rename: readers never see half a file. */
export function writeFileAtomic(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** A short reason for a failed file operation: `no such file`, `permission denied`, ... */
export function fsReason(err) {
  switch (err && err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err && err.message ? err.message : String(err);
  }
}

/**
 * Parses `--name value` / `--name=value` options and positional arguments. `known` lists the
 * option names; an unknown option or a missing value is a usage error (exit 2).
 */
export function parseArgs(argv, known, usage) {
  const options = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${usage}\n`);
      return null;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (!known.includes(name)) throw new InputError(`unknown option --${name}\n${usage}`, 2);
      let value;
      if (eq !== -1) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new InputError(`option --${name} needs a value\n${usage}`, 2);
      options[name] = value;
    } else {
      positional.push(arg);
    }
  }
  return { options, positional };
}
