import type { Kysely } from 'kysely';
import { mirrorError } from '../core/index.js';
import { rowsPerStatement, slices } from './engine.js';
import type { OpsContext } from './context.js';
import { toStoredFile } from './rows.js';
import type { Database } from './schema.js';
import type { StoreOps } from './store.js';

/** The tables whose rows refer to a blob by its sha256: while one does, the blob is in use. */
const REFERRERS = ['project_files', 'calc_packages', 'job_items'] as const;

type StoredFileOps = Pick<StoreOps, 'recordStoredFile' | 'getStoredFile' | 'forgetStoredFileIfUnused'>;

/** Operations on the metadata of file store blobs. */
export function storedFileOps(db: Kysely<Database>, ctx: OpsContext): StoredFileOps {
  return {
    // Recording a blob that is already recorded is a no-op (same content, same row).
    async recordStoredFile({ sha256, size }) {
      await db
        .insertInto('stored_files')
        .values({ sha256, size, created_at: ctx.now() })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    },

    async getStoredFile(sha256) {
      const row = await db
        .selectFrom('stored_files')
        .selectAll()
        .where('sha256', '=', sha256)
        .executeTakeFirst();
      return row && toStoredFile(row);
    },

    // One statement, so no reference can appear between the check and the delete.
    async forgetStoredFileIfUnused(sha256) {
      let query = db.deleteFrom('stored_files').where('sha256', '=', sha256);
      for (const table of REFERRERS) {
        query = query.where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom(table).select('sha256').whereRef(`${table}.sha256`, '=', 'stored_files.sha256'),
            ),
          ),
        );
      }
      const result = await query.executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

/**
 * Throws STORED_FILE_NOT_FOUND naming the first of `sha256s` that is not recorded, so
 * a missing blob is reported as such rather than as a foreign key violation.
 */
export async function requireStoredFiles(
  db: Kysely<Database>,
  ctx: OpsContext,
  sha256s: readonly string[],
): Promise<void> {
  const wanted = [...new Set(sha256s)];
  for (const part of slices(wanted, rowsPerStatement(ctx.engine, 1))) {
    const rows = await db.selectFrom('stored_files').select('sha256').where('sha256', 'in', part).execute();
    const found = new Set(rows.map((r) => r.sha256));
    const missing = part.find((sha256) => !found.has(sha256));
    if (missing !== undefined) throw mirrorError('STORED_FILE_NOT_FOUND', { sha256: missing });
  }
}
