import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

export const packageRm: Command = {
  name: 'package rm',
  usage: 'mirror package rm <c_id> [--force]',
  summary: 'Delete a calc package; one that jobs use only with --force (they keep their rows).',
  arguments: [1, 1],
  options: { force: { type: 'boolean' } },
  async run({ args, flags, config, embedded, out }) {
    const id = parseId(args[0], 'c_id');
    await withClient(config, embedded, (client) => client.packages.delete(id, flags['force'] === true));
    out(`calc package ${id} deleted`);
  },
};
