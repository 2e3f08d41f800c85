import { readFile } from 'node:fs/promises';
import { checkRelativePath, displayNameProblem, quoteName, walkDirectory } from '../archive/index.js';
import { mirrorError } from '../core/index.js';
import type { FileStore } from '../file-store/index.js';
import type { Project, ProjectFile, Store } from '../store/index.js';

/** A file to add to a project: its name in the project and where its bytes are. */
export type ProjectFileSource =
  { readonly name: string; readonly path: string } | { readonly name: string; readonly data: Uint8Array };

export interface ProjectDetail {
  readonly project: Project;
  readonly files: readonly ProjectFile[];
}

export interface Projects {
  create(name: string, files: readonly ProjectFileSource[]): Promise<ProjectDetail>;
  /** Creates a project from every file under a directory (links refused). */
  createFromDirectory(name: string, dir: string): Promise<ProjectDetail>;
  list(): Promise<Project[]>;
  get(id: number): Promise<ProjectDetail>;
  /** Adds a file, or replaces the file of the same name. */
  putFile(id: number, file: ProjectFileSource): Promise<ProjectFile>;
  /** Adds or replaces several files at once: all of them, or (any name refused) none. */
  putFiles(id: number, files: readonly ProjectFileSource[]): Promise<ProjectFile[]>;
  deleteFile(id: number, name: string): Promise<void>;
  /** The bytes of one project file. */
  readFile(id: number, name: string): Promise<Buffer>;
  /** The bytes of a file row already in hand (from `get`). */
  readContent(file: ProjectFile): Promise<Buffer>;
  /**
   * Deletes a project and its files; one that jobs still use is refused (PROJECT_IN_USE,
   * naming how many) unless `force`, and then the jobs keep their rows but cannot be built again.
   */
  delete(id: number, options?: { force?: boolean }): Promise<void>;
}

/**
 * Projects: a name and a set of named files. File bytes go to the file store first,
 * then the rows are written in one transaction, so a refused call leaves no row.
 */
export function createProjects(deps: { store: Store; fileStore: FileStore }): Projects {
  const { store, fileStore } = deps;

  /** The bytes of a project file row, from the file store. */
  async function readContent(file: ProjectFile): Promise<Buffer> {
    try {
      return await readFile(fileStore.pathOf(file.sha256));
    } catch (err) {
      const what = `project ${file.projectId} file ${file.name}`;
      throw mirrorError('STORED_FILE_MISSING', { sha256: file.sha256, what }, err);
    }
  }

  async function mustExist(id: number): Promise<Project> {
    const project = await store.getProject(id);
    if (!project) throw mirrorError('PROJECT_NOT_FOUND', { project: id });
    return project;
  }

  async function putBlob(file: ProjectFileSource) {
    const put = 'path' in file ? await fileStore.putFile(file.path) : await fileStore.putBytes(file.data);
    return { name: file.name, ...put };
  }

  async function create(name: string, files: readonly ProjectFileSource[]): Promise<ProjectDetail> {
    const cleanName = checkProjectName(name);
    const named = checkFileNames(files);
    const blobs: { name: string; sha256: string; size: number }[] = [];
    for (const file of named) blobs.push(await putBlob(file));
    const project = await store.transaction(async (tx) => {
      for (const blob of blobs) await tx.recordStoredFile(blob);
      return tx.createProject(cleanName, blobs);
    });
    return { project, files: await store.listProjectFiles(project.id) };
  }

  async function putFiles(id: number, files: readonly ProjectFileSource[]): Promise<ProjectFile[]> {
    await mustExist(id);
    const named = checkFileNames(files);
    const blobs: { name: string; sha256: string; size: number }[] = [];
    for (const file of named) blobs.push(await putBlob(file));
    await store.transaction(async (tx) => {
      for (const blob of blobs) {
        await tx.recordStoredFile(blob);
        await tx.putProjectFile(id, blob);
      }
    });
    const stored: ProjectFile[] = [];
    for (const blob of blobs) {
      const file = await store.getProjectFile(id, blob.name);
      if (!file) throw mirrorError('PROJECT_FILE_NOT_FOUND', { file: blob.name, project: id });
      stored.push(file);
    }
    return stored;
  }

  return {
    create,
    async createFromDirectory(name, dir) {
      const walked = await walkDirectory(dir);
      return create(
        name,
        walked.map((f) => ({ name: f.path, path: f.absPath })),
      );
    },
    list: () => store.listProjects(),
    async get(id) {
      const project = await mustExist(id);
      return { project, files: await store.listProjectFiles(id) };
    },
    async putFile(id, file) {
      const [stored] = await putFiles(id, [file]);
      if (!stored) throw mirrorError('PROJECT_FILE_NOT_FOUND', { file: file.name, project: id });
      return stored;
    },
    putFiles,
    async deleteFile(id, name) {
      await mustExist(id);
      const removed = await store.transaction(async (tx) => {
        const file = await tx.getProjectFile(id, name);
        if (!file) return false;
        await tx.deleteProjectFile(id, name);
        await tx.forgetStoredFileIfUnused(file.sha256);
        return true;
      });
      if (!removed) throw mirrorError('PROJECT_FILE_NOT_FOUND', { file: name, project: id });
    },
    async readFile(id, name) {
      const file = await store.getProjectFile(id, name);
      if (!file) throw mirrorError('PROJECT_FILE_NOT_FOUND', { file: name, project: id });
      return readContent(file);
    },
    readContent,
    async delete(id, options = {}) {
      await mustExist(id);
      await store.transaction(async (tx) => {
        const count = await tx.countJobs({ projectId: id });
        if (count > 0 && options.force !== true) throw mirrorError('PROJECT_IN_USE', { project: id, count });
        const files = await tx.listProjectFiles(id);
        await tx.deleteProject(id);
        for (const file of files) await tx.forgetStoredFileIfUnused(file.sha256);
      });
    },
  };
}

/** A project name: the display-name rules (1–200 characters, nothing hidden, not only spaces). */
function checkProjectName(name: string): string {
  const reason = displayNameProblem(name);
  if (reason !== undefined) throw mirrorError('PROJECT_NAME_INVALID', { name: quoteName(name), reason });
  return name;
}

/** A project file name as given, judged whole by the Names rules (never cut or repaired): its NFC form. */
export function checkProjectFileName(name: string): string {
  return checkRelativePath(name, 'project file');
}

/** Checks every file name with the archive rules and refuses a name given twice. */
function checkFileNames(files: readonly ProjectFileSource[]): ProjectFileSource[] {
  const seen = new Set<string>();
  return files.map((file) => {
    const name = checkProjectFileName(file.name);
    if (seen.has(name)) throw mirrorError('PROJECT_FILE_DUPLICATE', { file: name });
    seen.add(name);
    return { ...file, name };
  });
}
