import { UsageError } from './command.js';
import { parseId } from './parse-id.js';

/** The most jobs one command line may name by ranges (as many as a bulk action takes). */
const MOST_IDS = 10_000;

/**
 * Job ids as the command line names them: single ids and ranges (`23-30 41`), in the
 * order given, each once. A malformed one, a backwards range or more than 10,000 ids is
 * a usage error naming it.
 */
export function parseIdList(args: readonly string[], name = 'job_id'): number[] {
  const ids = new Set<number>();
  for (const arg of args) {
    const range = /^(\d+)-(\d+)$/.exec(arg);
    if (range === null) {
      ids.add(parseId(arg, name));
      continue;
    }
    const from = parseId(range[1], name);
    const to = parseId(range[2], name);
    if (to < from) throw new UsageError(`range ${arg} runs backwards; write ${to}-${from}`);
    if (to - from + 1 + ids.size > MOST_IDS)
      throw new UsageError(`range ${arg} names more than ${MOST_IDS} jobs`);
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids];
}
