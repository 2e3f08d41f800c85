import type { Kysely } from 'kysely';
import { atomically, type OpsContext } from './context.js';
import { rowsPerStatement, slices } from './engine.js';
import { requireJob } from './jobs.js';
import { toJobItem } from './rows.js';
import type { Database } from './schema.js';
import type { StoreOps } from './store.js';
import { requireStoredFiles } from './stored-files.js';

type JobItemOps = Pick<StoreOps, 'putJobItems' | 'listJobItems' | 'deleteJobItems'>;

const JOB_ITEM_COLUMNS = 8;

/** A job's data items: what monitor, recovery and hooks found, as `jobgetdata` shows it. */
export function jobItemOps(db: Kysely<Database>, ctx: OpsContext): JobItemOps {
  return {
    // Upserts in multi-row statements. A (section, key) given twice keeps its last
    // item: one statement may not update the same row twice (PostgreSQL refuses).
    // JOB_NOT_FOUND and STORED_FILE_NOT_FOUND rather than foreign key violations.
    putJobItems(jobId, items) {
      return atomically(db, async (trx) => {
        await requireJob(trx, jobId);
        const latest = new Map(items.map((item) => [`${item.section}\0${item.key}`, item]));
        const shas = [...latest.values()].flatMap((item) => (item.sha256 === null ? [] : [item.sha256]));
        await requireStoredFiles(trx, ctx, shas);
        const now = ctx.now();
        const rows = [...latest.values()].map((item) => ({
          job_id: jobId,
          section: item.section,
          key: item.key,
          kind: item.kind,
          value: item.value,
          sha256: item.sha256,
          size: item.size,
          updated_at: now,
        }));
        for (const part of slices(rows, rowsPerStatement(ctx.engine, JOB_ITEM_COLUMNS))) {
          await trx
            .insertInto('job_items')
            .values(part)
            .onConflict((oc) =>
              oc.columns(['job_id', 'section', 'key']).doUpdateSet((eb) => ({
                kind: eb.ref('excluded.kind'),
                value: eb.ref('excluded.value'),
                sha256: eb.ref('excluded.sha256'),
                size: eb.ref('excluded.size'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
      });
    },

    async listJobItems(jobId) {
      const rows = await db
        .selectFrom('job_items')
        .selectAll()
        .where('job_id', '=', jobId)
        .orderBy('section')
        .orderBy('key')
        .execute();
      return rows.map(toJobItem);
    },

    // The blobs stay in the file store: the caller forgets each that nothing else uses.
    async deleteJobItems(jobId, section) {
      let query = db.deleteFrom('job_items').where('job_id', '=', jobId);
      if (section !== undefined) query = query.where('section', '=', section);
      const rows = await query.returning('sha256').execute();
      const shas = new Set(rows.flatMap((r) => (r.sha256 === null ? [] : [r.sha256])));
      return [...shas].sort();
    },
  };
}
