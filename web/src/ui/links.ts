import type { HubApi, JobState } from '../api/hub.js';
import { h } from './dom.js';

/** A link to one job's page. */
export function jobLink(id: number): HTMLAnchorElement {
  return h('a', { href: `#/jobs/${id}` }, `job ${id}`);
}

/** A job's state as a coloured badge. */
export function stateBadge(state: JobState): HTMLElement {
  return h('span', { class: `badge state-${state}`, 'data-state': state }, state);
}

/** True when a value of jobgetdata is the URL of a file (served under `/files/`). */
export function isFileUrl(value: string): boolean {
  return /^https?:\/\/[^/]+\/files\//.test(value) || value.startsWith('/files/');
}

/**
 * A file URL that jobgetdata answered, as a link on this page's hub (any hub serves
 * `/files/`), with the token: the hub's own address may not be the one the browser sees.
 */
export function fileLink(api: HubApi, url: string, text: string): HTMLAnchorElement {
  const parsed = new URL(url, location.href);
  return h('a', { href: api.link(parsed.pathname + parsed.search), target: '_blank', rel: 'noopener' }, text);
}
