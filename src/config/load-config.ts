import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { mirrorError } from '../core/index.js';
import { configSchema, isConfigKey, type ConfigKey, type FlatConfig, type MirrorConfig } from './schema.js';

export interface LoadConfigOptions {
  /** Command-line flags, by dotted key (`http.port`) or nested; highest precedence. */
  readonly flags?: Readonly<Record<string, unknown>>;
  /** A JSON config file; default: the `MIRROR_CONFIG` environment variable, else none. */
  readonly file?: string;
  /** The environment to read `MIRROR_*` from; default `process.env`. Read only here. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths of flags and env are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
}

/** The environment variable of a key: `http.allowInsecure` → `MIRROR_HTTP_ALLOW_INSECURE`. */
export function envName(key: ConfigKey): string {
  return `MIRROR_${key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase()}`;
}

interface Layer {
  readonly source: (key: string) => string;
  readonly values: ReadonlyMap<string, unknown>;
  /** Base directory for relative paths given in this layer. */
  readonly base: string;
}

/**
 * Compiles the configuration once: flags over file over `MIRROR_*` env over defaults.
 * Every value is checked against the schema; a bad one is an error naming the key and
 * where it came from. The result is deeply frozen.
 */
export function loadConfig(options: LoadConfigOptions = {}): MirrorConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const layers: Layer[] = [];
  if (options.flags) {
    layers.push({ source: (k) => `flag --${k}`, values: flatten(options.flags, 'flags'), base: cwd });
  }
  const file = options.file ?? env['MIRROR_CONFIG'];
  if (file !== undefined && file !== '') layers.push(readConfigFile(resolve(cwd, file)));
  layers.push(envLayer(env, cwd));

  const flat: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema) as ConfigKey[]) {
    const layer = layers.find((l) => l.values.has(key));
    flat[key] = layer
      ? coerce(key, layer.values.get(key), layer.source(key), layer.base)
      : coerce(key, configSchema[key].default, 'default', cwd);
  }
  return deepFreeze(unflatten(derive(flat as unknown as FlatConfig, cwd))) as MirrorConfig;
}

function envLayer(env: Readonly<Record<string, string | undefined>>, cwd: string): Layer {
  const values = new Map<string, unknown>();
  for (const key of Object.keys(configSchema) as ConfigKey[]) {
    const value = env[envName(key)];
    if (value !== undefined) values.set(key, value);
  }
  return { source: (k) => (isConfigKey(k) ? envName(k) : k), values, base: cwd };
}

function readConfigFile(path: string): Layer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw mirrorError('CONFIG_FILE_UNREADABLE', { file: path, reason: (err as Error).message });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw mirrorError('CONFIG_FILE_UNREADABLE', { file: path, reason: 'not a JSON object' });
  }
  const source = `file ${path}`;
  return {
    source: () => source,
    values: flatten(parsed as Record<string, unknown>, source),
    base: dirname(path),
  };
}

/** Nested objects become dotted keys; an unknown key is an error naming it. */
function flatten(
  input: Readonly<Record<string, unknown>>,
  source: string,
  prefix = '',
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, value] of Object.entries(input)) {
    const key = prefix + name;
    if (isConfigKey(key)) out.set(key, value);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && hasKeysUnder(key)) {
      for (const [k, v] of flatten(value as Record<string, unknown>, source, `${key}.`)) out.set(k, v);
    } else throw mirrorError('CONFIG_INVALID', { key, source, reason: 'unknown key' });
  }
  return out;
}

function hasKeysUnder(prefix: string): boolean {
  return Object.keys(configSchema).some((k) => k.startsWith(`${prefix}.`));
}

/** Checks one value against its key's spec, converting strings from env and flags. */
function coerce(key: ConfigKey, value: unknown, source: string, base: string): unknown {
  const spec = configSchema[key];
  const bad = (reason: string) => mirrorError('CONFIG_INVALID', { key, source, reason });
  const shown = JSON.stringify(value);
  switch (spec.kind) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (['1', 'true', 'yes', 'on'].includes(word)) return true;
      if (['0', 'false', 'no', 'off'].includes(word)) return false;
      throw bad(`${shown} is not a boolean (true/false, 1/0)`);
    }
    case 'int': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^\d+$/.test(value.trim())
            ? Number(value)
            : NaN;
      if (!Number.isSafeInteger(n)) throw bad(`${shown} is not a whole number`);
      if (n < (spec.min ?? 0) || n > (spec.max ?? Number.MAX_SAFE_INTEGER)) {
        throw bad(`${n} is outside ${spec.min ?? 0}..${spec.max ?? Number.MAX_SAFE_INTEGER}`);
      }
      return n;
    }
    case 'list': {
      const items = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) {
        throw bad(`${shown} is not a list of strings (a JSON array, or comma-separated)`);
      }
      return Object.freeze(items.map((i) => i.trim()).filter((i) => i !== ''));
    }
    case 'string':
    case 'path':
    case 'url': {
      if (value === null && spec.kind === 'url') return null;
      if (typeof value !== 'string') throw bad(`${shown} is not a string`);
      if (spec.kind === 'path') {
        if (value === '') throw bad('empty path');
        return isAbsolute(value) ? value : resolve(base, value);
      }
      if (spec.kind === 'url') return value === '' ? null : value;
      const allowed = 'oneOf' in spec ? spec.oneOf : undefined;
      if (allowed !== undefined && !allowed.includes(value)) {
        throw bad(`${shown} is not one of ${allowed.join(', ')}`);
      }
      return value;
    }
  }
}

/** Values that depend on others: the default store URL, and checks across keys. */
function derive(flat: FlatConfig, cwd: string): FlatConfig {
  const store = flat.store === '' ? `sqlite:${join(flat.workdir, 'mirror.db')}` : flat.store;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(store)) {
    throw mirrorError('CONFIG_INVALID', {
      key: 'store',
      source: 'config',
      reason: `${JSON.stringify(store)} is neither sqlite:<path> nor postgres://…`,
    });
  }
  const sqlitePath = store.startsWith('sqlite:') ? store.slice('sqlite:'.length) : undefined;
  const storeUrl =
    sqlitePath !== undefined && sqlitePath !== ':memory:' && !isAbsolute(sqlitePath)
      ? `sqlite:${resolve(cwd, sqlitePath)}`
      : store;
  if (flat.broker !== null && !/^amqps?:\/\//.test(flat.broker)) {
    throw mirrorError('CONFIG_INVALID', {
      key: 'broker',
      source: 'config',
      reason: `${JSON.stringify(flat.broker)} is not an amqp:// URL`,
    });
  }
  const credential = flat['agent.credential'];
  if (credential !== '' && credential.length < 16) {
    throw mirrorError('CONFIG_INVALID', {
      key: 'agent.credential',
      source: 'config',
      reason: `is ${credential.length} characters; an agent credential needs at least 16`,
    });
  }
  if (credential !== '' && credential === flat['http.token']) {
    throw mirrorError('CONFIG_INVALID', {
      key: 'agent.credential',
      source: 'config',
      reason: 'equals http.token; agents and users need credentials of their own',
    });
  }
  return { ...flat, store: storeUrl, slots: flat.slots === 0 ? availableParallelism() : flat.slots };
}

function unflatten(flat: FlatConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1] as string] = value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
