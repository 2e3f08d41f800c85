import { JOB_STATES } from '../../../src/job/states.js';
import type { HubApi, JobSelector } from '../api/hub.js';
import { h, select } from '../ui/dom.js';
import { positiveInt } from '../ui/format.js';

/** The jobs page's question: filters and order, as its URL holds them. */
export interface JobQuery extends JobSelector {
  readonly order: 'newest' | 'oldest';
}

/** The filters of the URL's query (`#/jobs?state=running&project=1`); unknown values are dropped. */
export function readJobQuery(query: URLSearchParams): JobQuery {
  const state = JOB_STATES.find((s) => s === query.get('state'));
  const label = query.get('label') ?? '';
  const id = (name: 'project' | 'package' | 'dispatch' | 'rid') => {
    const value = positiveInt(query.get(name));
    return value === undefined ? {} : { [name]: value };
  };
  return {
    ...(state !== undefined ? { state } : {}),
    ...id('project'),
    ...id('package'),
    ...id('dispatch'),
    ...id('rid'),
    ...(label !== '' ? { label } : {}),
    order: query.get('order') === 'oldest' ? 'oldest' : 'newest',
  };
}

/** The filter bar: state, project, calc package, dispatch, rid, label, order; `apply` gets the new query. */
export function jobFilters(api: HubApi, now: JobQuery, apply: (query: JobQuery) => void): HTMLElement {
  const state = select(
    { name: 'state' },
    [['', 'any state'], ...JOB_STATES.map((s): [string, string] => [s, s])],
    now.state,
  );
  const project = select({ name: 'project' }, [['', 'any project']], String(now.project ?? ''));
  const pkg = select({ name: 'package' }, [['', 'any calc package']], String(now.package ?? ''));
  const dispatch = h('input', { name: 'dispatch', inputmode: 'numeric', size: 6, value: now.dispatch ?? '' });
  const rid = h('input', { name: 'rid', inputmode: 'numeric', size: 4, value: now.rid ?? '' });
  const label = h('input', {
    name: 'label',
    size: 18,
    value: now.label ?? '',
    placeholder: 't_top=100,cells=32',
  });
  const order = select(
    { name: 'order' },
    [
      ['newest', 'newest first'],
      ['oldest', 'oldest first'],
    ],
    now.order,
  );

  // The choices of projects and packages arrive after the bar is shown.
  const addOptions = (el: HTMLSelectElement, options: [number, string][], chosen?: number) => {
    for (const [id, text] of options) el.append(h('option', { value: id, selected: id === chosen }, text));
  };
  void api.projects.list().then(
    (list) =>
      addOptions(
        project,
        list.map((p) => [p.id, `${p.id}: ${p.name}`]),
        now.project,
      ),
    () => {},
  );
  void api.packages.list().then(
    (list) =>
      addOptions(
        pkg,
        list.map((p) => [p.id, `${p.id}: ${p.name} ${p.version}`]),
        now.package,
      ),
    () => {},
  );

  const submit = (event: Event) => {
    event.preventDefault();
    apply(
      readJobQuery(
        new URLSearchParams({
          state: state.value,
          project: project.value,
          package: pkg.value,
          dispatch: dispatch.value,
          rid: rid.value,
          label: label.value.trim(),
          order: order.value,
        }),
      ),
    );
  };
  for (const el of [state, project, pkg, order])
    el.addEventListener('change', () => el.form?.requestSubmit());
  return h(
    'form',
    { class: 'filters', onsubmit: submit },
    state,
    project,
    pkg,
    h('label', {}, 'dispatch ', dispatch),
    h('label', {}, 'rid ', rid),
    h('label', {}, 'label ', label),
    order,
    h('button', { type: 'submit' }, 'Filter'),
    h('a', { href: '#/jobs', class: 'button-link' }, 'clear'),
  );
}
