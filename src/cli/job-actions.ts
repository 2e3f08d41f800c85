import { createInterface } from 'node:readline/promises';
import { isJobState } from '../job/index.js';
import type { JobFilter, MirrorClient } from '../sdk/index.js';
import { UsageError, type CommandContext } from './command.js';
import { CommandFailed } from './command-failed.js';
import { parseIdList } from './id-list.js';
import { parseId } from './parse-id.js';
import { withClient } from './with-client.js';

/** Above this many jobs an action asks first (or takes `--yes`). */
export const CONFIRM_ABOVE = 10;

/** The flags a job action takes: the selector, `--yes`, and its own. */
export const JOB_ACTION_OPTIONS = {
  project: { type: 'string' },
  dispatch: { type: 'string' },
  state: { type: 'string' },
  rid: { type: 'string' },
  label: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
} as const;

interface Verb {
  readonly action: 'kill' | 'delete' | 'rerun';
  /** As a line says it was done: `killed`, `deleted`, `queued again`. */
  readonly done: string;
  /** As a question names it: `kill`, `delete`, `rerun`. */
  readonly ask: string;
}

export const KILL: Verb = { action: 'kill', done: 'killed', ask: 'kill' };
export const DELETE: Verb = { action: 'delete', done: 'deleted', ask: 'delete' };
export const RERUN: Verb = { action: 'rerun', done: 'queued again', ask: 'rerun' };

/**
 * Does a job action on exactly the jobs the command line names: ids and ranges, or a
 * selector (`--project`, `--dispatch`, `--state`, `--rid`, `--label`); naming none is
 * a usage error, never every job. The jobs are counted first; above CONFIRM_ABOVE it
 * asks on a terminal, or needs `--yes`. Prints a line per job done, what could not be
 * done on stderr, and how many it touched.
 */
export async function actOnJobs(ctx: CommandContext, verb: Verb, force = false): Promise<void> {
  const { args, flags, config, embedded, out } = ctx;
  const ids = parseIdList(args);
  const filter = selectorOf(flags);
  if (ids.length > 0 && filter !== undefined)
    throw new UsageError('name jobs by ids or by a selector, not both');
  if (ids.length === 0 && filter === undefined) {
    throw new UsageError(
      `name the jobs to ${verb.ask}: ids and ranges (23 25-30), or --project, --dispatch, --state, --rid, --label`,
    );
  }
  await withClient(config, embedded, async (client) => {
    const named = ids.length > 0 ? ids : await matching(client, filter ?? {});
    if (named.length === 0) {
      out(`no job matches; nothing to ${verb.ask}`);
      return;
    }
    if (named.length > CONFIRM_ABOVE && flags['yes'] !== true)
      await confirm(`${verb.ask} ${named.length} jobs`);
    const result = await client.jobs.bulk({ action: verb.action, ids: named, ...(force ? { force } : {}) });
    for (const id of result.done) out(`job ${id} ${verb.done}`);
    const total = result.done.length + result.failed.length;
    if (total > 1) out(`${verb.done} ${result.done.length} of ${total} jobs`);
    if (result.failed.length === 1 && total === 1) throw new CommandFailed(result.failed[0]?.message ?? '');
    for (const { message } of result.failed) console.error(`mirror ${ctx.command}: ${message}`);
    if (result.failed.length > 0) {
      throw new CommandFailed(`${result.failed.length} of ${total} jobs could not be ${verb.done}`);
    }
  });
}

/** The selector the flags give, or undefined when they give none. */
function selectorOf(
  flags: CommandContext['flags'],
): Omit<JobFilter, 'order' | 'cursor' | 'limit'> | undefined {
  const text = (name: string) => (typeof flags[name] === 'string' ? flags[name] : undefined);
  const state = text('state');
  if (state !== undefined && !isJobState(state))
    throw new UsageError(`unknown state ${JSON.stringify(state)}`);
  const id = (name: string) => {
    const value = text(name);
    return value === undefined ? undefined : parseId(value, `--${name}`);
  };
  const selector = {
    ...(state !== undefined && isJobState(state) ? { state } : {}),
    ...(id('project') !== undefined ? { project: id('project') } : {}),
    ...(id('dispatch') !== undefined ? { dispatch: id('dispatch') } : {}),
    ...(id('rid') !== undefined ? { rid: id('rid') } : {}),
    ...(text('label') !== undefined ? { label: text('label') } : {}),
  };
  return Object.keys(selector).length > 0 ? selector : undefined;
}

/** Every job the selector matches, oldest first (at most 10,000). */
async function matching(client: MirrorClient, filter: Omit<JobFilter, 'order' | 'cursor' | 'limit'>) {
  const ids: number[] = [];
  let cursor: number | null | undefined;
  do {
    const page = await client.jobs.list({
      ...filter,
      order: 'oldest',
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.jobs.map((j) => j.id));
    cursor = page.next;
  } while (cursor !== null && ids.length < 10_000);
  return ids.slice(0, 10_000);
}

/** Asks on the terminal; without one (a script), refuses and says to add --yes. */
async function confirm(what: string): Promise<void> {
  if (process.stdin.isTTY !== true) throw new UsageError(`this would ${what}: add --yes to go ahead`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${what}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CommandFailed(`not done: ${what} was not confirmed`);
  } finally {
    rl.close();
  }
}
