/** A query string of the defined values of `params`. */
export function queryOf(params: object): string {
  const pairs = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, string] => [k, String(v)]);
  return new URLSearchParams(pairs).toString();
}
