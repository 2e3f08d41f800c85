import type { XmlElement } from '../xml/index.js';
import { AttributeReader } from './adapter-attributes.js';
import { patternProblem } from './adapter-pattern.js';
import { parsePlaceholders } from './placeholder-syntax.js';
import { placeholdersOf } from './placeholders.js';
import { shellPlaceholderProblem } from './shell-quote.js';
import { RESOURCE_ATTRIBUTES, resourceProblem, type ResourceAttribute } from './step-resources.js';
import type { FileRule, Item, OutputItem, ProgressRule, Step, TemplateRule } from './types.js';

/** Longest step timeout, in seconds: what a Node timer can hold (2^31 - 1 ms). */
export const MAX_TIMEOUT_SECONDS = 2_147_483;

/** Step ids that would be ambiguous in `jobrun.do(step=...)`. */
const RESERVED_STEP_IDS = new Set(['all']);

/** `<ExeArgument id type value workpath priority premethod postmethod timeout cores nodes memory walltime>`. */
export function readStep(file: string, element: XmlElement): Step {
  const r = AttributeReader.leaf(file, element, {
    required: ['id', 'type', 'value', 'priority'],
    optional: ['workpath', 'premethod', 'postmethod', 'timeout', ...RESOURCE_ATTRIBUTES],
  });
  const id = r.identifier('id');
  if (RESERVED_STEP_IDS.has(id))
    throw r.fail('id', `"${id}" is reserved (jobrun step="all" runs every step)`);
  if (r.required('type') !== 'shell') throw r.fail('type', 'only "shell" is supported');
  const value = r.required('value');
  if (value.trim() === '') throw r.fail('value', 'a step needs a command');
  r.checkPlaceholders('value', value, true, false);
  const quoting = shellPlaceholderProblem(parsePlaceholders(value));
  if (quoting !== undefined) throw r.fail('value', quoting);
  const workpathText = r.optional('workpath');
  const workpath =
    workpathText === undefined || workpathText === '' || workpathText === '.'
      ? '.'
      : r.path('workpath', { placeholders: false, root: true });
  const priority = r.decimal('priority');
  const step: Step = { id, type: 'shell', value, workpath, priority, line: element.line };
  return {
    ...step,
    ...optionalHook(r, 'premethod'),
    ...optionalHook(r, 'postmethod'),
    ...optionalTimeout(r),
    ...optionalResources(r),
  };
}

/**
 * The resource attributes given: placeholders allowed; a value without any is checked
 * now, one with placeholders once rendered (at dispatch, for each state).
 */
function optionalResources(r: AttributeReader): Partial<Step> {
  const resources: Partial<Record<ResourceAttribute, string>> = {};
  for (const name of RESOURCE_ATTRIBUTES) {
    const value = r.optional(name);
    if (value === undefined) continue;
    r.checkPlaceholders(name, value, true);
    if (placeholdersOf(value).length === 0) {
      const problem = resourceProblem(name, value);
      if (problem !== undefined) throw r.fail(name, problem);
    }
    resources[name] = value;
  }
  return Object.keys(resources).length === 0 ? {} : { resources };
}

function optionalHook(r: AttributeReader, name: 'premethod' | 'postmethod'): Partial<Step> {
  return r.optional(name) === undefined ? {} : { [name]: r.identifier(name) };
}

function optionalTimeout(r: AttributeReader): Partial<Step> {
  const text = r.optional('timeout');
  if (text === undefined) return {};
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) {
    throw r.fail('timeout', 'not a positive number of seconds');
  }
  const seconds = Number(text);
  if (seconds > MAX_TIMEOUT_SECONDS)
    throw r.fail('timeout', `over the limit of ${MAX_TIMEOUT_SECONDS} seconds`);
  return { timeoutMs: Math.max(1, Math.round(seconds * 1000)) };
}

/** `<File name target create unzip>`: a project file copied into the run directory. */
export function readFileRule(file: string, element: XmlElement): FileRule {
  const r = AttributeReader.leaf(file, element, {
    required: ['name', 'target'],
    optional: ['create', 'unzip'],
  });
  const name = r.path('name', { placeholders: true, base: 'the project' });
  const create = r.flag('create');
  const unzip = r.flag('unzip');
  const target = r.path('target', { placeholders: true, root: unzip });
  return { name, target, create, unzip, line: element.line };
}

/** `<Template src target>`: `template/<src>` rendered to `target`. */
export function readTemplate(file: string, element: XmlElement): TemplateRule {
  const r = AttributeReader.leaf(file, element, { required: ['src', 'target'] });
  const src = r.path('src', { placeholders: false, base: 'template/' });
  const target = r.path('target', { placeholders: true });
  return { src, target, line: element.line };
}

/** `<Progress file pattern all>`. */
export function readProgress(file: string, element: XmlElement): ProgressRule {
  const r = AttributeReader.leaf(file, element, { required: ['file', 'pattern'], optional: ['all'] });
  const path = r.path('file', { placeholders: false, access: 'logs' });
  const all = r.optional('all');
  if (all !== undefined) {
    r.checkPlaceholders('all', all, true);
    if (!/^\d+$/.test(all) && !parsePlaceholders(all).some((p) => p.kind === 'placeholder')) {
      throw r.fail('all', 'must be a whole number or placeholders');
    }
  }
  const pattern = r.required('pattern');
  const problem =
    all === undefined
      ? patternProblem(pattern, 2, 'needs 2 capture groups (current and total) or an "all" attribute')
      : patternProblem(pattern, 1, 'needs a capture group (the current step)');
  if (problem !== undefined) throw r.fail('pattern', problem);
  return { file: path, pattern, ...(all === undefined ? {} : { all }), line: element.line };
}

/** Item keys that would collide with progress in `jobgetdata`'s `process`. */
const RESERVED_KEYS = new Set(['currentstep', 'allstep']);

/** `<Process key file>` or `<Result key file>`. */
export function readItem(file: string, element: XmlElement): Item {
  const r = AttributeReader.leaf(file, element, { required: ['key', 'file'] });
  return itemOf(r);
}

/** `<Output key file pattern>`. */
export function readOutput(file: string, element: XmlElement): OutputItem {
  const r = AttributeReader.leaf(file, element, { required: ['key', 'file', 'pattern'] });
  const item = itemOf(r);
  const pattern = r.required('pattern');
  const problem = patternProblem(pattern, 1, 'needs a capture group (the value)');
  if (problem !== undefined) throw r.fail('pattern', problem);
  return { ...item, pattern };
}

function itemOf(r: AttributeReader): Item {
  const key = r.identifier('key');
  if (RESERVED_KEYS.has(key)) throw r.fail('key', 'is reserved for progress');
  const path = r.path('file', { placeholders: true, access: 'logs' });
  return { key, file: path, line: r.element.line };
}
