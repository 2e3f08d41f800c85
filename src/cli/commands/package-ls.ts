import type { Command } from '../command.js';
import { table } from '../table.js';
import { withClient } from '../with-client.js';

export const packageLs: Command = {
  name: 'package ls',
  usage: 'mirror package ls',
  summary: 'List registered calc packages.',
  async run({ config, embedded, out }) {
    const rows = await withClient(config, embedded, (client) => client.packages.list());
    out(
      table(
        ['id', 'name', 'version', 'steps', 'sha256'],
        rows.map((p) => [p.id, p.name, p.version, p.steps.map((s) => s.id).join(','), p.sha256.slice(0, 12)]),
      ),
    );
  },
};
