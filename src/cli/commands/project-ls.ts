import type { Command } from '../command.js';
import { table } from '../table.js';
import { withHub } from '../with-hub.js';

export const projectLs: Command = {
  name: 'project ls',
  usage: 'mirror project ls',
  summary: 'List projects.',
  async run({ config, out }) {
    const rows = await withHub(config, (hub) => hub.projects.list());
    out(
      table(
        ['id', 'name', 'created'],
        rows.map((p) => [p.id, p.name, new Date(p.createdAt).toISOString()]),
      ),
    );
  },
};
