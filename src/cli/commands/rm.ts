import type { Command } from '../command.js';
import { CommandFailed } from '../command-failed.js';
import { parseId } from '../parse-id.js';
import { callOnJobRid } from '../rid-call.js';
import { withClient } from '../with-client.js';

export const rm: Command = {
  name: 'rm',
  usage: 'mirror rm <job_id> [--force]',
  summary: 'Delete a job: rows, run directories, stored files (a running one only with --force).',
  options: { force: { type: 'boolean' } },
  async run({ args, flags, config, embedded, out }) {
    const id = parseId(args[0], 'job_id');
    const force = flags['force'] === true ? 1 : 0;
    const [code, value] = await withClient(config, embedded, (client) =>
      callOnJobRid(client, 'jobdelete', id, { force }),
    );
    if (code !== 0) throw new CommandFailed(value);
    out(`job ${id} deleted`);
  },
};
