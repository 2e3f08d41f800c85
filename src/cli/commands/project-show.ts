import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { table } from '../table.js';
import { withClient } from '../with-client.js';

export const projectShow: Command = {
  name: 'project show',
  usage: 'mirror project show <p_id>',
  summary: 'Show a project and its files.',
  arguments: [1, 1],
  async run({ args, config, embedded, out }) {
    const id = parseId(args[0], 'p_id');
    const { project, files } = await withClient(config, embedded, (client) => client.projects.get(id));
    out(`project ${project.id}: ${project.name}`);
    out(
      table(
        ['file', 'size', 'sha256'],
        files.map((f) => [f.name, f.size, f.sha256.slice(0, 12)]),
      ),
    );
  },
};
