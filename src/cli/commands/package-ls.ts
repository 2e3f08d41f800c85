import type { Command } from '../command.js';
import { table } from '../table.js';
import { withHub } from '../with-hub.js';

export const packageLs: Command = {
  name: 'package ls',
  usage: 'mirror package ls',
  summary: 'List registered calc packages.',
  async run({ config, out }) {
    const rows = await withHub(config, (hub) => hub.calcPackages.list());
    out(
      table(
        ['id', 'name', 'version', 'steps', 'sha256'],
        rows.map((p) => [
          p.id,
          p.name,
          p.version,
          p.info.adapter.steps.map((s) => s.id).join(','),
          p.sha256.slice(0, 12),
        ]),
      ),
    );
  },
};
