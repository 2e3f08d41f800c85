// One test suite, every store backend. SQLite always; PostgreSQL when it answers at
// 127.0.0.1:5432 (and required when MIRROR_REQUIRE_SERVICES=1, as in CI).
//
// Each test file that calls `storeBackends()` gets its own PostgreSQL database
// (`mirror_t_<hex>`, dropped WITH (FORCE) after the file) and its own temporary
// directory of SQLite files; each `open()` / `freshUrl()` is a fresh, empty database
// in it (on PostgreSQL, a fresh schema of the file's database, chosen by the URL's
// search_path). Every store opened through `open()` is closed after the file.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/index.js';

export const POSTGRES_ADDRESS = '127.0.0.1:5432';
/** Roles tried in turn (trust authentication). */
const POSTGRES_USERS = ['postgres', 'root'];

export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres';
  /** Why this backend's tests cannot run here; undefined when they can. */
  readonly unavailable: string | undefined;
  /** The URL of a fresh, empty database (nothing migrated), removed after the file. */
  freshUrl(): Promise<string>;
  /** A migrated store on a fresh database; closed after the file if the test did not. */
  open(options?: OpenStoreOptions): Promise<Store>;
}

let backends: Promise<StoreBackend[]> | undefined;
const cleanups: (() => Promise<void>)[] = [];
// Registered when this module is loaded, so after-hooks run in reverse: the hubs and
// agents of support modules that import this one (deployments) stop before their
// databases are dropped, never the other way round.
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * The store backends, for this test file. Call at the top level of the file, then
 * declare tests with `describeEachStore`; what they open is closed after the file.
 */
export function storeBackends(): Promise<StoreBackend[]> {
  backends ??= Promise.all([sqliteBackend(cleanups), postgresBackend(cleanups)]);
  return backends;
}

/**
 * Declares `fn`'s tests once per backend, in a `describe` named after it. A backend
 * that cannot run here is a visible skip saying why, or, with
 * MIRROR_REQUIRE_SERVICES=1, a failing test saying why.
 */
export function describeEachStore(list: readonly StoreBackend[], fn: (backend: StoreBackend) => void): void {
  for (const backend of list) {
    const why = backend.unavailable;
    if (why === undefined) {
      describe(backend.name, () => fn(backend));
    } else if (process.env.MIRROR_REQUIRE_SERVICES === '1') {
      describe(backend.name, () => {
        it(`is required (MIRROR_REQUIRE_SERVICES=1) but ${why}`, () => {
          throw new Error(`${backend.name} tests must run (MIRROR_REQUIRE_SERVICES=1), but ${why}`);
        });
      });
    } else {
      describe.skip(`${backend.name} (skipped: ${why})`, () => fn(backend));
    }
  }
}

/** Opens a store on `url` and remembers to close it. */
function tracked(cleanups: (() => Promise<void>)[]) {
  return async (url: string, options?: OpenStoreOptions): Promise<Store> => {
    const store = await openStore(url, options);
    cleanups.push(() => store.close());
    return store;
  };
}

/** SQLite: one temporary directory per file, one database file per fresh URL. */
async function sqliteBackend(cleanups: (() => Promise<void>)[]): Promise<StoreBackend> {
  const dir = await mkdtemp(join(tmpdir(), 'mirror-store-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const open = tracked(cleanups);
  let count = 0;
  const freshUrl = () => Promise.resolve(`sqlite:${join(dir, `db-${++count}.sqlite`)}`);
  return {
    name: 'sqlite',
    unavailable: undefined,
    freshUrl,
    open: async (options) => open(await freshUrl(), options),
  };
}

/**
 * PostgreSQL: a database per file, created now if the server answers; a schema per
 * fresh URL. The admin connections and the database go after every store is closed
 * (cleanups run in reverse).
 */
async function postgresBackend(cleanups: (() => Promise<void>)[]): Promise<StoreBackend> {
  const admin = await connectAdmin();
  if (typeof admin === 'string') {
    return {
      name: 'postgres',
      unavailable: `PostgreSQL not reachable at ${POSTGRES_ADDRESS} (${admin})`,
      freshUrl: () => Promise.reject(new Error(`PostgreSQL not reachable at ${POSTGRES_ADDRESS}`)),
      open: () => Promise.reject(new Error(`PostgreSQL not reachable at ${POSTGRES_ADDRESS}`)),
    };
  }
  const database = `mirror_t_${randomBytes(6).toString('hex')}`;
  await admin.client.query(`create database ${database}`);
  cleanups.push(async () => {
    // A test that restarted the server left this connection dead: drop through a new one.
    const drop = `drop database if exists ${database} with (force)`;
    await admin.client.query(drop).catch(async () => {
      const again = await connectAdmin();
      if (typeof again === 'string') throw new Error(`cannot drop ${database}: ${again}`);
      await again.client.query(drop).finally(() => again.client.end());
    });
    await admin.client.end().catch(() => {});
  });
  const base = `postgres://${admin.user}@${POSTGRES_ADDRESS}/${database}`;
  const inDatabase = new pg.Client({ connectionString: base });
  inDatabase.on('error', () => {});
  await inDatabase.connect();
  cleanups.push(() => inDatabase.end().catch(() => {}));

  const open = tracked(cleanups);
  let count = 0;
  const freshUrl = async () => {
    const schema = `s_${++count}`;
    await inDatabase.query(`create schema ${schema}`);
    return `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  };
  return {
    name: 'postgres',
    unavailable: undefined,
    freshUrl,
    open: async (options) => open(await freshUrl(), options),
  };
}

/** A connection to the `postgres` database as the first role that works, or why none did. */
async function connectAdmin(): Promise<{ client: pg.Client; user: string } | string> {
  let reason = 'no role tried';
  for (const user of POSTGRES_USERS) {
    const client = new pg.Client({
      connectionString: `postgres://${user}@${POSTGRES_ADDRESS}/postgres`,
      connectionTimeoutMillis: 3000,
    });
    // The server going away (a test restarting it) must not crash the test process.
    client.on('error', () => {});
    try {
      await client.connect();
      return { client, user };
    } catch (err) {
      await client.end().catch(() => {});
      reason = err instanceof Error && err.message !== '' ? err.message : String(err);
    }
  }
  return reason;
}

/** Inserts a dispatch of one job with no parameters (project 1, package 1); answers the job's id. */
export async function insertOneJob(store: Store): Promise<number> {
  const { jobIds } = await store.insertDispatch({
    projectId: 1,
    packageId: 1,
    paraName: 'para.xml',
    jobs: [{ stateIndex: 0, label: '', params: {} }],
  });
  const [id] = jobIds;
  if (id === undefined) throw new Error('the dispatch made no job');
  return id;
}
