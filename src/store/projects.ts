import type { Kysely } from 'kysely';
import { mirrorError } from '../core/index.js';
import { atomically, type OpsContext } from './context.js';
import { rowsPerStatement, slices } from './engine.js';
import { toProject, toProjectFile } from './rows.js';
import type { Database } from './schema.js';
import type { StoreOps } from './store.js';
import { requireStoredFiles } from './stored-files.js';

type ProjectOps = Pick<
  StoreOps,
  | 'createProject'
  | 'getProject'
  | 'listProjects'
  | 'deleteProject'
  | 'putProjectFile'
  | 'deleteProjectFile'
  | 'listProjectFiles'
  | 'getProjectFile'
>;

const PROJECT_FILE_COLUMNS = 5;

/** Operations on projects and their files. Project names need not be unique; ids identify. */
export function projectOps(db: Kysely<Database>, ctx: OpsContext): ProjectOps {
  return {
    // The project row and all its file rows, together. A name given twice keeps its
    // last file, as putProjectFile would.
    createProject(name, files) {
      return atomically(db, async (trx) => {
        const byName = new Map(files.map((f) => [f.name, f]));
        await requireStoredFiles(
          trx,
          ctx,
          [...byName.values()].map((f) => f.sha256),
        );
        const now = ctx.now();
        const project = await trx
          .insertInto('projects')
          .values({ name, created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        const rows = [...byName.values()].map((f) => ({
          project_id: project.id,
          name: f.name,
          sha256: f.sha256,
          size: f.size,
          updated_at: now,
        }));
        for (const part of slices(rows, rowsPerStatement(ctx.engine, PROJECT_FILE_COLUMNS))) {
          await trx.insertInto('project_files').values(part).execute();
        }
        return toProject(project);
      });
    },

    async getProject(id) {
      const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toProject(row);
    },

    async listProjects() {
      const rows = await db.selectFrom('projects').selectAll().orderBy('id').execute();
      return rows.map(toProject);
    },

    // Its file rows go with it (foreign key cascade); its jobs stay.
    async deleteProject(id) {
      const result = await db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    // Touching the project first both checks that it exists and records the change.
    putProjectFile(projectId, file) {
      return atomically(db, async (trx) => {
        const now = ctx.now();
        await touchProject(trx, projectId, now);
        await requireStoredFiles(trx, ctx, [file.sha256]);
        const values = { sha256: file.sha256, size: file.size, updated_at: now };
        await trx
          .insertInto('project_files')
          .values({ project_id: projectId, name: file.name, ...values })
          .onConflict((oc) => oc.columns(['project_id', 'name']).doUpdateSet(values))
          .execute();
      });
    },

    deleteProjectFile(projectId, name) {
      return atomically(db, async (trx) => {
        const result = await trx
          .deleteFrom('project_files')
          .where('project_id', '=', projectId)
          .where('name', '=', name)
          .executeTakeFirst();
        const deleted = result.numDeletedRows > 0n;
        if (deleted) await touchProject(trx, projectId, ctx.now());
        return deleted;
      });
    },

    async listProjectFiles(projectId) {
      const rows = await db
        .selectFrom('project_files')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('name')
        .execute();
      return rows.map(toProjectFile);
    },

    async getProjectFile(projectId, name) {
      const row = await db
        .selectFrom('project_files')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toProjectFile(row);
    },
  };
}

/** Sets the project's `updated_at`; throws PROJECT_NOT_FOUND when there is no such project. */
async function touchProject(db: Kysely<Database>, projectId: number, now: number): Promise<void> {
  const result = await db
    .updateTable('projects')
    .set({ updated_at: now })
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw mirrorError('PROJECT_NOT_FOUND', { project: projectId });
}
