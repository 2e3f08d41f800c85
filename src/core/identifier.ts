/** Names that can never be parameter names: they would reach into JavaScript objects' machinery. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True for a parameter name: `[A-Za-z_][A-Za-z0-9_]*`, not reserved. */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED_NAMES.has(name);
}
