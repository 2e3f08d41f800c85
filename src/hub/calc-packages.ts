import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadCalcPackage,
  packCalcPackage,
  packageInfoOf,
  placeholdersOf,
  type LoadCalcPackageOptions,
  type PackageInfo,
} from '../calc-package/index.js';
import { mirrorError } from '../core/index.js';
import type { FileStore } from '../file-store/index.js';
import type { CalcPackage, Store } from '../store/index.js';

export interface RegisteredCalcPackage extends Omit<CalcPackage, 'adapter'> {
  readonly info: PackageInfo;
}

export type CalcPackageSource = { readonly dir: string } | { readonly zip: string };

export interface CalcPackages {
  /** Validates a package completely, stores its canonical zip and registers it. */
  add(source: CalcPackageSource): Promise<RegisteredCalcPackage>;
  list(): Promise<RegisteredCalcPackage[]>;
  get(id: number): Promise<RegisteredCalcPackage>;
  /**
   * Deletes a package; one that jobs still use is refused (PACKAGE_IN_USE, naming how
   * many) unless `force`, and then the jobs keep their rows but cannot be built again.
   */
  delete(id: number, options?: { force?: boolean }): Promise<void>;
}

/** Calc packages: registered from a directory or a zip; content in the file store. */
export function createCalcPackages(deps: {
  store: Store;
  fileStore: FileStore;
  tmpDir: string;
  /** The archive and adapter.xml limits of the config (`limits.*`). */
  load?: LoadCalcPackageOptions;
}): CalcPackages {
  const { store, fileStore, tmpDir } = deps;
  return {
    async add(source) {
      await mkdir(tmpDir, { recursive: true });
      const token = randomBytes(8).toString('hex');
      const staging = join(tmpDir, `package-${token}`);
      const zip = join(tmpDir, `package-${token}.zip`);
      try {
        const loaded = await loadCalcPackage(source, staging, deps.load);
        // By entries, never by assignment: a template named `__proto__` is a key like any other.
        const templatePlaceholders: Record<string, readonly string[]> = Object.fromEntries(
          await Promise.all(
            loaded.adapter.templates.map(async (template) => {
              const text = await readFile(join(staging, 'template', template.src), 'utf8');
              return [template.src, placeholdersOf(text)] as const;
            }),
          ),
        );
        const info: PackageInfo = { adapter: loaded.adapter, templatePlaceholders };
        await packCalcPackage(loaded, zip);
        const blob = await fileStore.putFile(zip);
        const row = await store.transaction(async (tx) => {
          await tx.recordStoredFile(blob);
          return tx.insertCalcPackage({
            name: loaded.adapter.name,
            version: loaded.adapter.version,
            sha256: blob.sha256,
            size: blob.size,
            adapter: info,
          });
        });
        return toRegistered(row);
      } finally {
        await rm(staging, { recursive: true, force: true });
        await rm(zip, { force: true });
      }
    },
    async list() {
      return (await store.listCalcPackages()).map(toRegistered);
    },
    async get(id) {
      const row = await store.getCalcPackage(id);
      if (!row) throw mirrorError('PACKAGE_NOT_FOUND', { calcpackage: id });
      return toRegistered(row);
    },
    async delete(id, options = {}) {
      const removed = await store.transaction(async (tx) => {
        const row = await tx.getCalcPackage(id);
        if (!row) return false;
        const count = await tx.countJobs({ packageId: id });
        if (count > 0 && options.force !== true)
          throw mirrorError('PACKAGE_IN_USE', { calcpackage: id, count });
        await tx.deleteCalcPackage(id);
        await tx.forgetStoredFileIfUnused(row.sha256);
        return true;
      });
      if (!removed) throw mirrorError('PACKAGE_NOT_FOUND', { calcpackage: id });
    },
  };
}

function toRegistered(row: CalcPackage): RegisteredCalcPackage {
  const { adapter: _, ...rest } = row;
  return { ...rest, info: packageInfoOf(row) };
}
