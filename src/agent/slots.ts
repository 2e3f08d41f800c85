/**
 * Slots bound the step chains running at once on a resource machine. `tryTake` never
 * waits: a claim or a manual run either gets a slot now or leaves the job where it is.
 */
export interface Slots {
  readonly total: number;
  readonly inUse: number;
  tryTake(): boolean;
  release(): void;
}

export function createSlots(total: number): Slots {
  let inUse = 0;
  return {
    total,
    get inUse() {
      return inUse;
    },
    tryTake() {
      if (inUse >= total) return false;
      inUse++;
      return true;
    },
    release() {
      inUse = Math.max(0, inUse - 1);
    },
  };
}
