import type { Entry } from 'yauzl';
import { mirrorError } from '../core/index.js';
import type { EntryKind } from './entry-table.js';
import { quoteName, relativePathProblem } from './names.js';

/** What an archive entry is, once its raw header has been judged acceptable. */
export interface EntryInfo {
  /** The entry's path, NFC, without a directory's trailing `/`. */
  readonly path: string;
  /** The name as messages show it (JSON-quoted raw name). */
  readonly shown: string;
  readonly kind: EntryKind;
  /** True when any execute bit was set in the entry's unix mode. */
  readonly executable: boolean;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LOOSE_UTF8 = new TextDecoder('utf-8');

const S_IFMT = 0o170000;
const FILE_TYPES: Readonly<Record<number, string>> = {
  0o010000: 'FIFO',
  0o020000: 'character device',
  0o060000: 'block device',
  0o140000: 'socket',
};
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/**
 * Judges one entry's header: its raw name (decoded as UTF-8, whatever the flag bit
 * says: names that are not UTF-8 are refused rather than guessed as CP437), the Names
 * rules, encryption, compression method and the file type in its unix mode (a link,
 * FIFO, socket or device is refused). Setuid, setgid and sticky bits are ignored.
 */
export function describeEntry(file: string, entry: Entry): EntryInfo {
  const raw = entry.fileNameRaw;
  const refuse = (entryName: string, reason: string): Error =>
    mirrorError('ARCHIVE_ENTRY_REFUSED', { file, entry: entryName, reason });
  let name: string;
  try {
    name = UTF8.decode(raw);
  } catch {
    throw refuse(quoteName(LOOSE_UTF8.decode(raw)), 'name is not valid UTF-8');
  }
  const shown = quoteName(name);
  const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
  const type = mode & S_IFMT;
  if (type === S_IFLNK) throw mirrorError('ARCHIVE_ENTRY_LINK', { file, entry: shown });
  const special = FILE_TYPES[type];
  if (special !== undefined) throw refuse(shown, `a ${special} entry is not allowed`);
  if (type !== 0 && type !== S_IFDIR && type !== S_IFREG) {
    throw refuse(shown, `unknown file type 0o${type.toString(8)} in its mode`);
  }
  const kind: EntryKind = name.endsWith('/') || type === S_IFDIR ? 'directory' : 'file';
  const bare = kind === 'directory' && name.endsWith('/') ? name.slice(0, -1) : name;
  const normal = bare.normalize('NFC');
  const problem = relativePathProblem(normal, 'the extraction directory');
  if (problem !== undefined) throw refuse(shown, problem);
  if (entry.isEncrypted()) throw refuse(shown, 'encrypted entries are not supported');
  if (kind === 'file' && entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw refuse(
      shown,
      `compression method ${entry.compressionMethod} is not supported (only stored and deflate)`,
    );
  }
  return { path: normal, shown, kind, executable: (mode & 0o111) !== 0 };
}
