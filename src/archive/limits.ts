/**
 * Bounds on what an archive may unpack to; every one is a config key. Sizes are the
 * bytes each entry would write, counted out of the inflater as they arrive (never
 * trusted from headers), so data shared or overlapped by several entries counts once
 * per entry; entries sharing bytes of the zip file are refused outright.
 */
export interface ArchiveLimits {
  /** Most entries (files and directories) an archive may hold. Default 100,000. */
  readonly maxEntries: number;
  /**
   * Most bytes all entries may inflate to, counted while extracting; an archive whose
   * declared sizes already sum past it is refused before anything is written.
   * Default 2 GiB.
   */
  readonly maxBytes: number;
  /**
   * The compression ratio allowed, applied twice: one entry may inflate to at most
   * this many bytes per compressed byte (past `ratioFreeBytes`), and all entries
   * together to at most max(`ratioFreeBytes`, zip file size × this), so many small
   * entries are held to it too. Default 200.
   */
  readonly maxRatio: number;
  /**
   * Bytes inflated before the ratio applies, to one entry and to the whole archive.
   * Small highly compressible files (a template of blank lines) are ordinary; a bomb
   * is not small. Default 1 MiB.
   */
  readonly ratioFreeBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = Object.freeze({
  maxEntries: 100_000,
  maxBytes: 2 * 1024 ** 3,
  maxRatio: 200,
  ratioFreeBytes: 1024 ** 2,
});

/** The defaults with the given limits laid over them. */
export function archiveLimits(overrides: Partial<ArchiveLimits> = {}): ArchiveLimits {
  return { ...DEFAULT_ARCHIVE_LIMITS, ...overrides };
}
