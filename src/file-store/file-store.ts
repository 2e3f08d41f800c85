/**
 * The file store: blobs addressed by their sha256 (calc package zips, project files,
 * and later recovered process and result files). The store's `stored_files` rows say
 * which blobs are in use; the bytes live here.
 */
export interface PutResult {
  readonly sha256: string;
  readonly size: number;
}

export interface FileStore {
  /** Copies a file in; same content, same blob. Atomic: a blob is whole or absent. */
  putFile(path: string): Promise<PutResult>;
  /** Stores bytes; same as putFile. */
  putBytes(data: Uint8Array): Promise<PutResult>;
  /** The local path of a blob (for reading), whether or not it exists. */
  pathOf(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  read(sha256: string): Promise<Buffer>;
  /**
   * Removes blobs not in `inUse` that were last written more than `graceMs` ago
   * (a blob written but not yet recorded is never swept). Answers how many it removed.
   */
  sweep(inUse: (sha256: string) => Promise<boolean>, graceMs?: number): Promise<number>;
}
