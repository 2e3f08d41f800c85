import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMirrorError } from '../../src/core/index.js';
import { maskStoreUrl, openStore } from '../../src/store/index.js';
import { parseStoreUrl } from '../../src/store/store-url.js';

const dir = await mkdtemp(join(tmpdir(), 'mirror-open-store-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The rejection of `promise`, or undefined when it resolves. */
function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('store URLs', () => {
  it('name a backend', () => {
    expect(parseStoreUrl('sqlite:/var/lib/mirror/mirror.db')).toEqual({
      backend: 'sqlite',
      path: '/var/lib/mirror/mirror.db',
    });
    expect(parseStoreUrl('sqlite:data/mirror.db')).toEqual({ backend: 'sqlite', path: 'data/mirror.db' });
    expect(parseStoreUrl('sqlite:///abs/mirror.db')).toEqual({ backend: 'sqlite', path: '/abs/mirror.db' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ backend: 'sqlite', path: ':memory:' });
    expect(parseStoreUrl('postgres://u:p@db/mirror')).toEqual({
      backend: 'postgres',
      url: 'postgres://u:p@db/mirror',
    });
    expect(parseStoreUrl('postgresql://db/mirror')).toMatchObject({ backend: 'postgres' });
  });

  it('refuse anything else, naming the URL with its password masked', async () => {
    const err = await refusal(openStore('mysql://root:hunter2@db:3306/mirror'));
    expect(isMirrorError(err, 'STORE_URL_INVALID')).toBe(true);
    expect((err as Error).message).toBe(
      'store URL mysql://root:***@db:3306/mirror is not supported: expected sqlite:<path>, postgres://... or postgresql://...',
    );
    expect(((await refusal(openStore('sqlite:'))) as Error).message).toBe(
      'store URL sqlite: is not supported: no file path after "sqlite:"',
    );
    expect(isMirrorError(await refusal(openStore('/var/lib/mirror.db')), 'STORE_URL_INVALID')).toBe(true);
  });

  it('mask passwords', () => {
    expect(maskStoreUrl('postgres://mirror:s3cr%40t@db:5432/mirror')).toBe(
      'postgres://mirror:***@db:5432/mirror',
    );
    expect(maskStoreUrl('postgres://db/mirror?user=m&password=s3cret&ssl=1')).toBe(
      'postgres://db/mirror?user=m&password=***&ssl=1',
    );
    expect(maskStoreUrl('postgres://mirror@db/mirror')).toBe('postgres://mirror@db/mirror');
  });
});

describe('openStore', () => {
  it('opens a private in-memory SQLite store', async () => {
    const store = await openStore('sqlite::memory:');
    expect(store.capabilities).toEqual({ advisoryLocks: false, sharedAcrossHosts: false });
    const project = await store.createProject('p', []);
    expect(await store.getProject(project.id)).toEqual(project);
    await store.close();
    await store.close(); // idempotent
  });

  it('creates the parent directories of an SQLite file', async () => {
    const path = join(dir, 'a', 'b', 'mirror.db');
    const store = await openStore(`sqlite:${path}`);
    await store.close();
    expect((await stat(path)).isFile()).toBe(true);
  });

  it('answers STORE_UNAVAILABLE for an SQLite file it cannot open', async () => {
    const err = await refusal(openStore(`sqlite:${dir}`));
    expect(isMirrorError(err, 'STORE_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`^cannot open the store at sqlite:${dir}: `));
  });

  it('answers STORE_UNAVAILABLE for a PostgreSQL server that does not answer, password masked', async () => {
    // Port 1 on the loopback: refused at once.
    const err = await refusal(openStore('postgres://mirror:hunter2@127.0.0.1:1/mirror'));
    expect(isMirrorError(err, 'STORE_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(
      /^cannot open the store at postgres:\/\/mirror:\*\*\*@127\.0\.0\.1:1\/mirror: /,
    );
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).message).not.toContain('hunter2');
  });
});
