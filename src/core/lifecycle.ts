/** Where a long-lived part is in its life. */
export type LifecycleState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface Lifecycle {
  readonly state: LifecycleState;
  /** Starts once; a second call waits for the first. After a stop, does nothing. */
  start(): Promise<void>;
  /**
   * Stops once, after a start in progress has ended; every call, the second included,
   * resolves when the stop has ended. A part never started goes straight to stopped
   * (its `stop` still runs, with `wasStarted` false, to release what it made).
   */
  stop(): Promise<void>;
}

/**
 * The life of a long-lived part (hub, agent, connection) as one small state machine:
 * new → starting → running → stopping → stopped. A start that fails throws and leaves
 * the part `starting`; its stop then releases what the start made.
 */
export function lifecycle(steps: {
  start(): Promise<void>;
  stop(wasStarted: boolean): Promise<void>;
}): Lifecycle {
  let state: LifecycleState = 'new';
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const wasStarted = starting !== undefined;
      await starting?.catch(() => undefined);
      state = 'stopping';
      try {
        await steps.stop(wasStarted);
      } finally {
        state = 'stopped';
      }
    })();
    return stopping;
  };
  return {
    get state() {
      return state;
    },
    start() {
      if (stopping !== undefined) return Promise.resolve();
      starting ??= (async () => {
        state = 'starting';
        await steps.start();
        if (stopping === undefined) state = 'running';
      })();
      return starting;
    },
    stop,
  };
}
