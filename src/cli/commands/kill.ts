import type { Command } from '../command.js';
import { CommandFailed } from '../command-failed.js';
import { parseId } from '../parse-id.js';
import { callOnJobRid } from '../rid-call.js';
import { withClient } from '../with-client.js';

export const kill: Command = {
  name: 'kill',
  usage: 'mirror kill <job_id>',
  summary: "Stop a running job's whole process tree (jobkill on its resource machine).",
  async run({ args, config, embedded, out }) {
    const id = parseId(args[0], 'job_id');
    const [code, value] = await withClient(config, embedded, (client) => callOnJobRid(client, 'jobkill', id));
    if (code !== 0) throw new CommandFailed(value);
    out(`job ${id} killed`);
  },
};
