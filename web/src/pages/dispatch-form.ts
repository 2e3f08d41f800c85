import type { DispatchRequest, HubApi } from '../api/hub.js';
import { fill, h } from '../ui/dom.js';
import { action, notice } from '../ui/notice.js';
import { hashOf } from '../ui/router.js';

/** The dispatch of one project: choose a calc package and a para file, preview, confirm. */
export interface DispatchForm {
  readonly element: HTMLElement;
  setParaFiles(names: readonly string[]): void;
}

/**
 * Dispatching in two steps: "Preview" asks the hub how many jobs the choice makes (and
 * which parameters vary); only then does "Dispatch N jobs" make them.
 */
export function dispatchForm(api: HubApi, projectId: number): DispatchForm {
  const status = notice();
  const packageChoice = h('select', { name: 'package' });
  const paraChoice = h('select', { name: 'para' });
  const preview = h('div', { class: 'preview' });
  const outcome = h('div', { class: 'outcome' });

  const chosen = (): DispatchRequest => ({
    projectId,
    packageId: Number(packageChoice.value),
    paraName: paraChoice.value,
  });
  const forget = () => {
    preview.replaceChildren();
    status.clear();
  };
  packageChoice.addEventListener('change', forget);
  paraChoice.addEventListener('change', forget);

  const confirm = (request: DispatchRequest, jobs: number) =>
    action(status, async () => {
      const { jobIds } = await api.dispatch(request.projectId, request.packageId, request.paraName);
      preview.replaceChildren();
      const first = jobIds[0];
      const dispatchId = first === undefined ? undefined : (await api.jobs.get(first)).job.dispatchId;
      fill(
        outcome,
        h(
          'p',
          { class: 'dispatched', 'data-jobs': jobIds.length },
          `Dispatched ${jobIds.length} job${jobIds.length === 1 ? '' : 's'}`,
          jobs === jobIds.length ? '' : ` (the preview said ${jobs})`,
          '. ',
          dispatchId === undefined
            ? ''
            : h(
                'span',
                {},
                h('a', { href: hashOf('/jobs', { dispatch: dispatchId }) }, 'Watch its jobs'),
                ' · ',
                h('a', { href: `#/sweeps/${dispatchId}` }, 'Sweep results'),
              ),
        ),
      );
    });

  const ask = action(status, async (event) => {
    event.preventDefault();
    outcome.replaceChildren();
    if (packageChoice.value === '' || paraChoice.value === '') {
      return status.info('Choose a calc package and a para file.');
    }
    const request = chosen();
    const answer = await api.previewDispatch(request.projectId, request.packageId, request.paraName);
    fill(
      preview,
      h(
        'p',
        { class: 'job-count', 'data-jobs': answer.jobs },
        h('strong', {}, `${answer.jobs} job${answer.jobs === 1 ? '' : 's'}`),
        answer.parameters.length > 0 ? ` varying ${answer.parameters.join(', ')}` : ' (no parameter varies)',
      ),
      answer.labels.length > 0
        ? h(
            'ul',
            { class: 'labels' },
            ...answer.labels.map((label) => h('li', {}, h('code', {}, label))),
            answer.labels.length < answer.jobs ? h('li', { class: 'muted' }, '…') : null,
          )
        : null,
      h(
        'button',
        { type: 'button', class: 'primary', name: 'confirm', onclick: confirm(request, answer.jobs) },
        `Dispatch ${answer.jobs} job${answer.jobs === 1 ? '' : 's'}`,
      ),
    );
  });

  const loadPackages = async () => {
    const packages = await api.packages.list();
    const newest = packages.at(-1)?.id;
    fill(
      packageChoice,
      ...packages.map((p) =>
        h('option', { value: p.id, selected: p.id === newest }, `${p.id}: ${p.name} ${p.version}`),
      ),
    );
  };
  void loadPackages().catch((err: unknown) => status.error(err));

  return {
    element: h(
      'form',
      { class: 'form dispatch', onsubmit: ask },
      h('label', {}, 'Calc package ', packageChoice),
      h('label', {}, 'Para file ', paraChoice),
      h('button', { type: 'submit', name: 'preview' }, 'Preview'),
      status.element,
      preview,
      outcome,
    ),
    setParaFiles(names) {
      const keep = paraChoice.value || (names.includes('para.xml') ? 'para.xml' : (names[0] ?? ''));
      fill(paraChoice, ...names.map((n) => h('option', { value: n, selected: n === keep }, n)));
    },
  };
}
