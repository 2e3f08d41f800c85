const KEY = 'mirror.token';

/**
 * The hub's token for this tab: the page's `?token=` (kept in sessionStorage), else the
 * one kept earlier in this tab; '' when there is none.
 */
export function pageToken(): string {
  const given = new URLSearchParams(location.search).get('token');
  try {
    if (given !== null && given !== '') sessionStorage.setItem(KEY, given);
    return given ?? sessionStorage.getItem(KEY) ?? '';
  } catch {
    return given ?? ''; // storage refused (a private window's settings): the URL's token only
  }
}
