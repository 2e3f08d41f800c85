export { DEFAULT_ARCHIVE_LIMITS, archiveLimits, type ArchiveLimits } from './limits.js';
export {
  checkRelativePath,
  relativePathProblem,
  quoteName,
  hasControlCharacter,
  comparePaths,
  MAX_COMPONENT_BYTES,
  MAX_PATH_BYTES,
} from './names.js';
export { displayNameProblem, MAX_DISPLAY_NAME_CHARACTERS } from './display-name.js';
export { extractZip, type ExtractedEntry } from './extract-zip.js';
export { walkDirectory, type WalkedFile } from './walk.js';
export { copyWalkedFiles } from './copy-files.js';
export { claimDestination } from './destination.js';
export { writeZip, type ZipSource } from './write-zip.js';
