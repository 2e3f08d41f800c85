import type { Command } from '../command.js';
import { actOnJobs, JOB_ACTION_OPTIONS, RERUN } from '../job-actions.js';

export const rerun: Command = {
  name: 'rerun',
  usage: 'mirror rerun <job_id|from-to> ... | --project P [--state S] ... [--yes]',
  summary: 'Send settled jobs round again (queued, their data cleared).',
  arguments: [0, Number.POSITIVE_INFINITY],
  options: JOB_ACTION_OPTIONS,
  run: (ctx) => actOnJobs(ctx, RERUN),
};
