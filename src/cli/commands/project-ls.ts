import type { Command } from '../command.js';
import { table } from '../table.js';
import { withClient } from '../with-client.js';

export const projectLs: Command = {
  name: 'project ls',
  usage: 'mirror project ls',
  summary: 'List projects.',
  async run({ config, embedded, out }) {
    const rows = await withClient(config, embedded, (client) => client.projects.list());
    out(
      table(
        ['id', 'name', 'created'],
        rows.map((p) => [p.id, p.name, new Date(p.createdAt).toISOString()]),
      ),
    );
  },
};
