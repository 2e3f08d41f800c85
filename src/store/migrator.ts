import type { Kysely } from 'kysely';
import { mirrorError } from '../core/index.js';
import type { Engine } from './engine.js';
import { migrations as knownMigrations, type Migration } from './migrations/index.js';

/** The migrator's own table: one row per applied migration. */
export const SCHEMA_VERSION_TABLE = 'mirror_schema_version';

/** The migrator's view of the database: its own table only. */
type VersionTables = {
  mirror_schema_version: { version: number; name: string; applied_at: number };
};

/** What `migrate` did: the version it found, the version it left, the migrations it applied. */
export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/**
 * Brings the database up to the newest migration in `migrations`, one migration per
 * transaction, each under the engine's migration lock (PostgreSQL: an advisory lock,
 * so hubs starting together apply each migration once). Refuses, changing nothing, a
 * database whose version is newer than the newest migration known here.
 */
export async function migrate(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema, migrated or not
  db: Kysely<any>,
  engine: Engine,
  migrations: readonly Migration[] = knownMigrations,
): Promise<MigrationReport> {
  checkSequence(migrations);
  const known = migrations.length;
  const applied: number[] = [];
  let from: number | undefined;
  for (;;) {
    const current = await db.transaction().execute(async (trx) => {
      await engine.lockForMigration(trx);
      const vdb = trx as unknown as Kysely<VersionTables>;
      await vdb.schema
        .createTable(SCHEMA_VERSION_TABLE)
        .ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'bigint', (c) => c.notNull())
        .execute();
      const version = await readVersion(vdb);
      if (version > known) {
        throw mirrorError('STORE_SCHEMA_NEWER', { version, known });
      }
      // Versions are 1..n, so the next migration sits at index `version`.
      const next = migrations[version];
      if (next !== undefined) {
        await next.up(trx, engine);
        await vdb
          .insertInto(SCHEMA_VERSION_TABLE)
          .values({ version: next.version, name: next.name, applied_at: Date.now() })
          .execute();
      }
      return version;
    });
    from ??= current;
    if (current === known) return { from, to: current, applied };
    applied.push(current + 1);
  }
}

/** The database's schema version: the highest applied migration, 0 when none. */
async function readVersion(db: Kysely<VersionTables>): Promise<number> {
  const row = await db
    .selectFrom(SCHEMA_VERSION_TABLE)
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Refuses a migration list that is not numbered 1, 2, 3, ... in order (a programming error). */
function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) {
      throw mirrorError('INTERNAL', {
        reason: `migration "${m.name}" has version ${m.version}, expected ${index + 1}`,
      });
    }
  });
}
