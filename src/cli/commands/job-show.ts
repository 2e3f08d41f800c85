import type { Command } from '../command.js';
import { parseId } from '../parse-id.js';
import { table } from '../table.js';
import { withClient } from '../with-client.js';

const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const jobShow: Command = {
  name: 'job show',
  usage: 'mirror job show <job_id> [--json]',
  summary: 'Show one job: state, parameters, steps, history and data.',
  arguments: [1, 1],
  options: { json: { type: 'boolean' } },
  async run({ args, flags, config, embedded, out }) {
    const id = parseId(args[0], 'job_id');
    const detail = await withClient(config, embedded, (client) => client.jobs.get(id));
    if (flags['json'] === true) return out(JSON.stringify(detail));
    const { job, steps, events, data } = detail;
    out(
      `job ${job.id}: ${job.state}  rid ${job.rid ?? '-'}  project ${job.projectId}  package ${job.packageId}  ${job.label}`,
    );
    out(`run directory: ${job.path ?? '-'}`);
    out(
      `params: ${Object.entries(job.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    out('');
    out(
      table(
        ['step', 'status', 'started', 'ended', 'exit', 'batch job', 'reason'],
        steps.map((s) => [
          s.stepId,
          s.status,
          time(s.startedAt),
          time(s.endedAt),
          s.exitCode ?? s.signal,
          s.batchId === null ? null : `${s.batchId} ${s.batchState ?? ''}`.trim(),
          s.reason,
        ]),
      ),
    );
    out('');
    out(
      table(
        ['at', 'from', 'to', 'reason'],
        events.map((e) => [time(e.at), e.from, e.to, e.reason]),
      ),
    );
    out('');
    for (const section of ['process', 'result'] as const) {
      for (const [key, value] of Object.entries(data[section])) out(`${section}.${key} = ${value}`);
    }
  },
};
