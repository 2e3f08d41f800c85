import type { Command } from '../command.js';
import { CommandFailed } from '../command-failed.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

export const dispatch: Command = {
  name: 'dispatch',
  usage: 'mirror dispatch <p_id> <c_id> [para_name]',
  summary: 'Split a project into one job per para state (jobdispatch.do); prints its reply.',
  arguments: [2, 3],
  async run({ args, config, embedded, out }) {
    const kwargs = {
      p_id: parseId(args[0], 'p_id'),
      c_id: parseId(args[1], 'c_id'),
      para_name: args[2] ?? 'para.xml',
    };
    const [code, value] = await withClient(config, embedded, (client) =>
      client.call('jobdispatch', 'do', kwargs),
    );
    if (code !== 0) throw new CommandFailed(value);
    out(JSON.stringify([code, value]));
  },
};
