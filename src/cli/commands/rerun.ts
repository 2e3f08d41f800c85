import { isJobState } from '../../job/index.js';
import { UsageError, type Command } from '../command.js';
import { CommandFailed } from '../command-failed.js';
import { parseId } from '../parse-id.js';
import { withClient } from '../with-client.js';

export const rerun: Command = {
  name: 'rerun',
  usage: 'mirror rerun <job_id> ... | --project P [--state S]',
  summary: 'Send settled jobs round again (queued, their data cleared).',
  options: { project: { type: 'string' }, state: { type: 'string' } },
  async run({ args, flags, config, embedded, out }) {
    const ids = args.map((a) => parseId(a, 'job_id'));
    const project = typeof flags['project'] === 'string' ? parseId(flags['project'], '--project') : undefined;
    const state = typeof flags['state'] === 'string' ? flags['state'] : undefined;
    if (state !== undefined && !isJobState(state))
      throw new UsageError(`unknown state ${JSON.stringify(state)}`);
    const result = await withClient(config, embedded, (client) =>
      client.jobs.bulk({
        action: 'rerun',
        ...(ids.length > 0
          ? { ids }
          : {
              selector: {
                ...(project !== undefined ? { project } : {}),
                ...(state !== undefined && isJobState(state) ? { state } : {}),
              },
            }),
      }),
    );
    for (const id of result.done) out(`job ${id} queued again`);
    for (const { message } of result.failed) console.error(`mirror rerun: ${message}`);
    if (result.failed.length > 0)
      throw new CommandFailed(
        `${result.failed.length} of ${result.done.length + result.failed.length} jobs could not be rerun`,
      );
  },
};
