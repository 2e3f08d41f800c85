import { stat } from 'node:fs/promises';
import { isAbsolute, normalize } from 'node:path';
import { isRunDirOf } from '../../run-dir/index.js';
import { mirrorError } from '../../core/index.js';
import type { FileStore } from '../../file-store/index.js';
import type { JobTransition, NewJobItem, Store } from '../../store/index.js';

/**
 * What the hub lets a remote agent ask, beyond holding the agent credential. The store
 * itself refuses a change the transition table lacks; here: a job's rid is set only by
 * claiming it, every other change names the agent's rid, a run directory lies under that
 * rid's own jobs root, an item's file is a blob already in the file store (never a path
 * the hub would read), and a heartbeat's jobs root is an absolute, normal path.
 */
export interface AgentBounds {
  transition(jobId: number, t: JobTransition): Promise<void>;
  items(items: readonly NewJobItem[]): Promise<void>;
  jobsRoot(root: string): void;
}

export function agentBounds(deps: { store: Store; fileStore: FileStore }): AgentBounds {
  const refuse = (what: string, reason: string) => mirrorError('AGENT_REFUSED', { what, reason });
  return {
    async transition(jobId, t) {
      const what = `move job ${jobId} to ${t.to}`;
      const claim = t.to === 'assigned' && t.from.length === 1 && t.from[0] === 'queued';
      if (claim) {
        if (typeof t.rid !== 'number') throw refuse(what, 'a claim names the claiming rid');
        if (t.path !== undefined) throw refuse(what, 'a claim sets no run directory');
        return;
      }
      if (t.rid !== undefined)
        throw refuse(what, "a job's rid is set only by claiming it (queued → assigned)");
      if (t.onRid === undefined) throw refuse(what, 'a state change names the rid the job is on (onRid)');
      if (t.path === undefined) return;
      if (t.to !== 'built' || t.path === null)
        throw refuse(what, 'only a directory build sets a run directory');
      const machine = (await deps.store.listMachines()).find((m) => m.rid === t.onRid);
      const root = machine?.jobsRoot ?? '';
      if (root === '')
        throw refuse(what, `rid ${t.onRid} has not said where its jobs root is (heartbeat first)`);
      if (!isRunDirOf(root, jobId, t.path)) {
        throw refuse(what, `${JSON.stringify(t.path)} is not one of its run directories under ${root}`);
      }
    },

    async items(items) {
      for (const item of items) {
        const what = `store ${item.section} item ${JSON.stringify(item.key)}`;
        if (item.kind === 'value') {
          if (item.sha256 !== null) throw refuse(what, 'a value item names no blob');
          continue;
        }
        if (item.sha256 === null)
          throw refuse(what, 'a file item names a stored blob (upload it first), never a path');
        const found = await stat(deps.fileStore.pathOf(item.sha256)).catch(() => undefined);
        if (!found?.isFile())
          throw refuse(what, `blob ${item.sha256} is not in the file store (upload it first)`);
        if (item.size !== found.size)
          throw refuse(what, `blob ${item.sha256} is ${found.size} bytes, not ${item.size}`);
      }
    },

    jobsRoot(root) {
      if (!isAbsolute(root) || normalize(root) !== root || root === '/' || root.endsWith('/')) {
        throw refuse(
          'report its machine',
          `jobs root ${JSON.stringify(root)} is not an absolute, normal directory`,
        );
      }
    },
  };
}
