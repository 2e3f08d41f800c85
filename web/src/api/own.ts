/** A record's own value for a key, never the prototype's (a parameter named `toString`). */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;
