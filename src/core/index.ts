export {
  errorCatalog,
  formatMessage,
  type ErrorCode,
  type ErrorParams,
  type CatalogEntry,
} from './error-catalog.js';
export { MirrorError, mirrorError, isMirrorError, type MirrorErrorData } from './mirror-error.js';
export { ok, fail, reply, toMirrorError, type Reply } from './reply.js';
export { isIdentifier, RESERVED_NAMES } from './identifier.js';
