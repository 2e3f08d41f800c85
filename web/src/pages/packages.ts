import { fill, h, row, section, table } from '../ui/dom.js';
import { formatBytes, formatTime } from '../ui/format.js';
import { action, notice } from '../ui/notice.js';
import type { Page, PageContext } from '../ui/router.js';

/** Calc packages: the list with their steps, and the upload of a package's zip. */
export function packagesPage({ api }: PageContext): Page {
  const status = notice();
  const list = table(['id', 'name', 'version', 'steps', 'size', 'sha256', 'added']);
  const zip = h('input', { name: 'zip', type: 'file', accept: '.zip,application/zip', required: true });

  const load = async () => {
    const packages = await api.packages.list();
    fill(
      list.body,
      ...(packages.length === 0 ? [row(['No calc package yet: upload one below.'])] : []),
      ...packages.map((p) =>
        row(
          [
            p.id,
            h('strong', {}, p.name),
            p.version,
            h(
              'span',
              { class: 'steps' },
              ...[...p.steps]
                .sort((a, b) => a.priority - b.priority)
                .flatMap((s, i) => [
                  i === 0 ? '' : ' → ',
                  h('code', { title: `workpath ${s.workpath}, priority ${s.priority}` }, s.id),
                ]),
            ),
            formatBytes(p.size),
            h('code', { title: p.sha256 }, p.sha256.slice(0, 12)),
            formatTime(p.createdAt),
          ],
          { 'data-package': p.id },
        ),
      ),
    );
  };
  const upload = action(status, async (event) => {
    event.preventDefault();
    const file = zip.files?.[0];
    if (file === undefined) return status.info('Choose a zip first.');
    const added = await api.packages.upload(file);
    zip.value = '';
    status.info(`Registered calc package ${added.id}: ${added.name} ${added.version}.`);
    await load();
  });
  void load().catch((err: unknown) => status.error(err));

  return {
    element: h(
      'div',
      { class: 'page packages' },
      h('h1', {}, 'Calc packages'),
      status.element,
      section('All calc packages', list.table),
      section(
        'Upload a calc package',
        h(
          'form',
          { class: 'form', onsubmit: upload },
          h('label', {}, 'Zip of the package (adapter.xml, template/, bin/, hooks.mjs) ', zip),
          h('button', { type: 'submit' }, 'Upload and validate'),
        ),
      ),
    ),
  };
}
