import { mirrorError } from '../core/index.js';
import { badAttribute, checkShape, clip, unknownElement, type XmlElement } from '../xml/index.js';
import { paramName, splitValues, stateName } from './names.js';
import type {
  ExplicitBlock,
  ListBlock,
  ParaExplicitState,
  ParaList,
  ParaParam,
  StatesBlock,
} from './types.js';

/**
 * Parses one `<States>` element. Its children decide its kind: `<Param values>` lists
 * under `rule="product"` (the default) or `rule="zip"`, or `<State>` elements making an
 * explicit list (which takes no `rule`). Checks that need the whole file (a parameter
 * varied by two blocks, States without a default) are the caller's.
 */
export function parseStatesBlock(file: string, element: XmlElement): StatesBlock {
  checkShape(file, element, { optional: ['rule'] });
  const rule = element.attributes.get('rule');
  if (rule !== undefined && rule !== 'product' && rule !== 'zip') {
    throw badAttribute(file, element, 'rule', 'expected "product" or "zip"');
  }
  const first = element.children[0];
  if (first === undefined) throw mirrorError('PARA_EMPTY_STATES', { file, line: element.line });
  for (const child of element.children) {
    if (child.name !== 'Param' && child.name !== 'State') throw unknownElement(file, child, 'States');
    if (child.name !== first.name) {
      throw mirrorError('PARA_MIXED_STATES', {
        file,
        line: child.line,
        element: child.name,
        other: first.name,
        first: first.line,
      });
    }
  }
  if (first.name === 'Param') return listBlock(file, element, rule === 'zip' ? 'zip' : 'product');
  if (rule !== undefined) throw mirrorError('PARA_RULE_ON_STATES', { file, line: element.line, rule });
  return explicitBlock(file, element);
}

/** A product or zip block: each `<Param name values>` once, zip lists of equal length. */
function listBlock(file: string, element: XmlElement, rule: 'product' | 'zip'): ListBlock {
  const lists: ParaList[] = [];
  const lines = new Map<string, number>();
  const where = `the <States> on line ${element.line}`;
  for (const child of element.children) {
    checkShape(file, child, { required: ['name', 'values'] });
    const name = paramName(file, child);
    checkUnique(file, lines, name, child.line, where);
    const values = splitValues(child.attributes.get('values') ?? '');
    if (values.length === 0) throw mirrorError('PARA_EMPTY_VALUES', { file, line: child.line, name });
    if (rule === 'product') checkDistinct(file, name, values, child.line);
    const head = lists[0];
    if (rule === 'zip' && head !== undefined && head.values.length !== values.length) {
      throw mirrorError('PARA_ZIP_LENGTHS', {
        file,
        line: child.line,
        name,
        count: values.length,
        first: head.name,
        firstCount: head.values.length,
      });
    }
    lists.push({ name, values, line: child.line });
  }
  return { rule, lists, line: element.line };
}

/** An explicit block: `<State name>` elements, names unique, each holding `<Param name value>`s. */
function explicitBlock(file: string, element: XmlElement): ExplicitBlock {
  const states: ParaExplicitState[] = [];
  const lines = new Map<string, number>();
  for (const child of element.children) {
    checkShape(file, child, { required: ['name'] });
    const name = stateName(file, child);
    const first = lines.get(name);
    if (first !== undefined) {
      throw mirrorError('PARA_DUPLICATE_STATE', { file, line: child.line, name: clip(name), first });
    }
    lines.set(name, child.line);
    states.push({ name, params: stateParams(file, child, name), line: child.line });
  }
  return { rule: 'explicit', states, line: element.line };
}

/** The `<Param name value>` children of one `<State>`, each name once. */
function stateParams(file: string, element: XmlElement, state: string): ParaParam[] {
  const params: ParaParam[] = [];
  const lines = new Map<string, number>();
  for (const child of element.children) {
    if (child.name !== 'Param') throw unknownElement(file, child, 'State');
    checkShape(file, child, { required: ['name', 'value'] });
    const name = paramName(file, child);
    checkUnique(file, lines, name, child.line, `<State> "${clip(state)}"`);
    params.push({ name, value: child.attributes.get('value') ?? '', line: child.line });
  }
  return params;
}

/**
 * Refuses a parameter named a second time in one place (`where` names the place), else
 * records it in `lines` (name to the line it was first named on).
 */
export function checkUnique(
  file: string,
  lines: Map<string, number>,
  name: string,
  line: number,
  where: string,
): void {
  const first = lines.get(name);
  if (first !== undefined) throw mirrorError('PARA_DUPLICATE_PARAM', { file, line, name, where, first });
  lines.set(name, line);
}

/** Refuses a product list naming the same value twice: it would only repeat jobs. */
function checkDistinct(file: string, name: string, values: readonly string[], line: number): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw mirrorError('PARA_DUPLICATE_VALUE', { file, line, name, value: clip(value) });
    seen.add(value);
  }
}
