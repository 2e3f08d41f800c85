import { isJobState } from '../../job/index.js';
import type { JobFilter } from '../../sdk/index.js';
import { UsageError, type Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { table } from '../table.js';
import { withClient } from '../with-client.js';

export const jobs: Command = {
  name: 'jobs',
  usage: 'mirror jobs [--state S] [--project P] [--rid R] [--label L] [--limit N] [--json]',
  summary: 'List jobs, newest first.',
  options: {
    state: { type: 'string' },
    project: { type: 'string' },
    rid: { type: 'string' },
    label: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ flags, config, embedded, out }) {
    const state = flags['state'];
    if (typeof state === 'string' && !isJobState(state))
      throw new UsageError(`unknown state ${JSON.stringify(state)}`);
    const id = (name: string) =>
      typeof flags[name] === 'string' ? parseId(flags[name], `--${name}`) : undefined;
    const filter: JobFilter = {
      ...(typeof state === 'string' && isJobState(state) ? { state } : {}),
      ...(id('project') !== undefined ? { project: id('project') } : {}),
      ...(id('rid') !== undefined ? { rid: id('rid') } : {}),
      ...(typeof flags['label'] === 'string' ? { label: flags['label'] } : {}),
      limit: id('limit') ?? 200,
    };
    const { jobs: rows } = await withClient(config, embedded, (client) => client.jobs.list(filter));
    if (flags['json'] === true) return out(JSON.stringify(rows));
    out(
      table(
        ['id', 'project', 'package', 'state', 'rid', 'label'],
        rows.map((j) => [j.id, j.projectId, j.packageId, j.state, j.rid, j.label]),
      ),
    );
  },
};
