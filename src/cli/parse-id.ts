import { UsageError } from './command.js';

/** A positive integer id from the command line, or a usage error naming it. */
export function parseId(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d{1,10}$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(value ?? '')}`);
  }
  return Number(value);
}
