/** A query string of the defined, non-empty values of `params` (without its `?`). */
export function queryOf(params: object): string {
  const pairs = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]): [string, string] => [k, String(v)]);
  return new URLSearchParams(pairs).toString();
}

/** `path` with the query string of `params`, if it has any. */
export function withQuery(path: string, params: object): string {
  const text = queryOf(params);
  return text === '' ? path : `${path}?${text}`;
}
