import type { MachineReport } from '../hub-link/index.js';
import type { Machine, Store } from '../store/index.js';

export interface MachineView extends Machine {
  /** False once the machine has been silent for longer than `timing.agentLostMs`. */
  readonly alive: boolean;
  readonly runningJobs: number[];
}

/** The resource machines the hubs have heard from, by rid, as the store keeps them. */
export interface Machines {
  /** Renews the machine's lease on its jobs. */
  heartbeat(report: MachineReport): Promise<void>;
  list(): Promise<MachineView[]>;
}

export function createMachines(deps: { store: Store; lostAfterMs: number; now?: () => number }): Machines {
  const now = deps.now ?? Date.now;
  return {
    heartbeat: (report) => deps.store.recordHeartbeat({ ...report, lastHeartbeat: now() }),
    async list() {
      const views: MachineView[] = [];
      for (const machine of await deps.store.listMachines()) {
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
