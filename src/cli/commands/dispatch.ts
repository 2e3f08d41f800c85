import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { withHub } from '../with-hub.js';
import { CommandFailed } from '../command-failed.js';

export const dispatch: Command = {
  name: 'dispatch',
  usage: 'mirror dispatch <p_id> <c_id> [para_name]',
  summary: 'Split a project into one job per para state (jobdispatch.do).',
  async run({ args, config, out }) {
    const kwargs = {
      p_id: parseId(args[0], 'p_id'),
      c_id: parseId(args[1], 'c_id'),
      para_name: args[2] ?? 'para.xml',
    };
    const [code, value] = await withHub(config, (hub) => hub.call('jobdispatch', 'do', kwargs));
    if (code !== 0) throw new CommandFailed(value);
    out(JSON.stringify([code, value]));
  },
};
