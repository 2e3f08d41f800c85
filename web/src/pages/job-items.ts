import type { HubApi, JobData } from '../api/hub.js';
import { fill, h, row, table } from '../ui/dom.js';
import { fileLink, isFileUrl } from '../ui/links.js';

/**
 * A section of a job's data (process or result) in two parts: its files as links (on
 * this hub, with the token) and its scalars (Output values, progress) as a table.
 */
export function jobItems(api: HubApi, items: JobData['process'], what: 'process' | 'result'): HTMLElement {
  const entries = Object.entries(items).sort(([a], [b]) => a.localeCompare(b));
  const files = entries.filter(([, v]) => isFileUrl(v));
  const scalars = entries.filter(([, v]) => !isFileUrl(v));
  const values = table(['key', 'value'], [], { class: `scalars ${what}` });
  fill(values.body, ...scalars.map(([k, v]) => row([h('code', {}, k), h('span', { 'data-key': k }, v)])));
  return h(
    'div',
    { class: `items ${what}` },
    files.length === 0
      ? null
      : h(
          'ul',
          { class: 'files' },
          ...files.map(([key, url]) => h('li', { 'data-key': key }, fileLink(api, url, key))),
        ),
    scalars.length === 0 ? null : values.table,
    entries.length === 0
      ? h('p', { class: 'muted' }, what === 'result' ? 'No results recovered yet.' : 'None yet.')
      : null,
  );
}
