import { fill, h, row, section, table } from '../ui/dom.js';
import { formatTime, positiveInt } from '../ui/format.js';
import { notice } from '../ui/notice.js';
import { hashOf, type Page, type PageContext } from '../ui/router.js';

const SHOWN = 100;

/** Sweeps: the latest dispatches (of one project, with `?project=`), each leading to its results. */
export function sweepsPage({ api, query }: PageContext): Page {
  const project = positiveInt(query.get('project'));
  const status = notice();
  const list = table(['dispatch', 'project', 'calc package', 'para file', 'jobs', 'dispatched', '']);

  const load = async () => {
    const dispatches = await api.dispatches.list({ ...(project ? { project } : {}), limit: SHOWN });
    fill(
      list.body,
      ...(dispatches.length === 0 ? [row(['No dispatch yet: dispatch a project from its page.'])] : []),
      ...dispatches.map((d) =>
        row(
          [
            h('a', { href: `#/sweeps/${d.id}` }, `sweep ${d.id}`),
            h('a', { href: `#/projects/${d.projectId}` }, `project ${d.projectId}`),
            `package ${d.packageId}`,
            h('code', {}, d.paraName),
            d.jobCount,
            formatTime(d.createdAt),
            h('a', { href: hashOf('/jobs', { dispatch: d.id }) }, 'jobs'),
          ],
          { 'data-dispatch': d.id },
        ),
      ),
    );
  };
  void load().catch((err: unknown) => status.error(err));

  return {
    element: h(
      'div',
      { class: 'page sweeps' },
      h('h1', {}, project ? `Sweeps of project ${project}` : 'Sweeps'),
      status.element,
      section(`The latest ${SHOWN} dispatches, newest first`, list.table),
    ),
  };
}
