import type { Job } from '../../sdk/index.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseId } from '../parse-id.js';
import { progressLine } from '../progress-bar.js';
import { withClient } from '../with-client.js';

const SETTLED = ['finished', 'failed', 'killed', 'lost'];

export const watch: Command = {
  name: 'watch',
  usage: 'mirror watch (--project P | <job_id> ...)',
  summary: "Show each job's progress live, from the event stream, until every one has settled.",
  arguments: [0, Number.POSITIVE_INFINITY],
  options: { project: { type: 'string' } },
  async run({ args, flags, config, embedded, out }) {
    const project = typeof flags['project'] === 'string' ? parseId(flags['project'], '--project') : undefined;
    const ids = args.map((a) => parseId(a, 'job_id'));
    if (project === undefined && ids.length === 0) throw new UsageError('a --project or job ids are needed');
    await withClient(config, embedded, async (client) => {
      const stop = new AbortController();
      // Subscribe first, then read where every job stands: nothing happens unseen.
      const stream = await client.events(
        project !== undefined ? { project } : ids.length === 1 ? { job: ids[0] ?? 0 } : {},
        stop.signal,
      );
      const jobs = new Map<number, { job: Job; current?: string; all?: string }>();
      const watched =
        project !== undefined ? (await client.jobs.list({ project, limit: 500 })).jobs.map((j) => j.id) : ids;
      const readJobs = async () => {
        for (const detail of await Promise.all(watched.map((id) => client.jobs.get(id)))) {
          const { currentstep, allstep } = detail.data.process;
          jobs.set(detail.job.id, {
            job: detail.job,
            ...(currentstep !== undefined ? { current: currentstep } : {}),
            ...(allstep !== undefined ? { all: allstep } : {}),
          });
        }
      };
      await readJobs();
      const shown = new Map<number, string>();
      const show = () => {
        for (const [id, { job, current, all }] of [...jobs].sort((a, b) => a[0] - b[0])) {
          const line = progressLine(id, job.state, current, all, job.label);
          if (shown.get(id) !== line) out(line);
          shown.set(id, line);
        }
        if ([...jobs.values()].every((j) => SETTLED.includes(j.job.state))) stop.abort();
      };
      show();
      for await (const event of stream) {
        // Events were lost on the way (the hub no longer held them): read where jobs stand.
        if (event.type === 'gap') {
          await readJobs();
          show();
          continue;
        }
        const seen = jobs.get(event.jobId);
        if (!seen) continue;
        if (event.type === 'state') seen.job = { ...seen.job, state: event.state };
        if (event.type === 'progress')
          Object.assign(seen, { current: event.currentstep, all: event.allstep });
        show();
      }
    });
  },
};
