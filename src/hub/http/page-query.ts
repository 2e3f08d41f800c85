/** Text made safe to stand inside an HTML attribute or element: `& < > " '` as entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The query a page's own asset URLs carry so that they pass the token check: `?token=…`
 * (percent-encoded, then HTML-escaped, so no value can close the attribute it stands
 * in), or '' when the page was opened without one.
 */
export function assetQuery(query: unknown): string {
  const token =
    typeof query === 'object' && query !== null && Object.hasOwn(query, 'token')
      ? (query as Record<string, unknown>)['token']
      : undefined;
  return typeof token === 'string' && token !== '' ? escapeHtml(`?token=${encodeURIComponent(token)}`) : '';
}
