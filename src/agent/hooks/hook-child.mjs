// The hooks child: one long-lived node process per hook runner (see hook-runner.ts),
// forked with IPC. Plain JavaScript so node runs it without a TypeScript loader.
//
// Protocol (JSON over the IPC channel):
//   parent → child  { type: 'call', id, hooksFile, name, ctx, cwd, env }
//   child → parent  { type: 'reply', id, outcome } where outcome is one of
//                     { kind: 'returned', process, result }   string-valued items
//                     { kind: 'threw', message }               the hook's own error
//                     { kind: 'refused', code, reason, file? } HOOK_* catalog code
//                   { type: 'fatal', reason }  an uncaught error; the child then exits
//
// One call at a time (the parent queues them): a call changes the process's working
// directory and environment.

import process from 'node:process';
import { pathToFileURL } from 'node:url';

// Item keys: identifiers (as in src/core/identifier.ts), not JavaScript's object
// machinery, and not the progress keys jobgetdata reserves (src/calc-package).
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Map([
  ['__proto__', 'is reserved'],
  ['prototype', 'is reserved'],
  ['constructor', 'is reserved'],
  ['currentstep', 'is reserved for progress'],
  ['allstep', 'is reserved for progress'],
]);

process.on('message', (message) => {
  if (message !== null && typeof message === 'object' && message.type === 'call') void handle(message);
});
// The agent went away: nothing is left to answer to.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (err) => fatal(`uncaught exception: ${describe(err)}`));
process.on('unhandledRejection', (reason) => fatal(`unhandled promise rejection: ${describe(reason)}`));

/** Runs one call and replies; never throws. */
async function handle(call) {
  const reply = async (outcome) => {
    // Console output written before the reply reaches the parent's pipes before it.
    await flush(process.stdout);
    await flush(process.stderr);
    send({ type: 'reply', id: call.id, outcome });
  };
  try {
    process.chdir(call.cwd);
  } catch (err) {
    return reply({ kind: 'refused', code: 'HOOK_NO_WORKPATH', reason: describe(err) });
  }
  setEnvironment(call.env);
  let module;
  try {
    module = await import(pathToFileURL(call.hooksFile).href);
  } catch (err) {
    return reply({ kind: 'refused', code: 'HOOK_UNLOADABLE', reason: describe(err) });
  }
  const fn = Object.hasOwn(module, call.name) ? module[call.name] : undefined;
  if (typeof fn !== 'function') return reply({ kind: 'refused', code: 'HOOK_NOT_EXPORTED', reason: '' });
  let value;
  try {
    value = await fn(call.ctx);
  } catch (err) {
    return reply({ kind: 'threw', message: thrownMessage(err) });
  }
  const checked = checkReturn(value);
  if (typeof checked === 'string')
    return reply({ kind: 'refused', code: 'HOOK_BAD_RETURN', reason: checked });
  return reply({ kind: 'returned', ...checked });
}

/** Replaces the process's environment (process.env and the real one, for programs it starts). */
function setEnvironment(env) {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
}

/**
 * The items a hook returned, as `{ process, result }` of strings, or why not (a string):
 * nothing (undefined or null), or a plain object with optional `process` and `result`
 * plain objects whose keys are identifiers and values strings or finite numbers.
 */
function checkReturn(value) {
  if (value === undefined || value === null) return { process: {}, result: {} };
  if (!isPlainObject(value)) return `${kindOf(value)}; expected nothing or { process?, result? }`;
  const unknown = Object.keys(value).find((k) => k !== 'process' && k !== 'result');
  if (unknown !== undefined) return `unknown key ${JSON.stringify(unknown)}; expected process or result`;
  const out = { process: {}, result: {} };
  for (const section of ['process', 'result']) {
    const items = value[section];
    if (items === undefined) continue;
    if (!isPlainObject(items)) return `${section} is ${kindOf(items)}; expected an object of items`;
    for (const [key, item] of Object.entries(items)) {
      const where = `${section}.${key}`;
      if (!IDENTIFIER.test(key)) return `${section} key ${JSON.stringify(key)} is not an identifier`;
      if (RESERVED.has(key)) return `${section} key ${key} ${RESERVED.get(key)}`;
      if (typeof item === 'string') out[section][key] = item;
      else if (typeof item === 'number' && Number.isFinite(item)) out[section][key] = String(item);
      else return `${where} is ${kindOf(item)}; item values are strings or finite numbers`;
    }
  }
  return out;
}

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A value's kind in messages: `an object`, `an array`, `a boolean`, `NaN`. */
function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** What a thrown value says: an Error's message, else the value as text. */
function thrownMessage(err) {
  if (err instanceof Error) return err.message || `${err.name} without a message`;
  if (typeof err === 'string') return err || 'an empty string';
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** One line about an error: `TypeError: x is not a function`. */
function describe(err) {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 2000);
  return thrownMessage(err).slice(0, 2000);
}

function flush(stream) {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

function send(message) {
  if (process.connected) process.send(message);
}

function fatal(reason) {
  if (!process.connected) process.exit(70);
  process.send({ type: 'fatal', reason }, () => process.exit(70));
}
