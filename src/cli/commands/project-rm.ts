import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

export const projectRm: Command = {
  name: 'project rm',
  usage: 'mirror project rm <p_id> [--force]',
  summary: 'Delete a project and its files; one that jobs use only with --force (they keep their rows).',
  arguments: [1, 1],
  options: { force: { type: 'boolean' } },
  async run({ args, flags, config, embedded, out }) {
    const id = parseId(args[0], 'p_id');
    await withClient(config, embedded, (client) => client.projects.delete(id, flags['force'] === true));
    out(`project ${id} deleted`);
  },
};
