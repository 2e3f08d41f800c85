import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

export const projectRm: Command = {
  name: 'project rm',
  usage: 'mirror project rm <p_id>',
  summary: 'Delete a project and its files (its jobs keep their rows).',
  async run({ args, config, embedded, out }) {
    const id = parseId(args[0], 'p_id');
    await withClient(config, embedded, (client) => client.projects.delete(id));
    out(`project ${id} deleted`);
  },
};
