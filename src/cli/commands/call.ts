import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { CommandFailed } from '../command-failed.js';
import { withClient } from '../with-client.js';

export const call: Command = {
  name: 'call',
  usage: 'mirror call <service>.<method> [key=value ...]',
  summary: 'Call any seed verb, e.g. mirror call jobrun_1.do job_id=7 step=solve; prints its reply.',
  arguments: [1, Number.POSITIVE_INFINITY],
  async run({ args, config, embedded, out }) {
    const [target, ...pairs] = args;
    const dot = target?.lastIndexOf('.') ?? -1;
    if (target === undefined || dot < 1) throw new UsageError('a <service>.<method> is needed');
    const kwargs = Object.create(null) as Record<string, string>; // every name given is the verb's to judge
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new UsageError(`arguments are key=value, got ${JSON.stringify(pair)}`);
      kwargs[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const reply = await withClient(config, embedded, (client) =>
      client.call(target.slice(0, dot), target.slice(dot + 1), kwargs),
    );
    if (reply[0] !== 0) throw new CommandFailed(reply[1]);
    out(JSON.stringify(reply));
  },
};
