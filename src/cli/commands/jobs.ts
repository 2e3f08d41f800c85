import { isJobState } from '../../job/index.js';
import { UsageError, type Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { table } from '../table.js';
import { withHub } from '../with-hub.js';

export const jobs: Command = {
  name: 'jobs',
  usage: 'mirror jobs [--state S] [--project P] [--json]',
  summary: 'List jobs, newest first.',
  options: { state: { type: 'string' }, project: { type: 'string' }, json: { type: 'boolean' } },
  async run({ flags, config, out }) {
    const state = flags['state'];
    if (typeof state === 'string' && !isJobState(state))
      throw new UsageError(`unknown state ${JSON.stringify(state)}`);
    const project = typeof flags['project'] === 'string' ? parseId(flags['project'], '--project') : undefined;
    const rows = await withHub(config, (hub) =>
      hub.store.listJobs({
        limit: 200,
        ...(typeof state === 'string' && isJobState(state) ? { state } : {}),
        ...(project !== undefined ? { projectId: project } : {}),
      }),
    );
    if (flags['json'] === true) return out(JSON.stringify(rows));
    out(
      table(
        ['id', 'project', 'package', 'state', 'rid', 'label'],
        rows.map((j) => [j.id, j.projectId, j.packageId, j.state, j.rid, j.label]),
      ),
    );
  },
};
