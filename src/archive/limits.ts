/** Bounds on what an archive may unpack to; every one is a config key. */
export interface ArchiveLimits {
  /** Most entries (files and directories) an archive may hold. Default 100,000. */
  readonly maxEntries: number;
  /** Most bytes all entries may inflate to, counted while extracting. Default 2 GiB. */
  readonly maxBytes: number;
  /** Most bytes one entry may inflate to per compressed byte. Default 200. */
  readonly maxRatio: number;
  /**
   * An entry is held to `maxRatio` once it has inflated past this many bytes. Small
   * highly compressible files (a template of blank lines) are ordinary; a bomb is not
   * small. Default 1 MiB.
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
