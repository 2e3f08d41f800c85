import type { ProjectFile } from '../api/hub.js';
import { fill, h, row, section, table } from '../ui/dom.js';
import { formatBytes, formatTime } from '../ui/format.js';
import { action, notice } from '../ui/notice.js';
import type { Page, PageContext } from '../ui/router.js';
import { dispatchForm } from './dispatch-form.js';

/** A para file is an XML file of the project; dispatch names one. */
export const isParaFile = (name: string): boolean => /\.xml$/i.test(name);

/** One project: its files and para files, an upload form, and dispatch. */
export function projectPage({ api, parts }: PageContext): Page {
  const id = Number(parts[0]);
  const status = notice();
  const title = h('h1', {}, `Project ${id}`);
  const files = table(['name', 'size', 'sha256', 'updated', '']);
  const upload = h('input', { name: 'upload', type: 'file', multiple: true });
  const dispatch = dispatchForm(api, id);

  const load = async () => {
    const { project, files: list } = await api.projects.get(id);
    title.textContent = `Project ${project.id}: ${project.name}`;
    fill(files.body, ...list.map((f) => fileRow(f)));
    if (list.length === 0) files.body.append(row(['No files yet.']));
    dispatch.setParaFiles(list.map((f) => f.name).filter(isParaFile));
  };
  const fileRow = (f: ProjectFile) =>
    row([
      h('a', { href: api.projects.fileLink(id, f.name), download: f.name }, f.name),
      formatBytes(f.size),
      h('code', { title: f.sha256 }, f.sha256.slice(0, 12)),
      formatTime(f.updatedAt),
      isParaFile(f.name) ? h('span', { class: 'badge para' }, 'para file') : '',
    ]);
  const send = action(status, async (event) => {
    event.preventDefault();
    const chosen = Array.from(upload.files ?? []);
    if (chosen.length === 0) return status.info('Choose files first.');
    const stored = await api.projects.upload(id, chosen);
    upload.value = '';
    status.info(`Uploaded ${stored.map((f) => f.name).join(', ')}.`);
    await load();
  });
  void load().catch((err: unknown) => status.error(err));

  return {
    element: h(
      'div',
      { class: 'page project' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, 'Projects'), ' / ', `project ${id}`),
      title,
      status.element,
      section('Files', files.table),
      section(
        'Upload files',
        h(
          'form',
          { class: 'form', onsubmit: send },
          h('label', {}, 'Files ', upload),
          h('button', { type: 'submit' }, 'Upload'),
          h('span', { class: 'muted' }, ' A file of the same name is replaced.'),
        ),
      ),
      section('Dispatch', dispatch.element),
    ),
  };
}
