import { mirrorError } from '../core/index.js';

export type EntryKind = 'file' | 'directory';

/**
 * The paths an archive has declared so far, to refuse duplicates and overlaps: the
 * same path twice, a file where another entry has (or implies) a directory, or an
 * entry under a path that is a file. Names are compared in their NFC form.
 */
export class EntryTable {
  private readonly declared = new Map<string, { kind: EntryKind; shown: string }>();
  /** Directories implied by deeper entries, with the entry that first implied each. */
  private readonly implied = new Map<string, string>();

  constructor(private readonly file: string) {}

  /** Records one entry; `shown` is its name as messages quote it. */
  add(name: string, kind: EntryKind, shown: string): void {
    const prior = this.declared.get(name);
    if (prior !== undefined) {
      if (prior.kind === kind) {
        throw mirrorError('ARCHIVE_ENTRY_DUPLICATE', { file: this.file, entry: shown, other: prior.shown });
      }
      throw this.overlap(shown, prior.shown);
    }
    const impliedBy = this.implied.get(name);
    if (kind === 'file' && impliedBy !== undefined) throw this.overlap(shown, impliedBy);
    let parent = '';
    const parts = name.split('/');
    for (const part of parts.slice(0, -1)) {
      parent = parent === '' ? part : `${parent}/${part}`;
      const above = this.declared.get(parent);
      if (above?.kind === 'file') throw this.overlap(shown, above.shown);
      if (!this.implied.has(parent)) this.implied.set(parent, shown);
    }
    this.declared.set(name, { kind, shown });
  }

  private overlap(entry: string, other: string): Error {
    return mirrorError('ARCHIVE_ENTRY_OVERLAP', { file: this.file, entry, other });
  }
}
