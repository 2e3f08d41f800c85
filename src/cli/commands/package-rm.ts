import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

export const packageRm: Command = {
  name: 'package rm',
  usage: 'mirror package rm <c_id>',
  summary: 'Delete a calc package (jobs made from it keep their rows).',
  async run({ args, config, embedded, out }) {
    const id = parseId(args[0], 'c_id');
    await withClient(config, embedded, (client) => client.packages.delete(id));
    out(`calc package ${id} deleted`);
  },
};
