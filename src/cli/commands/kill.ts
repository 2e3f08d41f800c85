import type { Command } from '../command.js';
import { actOnJobs, JOB_ACTION_OPTIONS, KILL } from '../job-actions.js';

export const kill: Command = {
  name: 'kill',
  usage: 'mirror kill <job_id|from-to> ... | --project P [--state S] ... [--yes]',
  summary:
    "Stop running jobs' process trees (jobkill on their machines); jobs not started yet are cancelled.",
  arguments: [0, Number.POSITIVE_INFINITY],
  options: JOB_ACTION_OPTIONS,
  run: (ctx) => actOnJobs(ctx, KILL),
};
