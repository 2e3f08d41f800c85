import { displayNameProblem } from '../archive/index.js';
import { mirrorError } from '../core/index.js';
import { checkShape, parseXml, unknownElement, type XmlElement } from '../xml/index.js';
import { AttributeReader, UniqueValues } from './adapter-attributes.js';
import {
  readFileRule,
  readItem,
  readOutput,
  readProgress,
  readStep,
  readTemplate,
} from './adapter-elements.js';
import type { Adapter, FileRule, Item, OutputItem, ProgressRule, Step, TemplateRule } from './types.js';

export interface ParseAdapterOptions {
  /** The name errors use. Default `adapter.xml`. */
  readonly file?: string;
  /** Refuse a larger document. Default 1 MiB. */
  readonly maxBytes?: number;
}

export const DEFAULT_ADAPTER_MAX_BYTES = 1024 * 1024;

/**
 * Parses and validates an `adapter.xml` (untrusted XML: no DOCTYPE, entities, XInclude).
 * Every element and attribute of DESIGN.md is known; anything else, and every bad
 * value, is an error naming the file and line. Checks: step ids unique identifiers,
 * item keys unique across process, result and output; at most one `<Progress>`;
 * patterns RE2-compatible with enough groups; every path relative, inside the run
 * directory and out of `.mirror/`; placeholders only where DESIGN.md allows them.
 * Steps come back in the order they run (ascending priority, ties in document order).
 */
export function parseAdapter(source: Uint8Array | string, options: ParseAdapterOptions = {}): Adapter {
  const file = options.file ?? 'adapter.xml';
  const root = parseXml(source, { file, maxBytes: options.maxBytes ?? DEFAULT_ADAPTER_MAX_BYTES });
  if (root.name !== 'Adapter') {
    throw mirrorError('XML_ROOT', { file, line: root.line, element: root.name, expected: 'Adapter' });
  }
  checkShape(file, root, { required: ['name', 'version'] });
  const header = new AttributeReader(file, root);
  const name = label(header, 'name');
  const version = label(header, 'version');

  const parts = readChildren(file, root);
  if (parts.steps.length === 0) throw mirrorError('ADAPTER_NO_STEPS', { file, line: root.line });
  const steps = parts.steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.priority - b.step.priority || a.index - b.index)
    .map(({ step }) => step);
  return {
    name,
    version,
    steps,
    files: parts.files,
    templates: parts.templates,
    ...(parts.progress === undefined ? {} : { progress: parts.progress }),
    process: parts.process,
    results: parts.results,
    outputs: parts.outputs,
  };
}

interface Parts {
  steps: Step[];
  files: FileRule[];
  templates: TemplateRule[];
  progress?: ProgressRule;
  process: Item[];
  results: Item[];
  outputs: OutputItem[];
}

/** Reads `<Adapter>`'s children in document order, checking cross-element uniqueness. */
function readChildren(file: string, root: XmlElement): Parts {
  const parts: Parts = { steps: [], files: [], templates: [], process: [], results: [], outputs: [] };
  const stepIds = new UniqueValues('step id');
  const keys = new UniqueValues('item key');
  const targets = new UniqueValues('template target');
  const claim = (unique: UniqueValues, element: XmlElement, attribute: string, value: string): void =>
    unique.claim(new AttributeReader(file, element), attribute, value);
  for (const element of root.children) {
    switch (element.name) {
      case 'ExeArgument': {
        const step = readStep(file, element);
        claim(stepIds, element, 'id', step.id);
        parts.steps.push(step);
        break;
      }
      case 'File':
        parts.files.push(readFileRule(file, element));
        break;
      case 'Template': {
        const template = readTemplate(file, element);
        claim(targets, element, 'target', template.target);
        parts.templates.push(template);
        break;
      }
      case 'Progress':
        if (parts.progress !== undefined) {
          const first = parts.progress.line;
          throw mirrorError('ADAPTER_REPEATED', { file, line: element.line, element: 'Progress', first });
        }
        parts.progress = readProgress(file, element);
        break;
      case 'Process':
      case 'Result': {
        const item = readItem(file, element);
        claim(keys, element, 'key', item.key);
        (element.name === 'Process' ? parts.process : parts.results).push(item);
        break;
      }
      case 'Output': {
        const output = readOutput(file, element);
        claim(keys, element, 'key', output.key);
        parts.outputs.push(output);
        break;
      }
      default:
        throw unknownElement(file, element, 'Adapter');
    }
  }
  return parts;
}

/** The adapter's name or version: a display name (1–200 characters, nothing hidden). */
function label(r: AttributeReader, name: string): string {
  const value = r.required(name);
  const problem = displayNameProblem(value);
  if (problem !== undefined) throw r.fail(name, problem);
  return value;
}
