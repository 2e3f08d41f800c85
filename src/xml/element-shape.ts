import { mirrorError } from '../core/index.js';
import type { XmlElement } from './parse-xml.js';

/** What an element may carry: its required and optional attributes. */
export interface ElementShape {
  readonly required?: readonly string[];
  readonly optional?: readonly string[];
}

/**
 * Checks an element's attributes against its shape and that it holds no text:
 * an unknown attribute, a missing one, or stray text is an error naming the line.
 */
export function checkShape(file: string, element: XmlElement, shape: ElementShape): void {
  const required = shape.required ?? [];
  const optional = shape.optional ?? [];
  for (const name of element.attributes.keys()) {
    if (!required.includes(name) && !optional.includes(name)) {
      throw mirrorError('XML_UNKNOWN_ATTRIBUTE', {
        file,
        line: element.line,
        attribute: name,
        element: element.name,
      });
    }
  }
  for (const name of required) {
    if (!element.attributes.has(name)) {
      throw mirrorError('XML_MISSING_ATTRIBUTE', {
        file,
        line: element.line,
        element: element.name,
        attribute: name,
      });
    }
  }
  const text = element.text.trim();
  if (text !== '') {
    throw mirrorError('XML_TEXT', { file, line: element.line, text: clip(text), element: element.name });
  }
}

/** The error for an element that may not stand where it does. */
export function unknownElement(file: string, element: XmlElement, parent: string): Error {
  return mirrorError('XML_UNKNOWN_ELEMENT', { file, line: element.line, element: element.name, parent });
}

/** The error for an attribute whose value is wrong, saying why. */
export function badAttribute(file: string, element: XmlElement, attribute: string, reason: string): Error {
  const value = clip(element.attributes.get(attribute) ?? '');
  return mirrorError('XML_BAD_ATTRIBUTE', {
    file,
    line: element.line,
    element: element.name,
    attribute,
    value,
    reason,
  });
}

/** Shortens a value quoted in a message to at most 80 characters. */
export function clip(value: string, max = 80): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}
