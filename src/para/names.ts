import { RESERVED_NAMES, isIdentifier } from '../core/index.js';
import { badAttribute, type XmlElement } from '../xml/index.js';

/**
 * The `name` attribute of a `<Param>`, checked to be a parameter name: an identifier,
 * not reserved. The element's shape must already have been checked.
 */
export function paramName(file: string, element: XmlElement): string {
  const name = element.attributes.get('name') ?? '';
  if (RESERVED_NAMES.has(name)) throw badAttribute(file, element, 'name', 'a reserved name');
  if (!isIdentifier(name)) {
    throw badAttribute(file, element, 'name', 'not an identifier (a letter or _, then letters, digits or _)');
  }
  return name;
}

/**
 * The `name` attribute of a `<State>`: any non-empty text without whitespace, "," or
 * "=", so that a label (`cruise,mach=0.78`) reads unambiguously.
 */
export function stateName(file: string, element: XmlElement): string {
  const name = element.attributes.get('name') ?? '';
  if (name === '') throw badAttribute(file, element, 'name', 'a state name cannot be empty');
  if (/[\s,=]/.test(name)) {
    throw badAttribute(file, element, 'name', 'a state name may not contain whitespace, "," or "="');
  }
  return name;
}

/** Splits a `values` attribute on XML whitespace, dropping empty pieces. */
export function splitValues(values: string): string[] {
  return values.split(/[ \t\r\n]+/).filter((value) => value !== '');
}
