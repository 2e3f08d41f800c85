/** Para files: parsing, validation and expansion into states (one job each). */
export { parsePara, DEFAULT_PARA_MAX_BYTES, type ParseParaOptions } from './parse-para.js';
export {
  expandStates,
  DEFAULT_MAX_STATES,
  DEFAULT_MAX_VALUES,
  type ExpandStatesOptions,
} from './expand-states.js';
export { countStates } from './count-states.js';
export type {
  ParaFile,
  ParaParam,
  ParaList,
  ParaExplicitState,
  ListBlock,
  ExplicitBlock,
  StatesBlock,
  ParaState,
} from './types.js';
