import type { Command } from '../command.js';
import { actOnJobs, DELETE, JOB_ACTION_OPTIONS } from '../job-actions.js';

export const rm: Command = {
  name: 'rm',
  usage: 'mirror rm <job_id|from-to> ... | --project P [--state S] ... [--force] [--yes]',
  summary: 'Delete jobs: rows, run directories, stored files (running ones only with --force).',
  arguments: [0, Number.POSITIVE_INFINITY],
  options: { ...JOB_ACTION_OPTIONS, force: { type: 'boolean' } },
  run: (ctx) => actOnJobs(ctx, DELETE, ctx.flags['force'] === true),
};
