import type { Store } from '../store/index.js';

/** What an agent says of its resource machine at each heartbeat. */
export interface MachineReport {
  readonly rid: number;
  readonly host: string;
  readonly slots: number;
  readonly slotsInUse: number;
}

export interface MachineView extends MachineReport {
  /** Time of the last heartbeat, ms since the epoch. */
  readonly lastHeartbeat: number;
  /** False once the machine has been silent for longer than `timing.agentLostMs`. */
  readonly alive: boolean;
  readonly runningJobs: number[];
}

/** The resource machines the hub has heard from, by rid. */
export interface Machines {
  heartbeat(report: MachineReport): void;
  list(): Promise<MachineView[]>;
  /** The machines silent for longer than `lostAfterMs`, with their last heartbeat (no store access). */
  silent(): { rid: number; lastHeartbeat: number }[];
}

export function createMachines(deps: { store: Store; lostAfterMs: number; now?: () => number }): Machines {
  const now = deps.now ?? Date.now;
  const seen = new Map<number, MachineReport & { lastHeartbeat: number }>();
  return {
    heartbeat(report) {
      seen.set(report.rid, { ...report, lastHeartbeat: now() });
    },
    silent() {
      return [...seen.values()]
        .filter((m) => now() - m.lastHeartbeat > deps.lostAfterMs)
        .map(({ rid, lastHeartbeat }) => ({ rid, lastHeartbeat }));
    },
    async list() {
      const views: MachineView[] = [];
      for (const machine of [...seen.values()].sort((a, b) => a.rid - b.rid)) {
        const running = await deps.store.listJobsOnRid(machine.rid, ['running']);
        views.push({
          ...machine,
          alive: now() - machine.lastHeartbeat <= deps.lostAfterMs,
          runningJobs: running.map((j) => j.id),
        });
      }
      return views;
    },
  };
}
