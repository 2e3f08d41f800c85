import { csvLine, ownValue } from '../../core/index.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseId } from '../parse-id.js';
import { table } from '../table.js';
import { withClient } from '../with-client.js';

export const results: Command = {
  name: 'results',
  usage: 'mirror results (--project P | --dispatch D) [--csv]',
  summary: 'The Output scalars of a sweep, one row per job, as a table or CSV.',
  options: { project: { type: 'string' }, dispatch: { type: 'string' }, csv: { type: 'boolean' } },
  async run({ flags, config, embedded, out }) {
    const project = typeof flags['project'] === 'string' ? parseId(flags['project'], '--project') : undefined;
    const dispatchId =
      typeof flags['dispatch'] === 'string' ? parseId(flags['dispatch'], '--dispatch') : undefined;
    if (project === undefined && dispatchId === undefined)
      throw new UsageError('a --project or --dispatch is needed');
    const rows = await withClient(config, embedded, async (client) => {
      const filter = {
        limit: 500,
        ...(project !== undefined ? { project } : {}),
        ...(dispatchId !== undefined ? { dispatch: dispatchId } : {}),
      };
      const { jobs } = await client.jobs.list(filter);
      const details = await Promise.all(jobs.reverse().map((j) => client.jobs.get(j.id)));
      return details.map(({ job, data }) => ({ job, values: scalars(data.result) }));
    });
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
    const headers = ['job', 'state', 'label', ...keys];
    const cells = rows.map(({ job, values }) => [
      job.id,
      job.state,
      job.label,
      ...keys.map((k) => ownValue(values, k) ?? null),
    ]);
    if (flags['csv'] === true) {
      for (const row of [headers, ...cells]) out(csvLine(row));
    } else out(table(headers, cells));
  },
};

/** The result items that are values, not files (file items are URLs). */
function scalars(result: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(result).filter(([, v]) => !/^https?:\/\//.test(v)));
}
