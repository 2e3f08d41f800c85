import { relativePathProblem } from '../archive/index.js';
import { isIdentifier, RESERVED_NAMES } from '../core/index.js';
import {
  badAttribute,
  checkShape,
  unknownElement,
  type ElementShape,
  type XmlElement,
} from '../xml/index.js';
import { parsePlaceholders } from './placeholder-syntax.js';
import { runPathProblem, type MirrorAccess } from './run-path.js';

/** Reads the attributes of one adapter element, each checked, errors naming file and line. */
export class AttributeReader {
  constructor(
    readonly file: string,
    readonly element: XmlElement,
  ) {}

  /** Checks the element's attributes and that it has no text and no child elements. */
  static leaf(file: string, element: XmlElement, shape: ElementShape): AttributeReader {
    checkShape(file, element, shape);
    const child = element.children[0];
    if (child !== undefined) throw unknownElement(file, child, element.name);
    return new AttributeReader(file, element);
  }

  /** The attribute's value, or undefined when absent. */
  optional(name: string): string | undefined {
    return this.element.attributes.get(name);
  }

  /** The value of an attribute `checkShape` has made sure is present. */
  required(name: string): string {
    return this.optional(name) ?? '';
  }

  fail(name: string, reason: string): Error {
    return badAttribute(this.file, this.element, name, reason);
  }

  /** An identifier (`[A-Za-z_][A-Za-z0-9_]*`, not a reserved name). */
  identifier(name: string): string {
    const value = this.required(name);
    if (RESERVED_NAMES.has(value)) throw this.fail(name, 'is a reserved name');
    if (!isIdentifier(value)) throw this.fail(name, 'not an identifier ([A-Za-z_][A-Za-z0-9_]*)');
    return value;
  }

  /** `"0"` or `"1"`, false when absent. */
  flag(name: string): boolean {
    const value = this.optional(name);
    if (value === undefined || value === '0') return false;
    if (value === '1') return true;
    throw this.fail(name, 'must be "0" or "1"');
  }

  /** A decimal number, e.g. `2`, `-1`, `2.5`. */
  decimal(name: string): number {
    const value = this.required(name);
    if (!/^[+-]?\d+(\.\d+)?$/.test(value)) throw this.fail(name, 'not a number');
    return Number(value);
  }

  /**
   * A path relative to the run directory (or, with `base`, to something else), under
   * the Names rules and out of `.mirror/` but as `access` allows. With `placeholders`,
   * `{name}` placeholders may stand in it and any other brace is refused; without,
   * a placeholder is refused. `root` accepts `.`, the run directory itself.
   */
  path(name: string, rule: PathRule): string {
    const value = this.required(name);
    this.checkPlaceholders(name, value, rule.placeholders);
    const problem =
      rule.base === undefined
        ? runPathProblem(value, rule.access ?? 'none', rule.root ?? false)
        : relativePathProblem(value.normalize('NFC'), rule.base);
    if (problem !== undefined) throw this.fail(name, problem);
    return value.normalize('NFC');
  }

  /** Refuses reserved names and, where `strict`, braces that are not placeholders. */
  checkPlaceholders(name: string, value: string, allowed: boolean, strict = true): void {
    for (const piece of parsePlaceholders(value)) {
      if (piece.kind === 'placeholder') {
        if (!allowed) throw this.fail(name, 'placeholders are not allowed here');
        if (RESERVED_NAMES.has(piece.name))
          throw this.fail(name, `placeholder ${piece.raw} uses a reserved name`);
      } else if (strict && allowed && /[{}]/.test(piece.raw)) {
        throw this.fail(name, 'a brace that is not part of a placeholder {name}');
      }
    }
  }
}

export interface PathRule {
  readonly placeholders: boolean;
  readonly access?: MirrorAccess;
  readonly root?: boolean;
  /** Checked as a relative path under this (e.g. `template/`), not as a run path. */
  readonly base?: string;
}

/**
 * Values that must be unique across elements (step ids, item keys, template targets):
 * the second use is an error naming the first one's line.
 */
export class UniqueValues {
  private readonly seen = new Map<string, number>();

  constructor(private readonly what: string) {}

  claim(reader: AttributeReader, attribute: string, value: string): void {
    const first = this.seen.get(value);
    if (first !== undefined) throw reader.fail(attribute, `duplicate ${this.what} (first on line ${first})`);
    this.seen.set(value, reader.element.line);
  }
}
