import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

const SETTLED = ['finished', 'failed', 'killed', 'lost'];

export const logs: Command = {
  name: 'logs',
  usage: 'mirror logs <job_id> <step> [-f]',
  summary: "Print a step's log; with -f, follow it until the job settles.",
  arguments: [2, 2],
  options: { follow: { type: 'boolean', short: 'f' } },
  async run({ args, flags, config, embedded, out }) {
    const id = parseId(args[0], 'job_id');
    const step = args[1];
    if (step === undefined) throw new UsageError('a step id is needed');
    await withClient(config, embedded, async (client) => {
      let offset = 0;
      let pending = '';
      for (;;) {
        const chunk = await client.jobs.log(id, step, offset);
        offset = chunk.next;
        pending += chunk.text;
        const end = pending.lastIndexOf('\n');
        if (end !== -1) {
          for (const line of pending.slice(0, end).split('\n')) out(line);
          pending = pending.slice(end + 1);
        }
        if (chunk.text !== '') continue;
        if (flags['follow'] !== true || SETTLED.includes((await client.jobs.get(id)).job.state)) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      if (pending !== '') out(pending);
    });
  },
};
