import { mirrorError } from '../core/index.js';
import { checkShape, clip, parseXml, unknownElement, type XmlElement } from '../xml/index.js';
import { blockParams } from './blocks.js';
import { paramName } from './names.js';
import { checkUnique, parseStatesBlock } from './parse-states.js';
import type { ExplicitBlock, ParaFile, ParaParam, StatesBlock } from './types.js';

export interface ParseParaOptions {
  /** The name errors use for this file, e.g. `para.xml`. */
  readonly file: string;
  /** Refuse files larger than this many bytes. Default 16 MiB. */
  readonly maxBytes?: number;
}

/** The default `maxBytes`: 16 MiB (DESIGN.md, "Limits and refusals"). */
export const DEFAULT_PARA_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Parses and validates an untrusted para file: root `<Para>` holding default
 * `<Param name value/>`s and `<States>` blocks, in any order. Every refusal names the
 * file, the line and the bad value; a file that parses expands without error unless it
 * makes more states than allowed.
 */
export function parsePara(source: Uint8Array | string, options: ParseParaOptions): ParaFile {
  const { file } = options;
  const root = parseXml(source, { file, maxBytes: options.maxBytes ?? DEFAULT_PARA_MAX_BYTES });
  if (root.name !== 'Para') {
    throw mirrorError('XML_ROOT', { file, line: root.line, element: clip(root.name), expected: 'Para' });
  }
  checkShape(file, root, {});
  const defaults: ParaParam[] = [];
  const defaultLines = new Map<string, number>();
  const blocks: StatesBlock[] = [];
  const variedBy = new Map<string, number>();
  for (const child of root.children) {
    if (child.name === 'Param') {
      const param = defaultParam(file, child);
      checkUnique(file, defaultLines, param.name, param.line, 'the defaults');
      defaults.push(param);
    } else if (child.name === 'States') {
      const block = parseStatesBlock(file, child);
      checkVariedOnce(file, block, variedBy);
      blocks.push(block);
    } else {
      throw unknownElement(file, child, 'Para');
    }
  }
  // Defaults may follow the blocks, so this check waits for the whole file.
  for (const block of blocks) if (block.rule === 'explicit') checkStatesComplete(file, block, defaultLines);
  return { file, defaults, blocks };
}

/** A default: `<Param name value/>` directly under `<Para>`; the value kept verbatim. */
function defaultParam(file: string, element: XmlElement): ParaParam {
  checkShape(file, element, { required: ['name', 'value'] });
  return { name: paramName(file, element), value: element.attributes.get('value') ?? '', line: element.line };
}

/** Refuses a parameter that a previous block already varies; records this block's. */
function checkVariedOnce(file: string, block: StatesBlock, variedBy: Map<string, number>): void {
  for (const { name, line } of blockParams(block)) {
    const first = variedBy.get(name);
    if (first !== undefined) throw mirrorError('PARA_VARIED_TWICE', { file, line, name, first });
  }
  for (const { name } of blockParams(block)) variedBy.set(name, block.line);
}

/**
 * Refuses a `<State>` that leaves out a parameter its siblings set when that parameter
 * has no default: every job of a dispatch gets the same parameter names.
 */
function checkStatesComplete(
  file: string,
  block: ExplicitBlock,
  defaults: ReadonlyMap<string, number>,
): void {
  const required = blockParams(block)
    .map(({ name }) => name)
    .filter((name) => !defaults.has(name));
  const requiredSet = new Set(required);
  for (const state of block.states) {
    // Counting keeps this linear in the file; only a failing State pays for the search.
    const count = state.params.filter(({ name }) => requiredSet.has(name)).length;
    if (count === required.length) continue;
    const set = new Set(state.params.map(({ name }) => name));
    const name = required.find((candidate) => !set.has(candidate)) ?? '';
    throw mirrorError('PARA_STATE_MISSING', { file, line: state.line, state: clip(state.name), name });
  }
}
