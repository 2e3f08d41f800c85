import { fill, h, row, section, table } from '../ui/dom.js';
import { formatTime } from '../ui/format.js';
import { action, notice } from '../ui/notice.js';
import type { Page, PageContext } from '../ui/router.js';

/** Projects: the list, and a form that creates one with its files. */
export function projectsPage({ api }: PageContext): Page {
  const status = notice();
  const list = table(['id', 'name', 'created', 'updated']);
  const name = h('input', { name: 'name', required: true, placeholder: 'plate', autocomplete: 'off' });
  const files = h('input', { name: 'files', type: 'file', multiple: true });

  const load = async () => {
    const projects = await api.projects.list();
    fill(
      list.body,
      ...(projects.length === 0 ? [row(['No project yet: create one below.'])] : []),
      ...projects.map((p) =>
        row([
          p.id,
          h('a', { href: `#/projects/${p.id}` }, p.name),
          formatTime(p.createdAt),
          formatTime(p.updatedAt),
        ]),
      ),
    );
  };
  const create = action(status, async (event) => {
    event.preventDefault();
    const { project } = await api.projects.create(name.value.trim());
    const chosen = Array.from(files.files ?? []);
    if (chosen.length > 0) await api.projects.upload(project.id, chosen);
    location.hash = `#/projects/${project.id}`;
  });
  void load().catch((err: unknown) => status.error(err));

  return {
    element: h(
      'div',
      { class: 'page projects' },
      h('h1', {}, 'Projects'),
      status.element,
      section('All projects', list.table),
      section(
        'New project',
        h(
          'form',
          { class: 'form', onsubmit: create },
          h('label', {}, 'Name ', name),
          h('label', {}, 'Files (input files and para files) ', files),
          h('button', { type: 'submit' }, 'Create project'),
        ),
      ),
    ),
  };
}
