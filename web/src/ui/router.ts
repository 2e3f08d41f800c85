import type { HubApi } from '../api/hub.js';
import { fill, h } from './dom.js';

/** A page on screen: its element, and what to stop (event streams, timers) when leaving it. */
export interface Page {
  readonly element: HTMLElement;
  close?(): void;
}

/** What every page gets: the hub, the route's path parts and its query. */
export interface PageContext {
  readonly api: HubApi;
  /** The parts the route's pattern captured, e.g. the id in `#/jobs/7`. */
  readonly parts: readonly string[];
  readonly query: URLSearchParams;
}

export interface Route {
  /** The hash path it answers, e.g. `/^\/jobs\/(\d+)$/`. */
  readonly path: RegExp;
  /** The navigation entry it belongs to. */
  readonly nav: string;
  readonly open: (ctx: PageContext) => Page;
}

/** Navigation entries: `[nav name, hash, text]`. */
export type NavEntry = readonly [string, string, string];

/** A hash as a path and a query: `#/jobs?state=running` → `/jobs`, `state=running`. */
export function parseHash(hash: string): { path: string; query: URLSearchParams } {
  const text = hash.replace(/^#/, '') || '/';
  const at = text.indexOf('?');
  return at === -1
    ? { path: text, query: new URLSearchParams() }
    : { path: text.slice(0, at), query: new URLSearchParams(text.slice(at + 1)) };
}

/** A hash for a path and the defined values of a query. */
export function hashOf(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return `#${path}${text === '' ? '' : `?${text}`}`;
}

/**
 * Hash routing: shows the page of the current hash in `main`, closing the previous one,
 * and marks its entry in `nav`.
 */
export function startRouter(
  main: HTMLElement,
  nav: HTMLElement,
  entries: readonly NavEntry[],
  routes: readonly Route[],
  api: HubApi,
): void {
  const links = new Map(entries.map(([name, href, text]) => [name, h('a', { href }, text)]));
  fill(nav, ...links.values());
  let current: Page | undefined;
  const show = () => {
    current?.close?.();
    current = undefined;
    const { path, query } = parseHash(location.hash);
    for (const route of routes) {
      const match = route.path.exec(path);
      if (!match) continue;
      for (const [name, link] of links) link.classList.toggle('active', name === route.nav);
      current = route.open({ api, parts: match.slice(1), query });
      fill(main, current.element);
      return;
    }
    fill(main, h('section', { class: 'card' }, h('h2', {}, 'Not found'), h('p', {}, `No page at ${path}.`)));
  };
  window.addEventListener('hashchange', show);
  show();
}
