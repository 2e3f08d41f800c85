import { setTimeout as sleep } from 'node:timers/promises';
import { findTree, type TreeProcess } from './find-tree.js';

/** First pause between two scans of a tree being stopped, in ms; it doubles up to the max. */
export const TREE_POLL_MIN_MS = 10;
/** Longest pause between two scans of a tree being stopped, in ms. */
export const TREE_POLL_MAX_MS = 100;

/** A step's tree as the kill sequence needs it: token, process group id, start time if known. */
export interface KillTarget {
  readonly token: string;
  /** The tree's process group, when it has one of its own (a step's program; not a hook's leftovers). */
  readonly pgid?: number;
  readonly startedAt?: number;
}

/**
 * Stops every process of a tree and resolves when none is left: SIGTERM to the process
 * group and to every token-carrying process, up to `graceMs` for them to end (processes
 * forked meanwhile get their SIGTERM too), then SIGKILL to whatever remains, repeated
 * until a scan finds nothing. The tree is re-scanned at each poll because its processes
 * can fork during the grace. Two empty scans in a row are needed to finish: a process
 * that forked and died during one scan leaves its child out of that scan only.
 * Resolves at once (after the scans) when the tree is already empty.
 */
export async function killTree(target: KillTarget, graceMs: number): Promise<void> {
  const deadline = performance.now() + graceMs;
  const termed = new Set<number>();
  let groupTermed = false;
  let emptyScans = 0;
  let pollMs = TREE_POLL_MIN_MS;
  for (;;) {
    const tree = await findTree(target);
    if (tree.length === 0) {
      emptyScans += 1;
      if (emptyScans >= 2) return;
      // The second scan need only start after the first has ended: no pause before it.
      continue;
    }
    emptyScans = 0;
    const left = deadline - performance.now();
    if (left > 0) {
      if (!groupTermed && signalGroup(tree, target.pgid, 'SIGTERM')) groupTermed = true;
      for (const p of tree) {
        if (termed.has(p.pid)) continue;
        termed.add(p.pid);
        signal(p.pid, 'SIGTERM');
      }
      await sleep(Math.min(pollMs, left));
    } else {
      signalGroup(tree, target.pgid, 'SIGKILL');
      for (const p of tree) signal(p.pid, 'SIGKILL');
      await sleep(pollMs);
    }
    pollMs = Math.min(pollMs * 2, TREE_POLL_MAX_MS);
  }
}

/**
 * Signals the whole process group at once, which also reaches members forked since the
 * scan. Only when the scan saw a live member: then the group id cannot belong to anyone
 * else. Returns whether it was signalled.
 */
function signalGroup(tree: readonly TreeProcess[], pgid: number | undefined, sig: NodeJS.Signals): boolean {
  if (pgid === undefined || pgid <= 0 || !tree.some((p) => p.pgid === pgid)) return false;
  signal(-pgid, sig);
  return true;
}

/** Sends a signal; a target that is already gone (ESRCH) or not ours (EPERM) is skipped. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone since the scan, or not ours to signal: nothing more can be done for it.
  }
}
