/**
 * Glossary of a para file (DESIGN.md, "Project and para file"):
 *
 * - para file:  a project file (`para.xml` by default) holding parameter defaults and
 *               multi-state rules; dispatch expands it into one job per state.
 * - parameter:  a name (an identifier, never `__proto__`, `prototype` or `constructor`)
 *               and a string value, kept verbatim.
 * - default:    a `<Param name value/>` directly under `<Para>`; every state starts from
 *               the defaults.
 * - States:     one block of multi-state rules. Its rule is `product` (nested loops, the
 *               last-listed parameter varies fastest), `zip` (lists of equal length paired
 *               position by position) or `explicit` (a list of named `<State>`s, implied
 *               by the block holding `<State>` elements; it takes no `rule` attribute).
 *               Several blocks combine as a product, the earlier block the outer loop.
 * - state:      one combination of values, numbered from 0 in expansion order; one job.
 * - label:      a readable name of a state: the State's name (explicit blocks) and
 *               `name=value` for every parameter that varies, in document order.
 */

/** A parameter set to one value: a default, or a parameter of an explicit `<State>`. */
export interface ParaParam {
  readonly name: string;
  /** Verbatim, never trimmed. */
  readonly value: string;
  readonly line: number;
}

/** A parameter given a list of values in a product or zip block. */
export interface ParaList {
  readonly name: string;
  /** At least one value; the attribute split on whitespace. */
  readonly values: readonly string[];
  readonly line: number;
}

/** One `<State name>` of an explicit block. */
export interface ParaExplicitState {
  readonly name: string;
  readonly params: readonly ParaParam[];
  readonly line: number;
}

/** A `<States>` block of lists combined by nested loops (`product`) or pairwise (`zip`). */
export interface ListBlock {
  readonly rule: 'product' | 'zip';
  readonly lists: readonly ParaList[];
  readonly line: number;
}

/** A `<States>` block holding named `<State>` elements: one state per `<State>`. */
export interface ExplicitBlock {
  readonly rule: 'explicit';
  readonly states: readonly ParaExplicitState[];
  readonly line: number;
}

export type StatesBlock = ListBlock | ExplicitBlock;

/** A parsed, validated para file. */
export interface ParaFile {
  /** The name errors use, e.g. `para.xml`. */
  readonly file: string;
  readonly defaults: readonly ParaParam[];
  /** The `<States>` blocks in document order. */
  readonly blocks: readonly StatesBlock[];
}

/** One expanded state: one job's parameters. */
export interface ParaState {
  /** 0-based, in expansion order (job ids ascend with it). */
  readonly index: number;
  /** E.g. `mach=0.7,alpha=2` or `cruise,mach=0.78`; `''` when nothing varies. */
  readonly label: string;
  /** The defaults overridden by the state's values; a plain object, one key per parameter. */
  readonly params: Record<string, string>;
}
