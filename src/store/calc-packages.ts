import type { Kysely } from 'kysely';
import type { OpsContext } from './context.js';
import { toCalcPackage } from './rows.js';
import type { Database } from './schema.js';
import type { StoreOps } from './store.js';
import { requireStoredFiles } from './stored-files.js';

type CalcPackageOps = Pick<
  StoreOps,
  'insertCalcPackage' | 'getCalcPackage' | 'listCalcPackages' | 'deleteCalcPackage'
>;

/**
 * Operations on registered calc packages. Deleting a package that has jobs is allowed:
 * the jobs keep its id (no foreign key), as history.
 */
export function calcPackageOps(db: Kysely<Database>, ctx: OpsContext): CalcPackageOps {
  return {
    async insertCalcPackage(p) {
      await requireStoredFiles(db, ctx, [p.sha256]);
      const row = await db
        .insertInto('calc_packages')
        .values({
          name: p.name,
          version: p.version,
          sha256: p.sha256,
          size: p.size,
          adapter: JSON.stringify(p.adapter),
          created_at: ctx.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCalcPackage(row);
    },

    async getCalcPackage(id) {
      const row = await db.selectFrom('calc_packages').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toCalcPackage(row);
    },

    async listCalcPackages() {
      const rows = await db.selectFrom('calc_packages').selectAll().orderBy('id').execute();
      return rows.map(toCalcPackage);
    },

    async deleteCalcPackage(id) {
      const result = await db.deleteFrom('calc_packages').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
