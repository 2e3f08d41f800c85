export {
  errorCatalog,
  formatMessage,
  type ErrorCode,
  type ErrorParams,
  type CatalogEntry,
} from './error-catalog.js';
export { MirrorError, mirrorError, isMirrorError, type MirrorErrorData } from './mirror-error.js';
export { ok, fail, errorOf, reply, toMirrorError, type Reply } from './reply.js';
export { csvLine } from './csv.js';
export { isIdentifier, RESERVED_NAMES } from './identifier.js';
export { ownValue } from './own.js';
export {
  bindArgs,
  defineMethod,
  type ArgsOf,
  type ServiceDefinition,
  type MethodDefinition,
  type ParamSpec,
  type ParamType,
  type Args,
  type ArgValue,
} from './service-definition.js';
export { lifecycle, type Lifecycle, type LifecycleState } from './lifecycle.js';
