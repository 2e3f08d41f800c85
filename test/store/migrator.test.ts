import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isMirrorError } from '../../src/core/index.js';
import { migrate } from '../../src/store/migrator.js';
import {
  connectStore,
  latestSchemaVersion,
  migrations,
  openStore,
  type StoreConnection,
} from '../../src/store/index.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();

/** Runs `fn` on a raw, unmigrated connection to `url`, then closes it. */
async function withConnection<T>(url: string, fn: (conn: StoreConnection) => Promise<T>): Promise<T> {
  const conn = await connectStore(url);
  try {
    return await fn(conn);
  } finally {
    await conn.db.destroy();
  }
}

/** The rows of the migrator's table, oldest first. */
function versionRows(conn: StoreConnection) {
  return sql<{
    version: number;
    name: string;
  }>`select version, name from mirror_schema_version order by version`
    .execute(conn.db)
    .then((r) => r.rows.map((row) => ({ version: Number(row.version), name: row.name })));
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(latestSchemaVersion).toBe(migrations.length);
  });
});

describeEachStore(backends, (backend) => {
  describe('migrator', () => {
    it('migrates an empty database to the latest version', async () => {
      const url = await backend.freshUrl();
      await withConnection(url, async (conn) => {
        const report = await migrate(conn.db, conn.engine);
        expect(report).toEqual({
          from: 0,
          to: latestSchemaVersion,
          applied: migrations.map((m) => m.version),
        });
        expect(await versionRows(conn)).toEqual(
          migrations.map((m) => ({ version: m.version, name: m.name })),
        );
        // The schema is there: every table answers.
        for (const table of ['stored_files', 'projects', 'project_files', 'calc_packages']) {
          await sql`select count(*) from ${sql.table(table)}`.execute(conn.db);
        }
        for (const table of ['dispatches', 'jobs', 'job_steps', 'job_events', 'job_items']) {
          await sql`select count(*) from ${sql.table(table)}`.execute(conn.db);
        }
      });
    });

    it('does nothing when run again', async () => {
      const url = await backend.freshUrl();
      await withConnection(url, async (conn) => {
        await migrate(conn.db, conn.engine);
        const again = await migrate(conn.db, conn.engine);
        expect(again).toEqual({ from: latestSchemaVersion, to: latestSchemaVersion, applied: [] });
        expect(await versionRows(conn)).toHaveLength(migrations.length);
      });
      // And through openStore, twice.
      const first = await openStore(url);
      await first.close();
      const second = await openStore(url);
      expect(await second.listProjects()).toEqual([]);
      await second.close();
    });

    it('migrates a database of version 1 to the latest, keeping its rows', async () => {
      const url = await backend.freshUrl();
      const sha256 = 'a'.repeat(64);
      let jobId = 0;
      await withConnection(url, async (conn) => {
        expect(await migrate(conn.db, conn.engine, migrations.slice(0, 1))).toMatchObject({ to: 1 });
        await conn.db.insertInto('stored_files').values({ sha256, size: 3, created_at: 1 }).execute();
        const job = await conn.db
          .insertInto('jobs')
          .values({
            dispatch_id: 1,
            project_id: 1,
            package_id: 1,
            para_name: 'para.xml',
            state_index: 0,
            label: 'mach=0.7',
            params: '{"mach":"0.7"}',
            rid: 5,
            state: 'assigned',
            path: null,
            lease_until: null,
            created_at: 1,
            updated_at: 2,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        jobId = job.id;
        await conn.db
          .insertInto('job_events')
          .values({ job_id: jobId, at: 2, from_state: 'queued', to_state: 'assigned', reason: 'claimed' })
          .execute();
        expect(await versionRows(conn)).toEqual([{ version: 1, name: 'initial' }]);
      });
      await withConnection(url, async (conn) => {
        expect(await migrate(conn.db, conn.engine)).toEqual({
          from: 1,
          to: latestSchemaVersion,
          applied: migrations.slice(1).map((m) => m.version),
        });
      });

      const store = await openStore(url);
      try {
        expect(await store.getJob(jobId)).toMatchObject({
          label: 'mach=0.7',
          params: { mach: '0.7' },
          rid: 5,
          state: 'assigned',
          updatedAt: 2,
        });
        expect(await store.listJobEvents(jobId)).toMatchObject([{ from: 'queued', to: 'assigned' }]);
        expect(await store.listJobsOnRid(5, ['assigned'])).toMatchObject([{ id: jobId }]);
        await store.putJobItems(jobId, [
          { section: 'result', key: 'mesh', kind: 'file', value: 'GRID/mesh.dat', sha256, size: 3 },
        ]);
        expect(await store.forgetStoredFileIfUnused(sha256)).toBe(false);
      } finally {
        await store.close();
      }
    });

    it('refuses a database newer than this Mirror', async () => {
      const url = await backend.freshUrl();
      const newer = latestSchemaVersion + 2;
      await withConnection(url, async (conn) => {
        await migrate(conn.db, conn.engine);
        await sql`insert into mirror_schema_version (version, name, applied_at) values (${newer}, ${'from the future'}, ${0})`.execute(
          conn.db,
        );
      });
      const refusal = await openStore(url).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isMirrorError(refusal, 'STORE_SCHEMA_NEWER')).toBe(true);
      expect((refusal as Error).message).toBe(
        `database schema version ${newer} is newer than this Mirror (knows ${latestSchemaVersion}); upgrade Mirror`,
      );
      // Refusing changed nothing.
      await withConnection(url, async (conn) => {
        expect((await versionRows(conn)).map((r) => r.version)).toEqual([
          ...migrations.map((m) => m.version),
          newer,
        ]);
      });
    });

    it.skipIf(backend.name === 'sqlite')(
      'applies each migration once when hubs migrate at once',
      async () => {
        const url = await backend.freshUrl();
        const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
        await Promise.all(stores.map((s) => s.close()));
        await withConnection(url, async (conn) => {
          expect(await versionRows(conn)).toHaveLength(migrations.length);
        });
      },
    );
  });
});
