export type { Adapter, Step, FileRule, TemplateRule, ProgressRule, Item, OutputItem } from './types.js';
export { parseAdapter, DEFAULT_ADAPTER_MAX_BYTES, type ParseAdapterOptions } from './parse-adapter.js';
export { MAX_TIMEOUT_SECONDS } from './adapter-elements.js';
export { compilePattern } from './adapter-pattern.js';
export {
  parsePlaceholders,
  placeholdersOf,
  renderText,
  renderShellCommand,
  type Params,
  type Piece,
} from './placeholders.js';
export {
  loadCalcPackage,
  type CalcPackageSource,
  type LoadedCalcPackage,
  type LoadCalcPackageOptions,
} from './load-calc-package.js';
export { packCalcPackage } from './pack-calc-package.js';
export { DEFAULT_HOOKS_LOAD_TIMEOUT_MS } from './hooks.js';
export { pathInRunDirectory, runPathProblem, mirrorAreaProblem, type MirrorAccess } from './run-path.js';
export { packageInfoOf, type PackageInfo } from './package-info.js';
export { placeholderUses, type PlaceholderUse } from './placeholder-uses.js';
export {
  formatWalltime,
  RESOURCE_ATTRIBUTES,
  resourceProblem,
  stepResources,
  type ResourceAttribute,
  type StepResources,
} from './step-resources.js';
