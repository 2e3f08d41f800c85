/**
 * A record's own value for a key a caller or a file named, never one of the prototype's
 * (`toString`, `constructor`, `__proto__`): undefined when the record has no such key.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
