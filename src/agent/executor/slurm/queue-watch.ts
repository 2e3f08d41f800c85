import type { QueuedJob, SlurmCommands } from './slurm-commands.js';

/** What one poll says of a watched job: as `squeue` lists it, or not listed any more. */
export type QueueSighting = QueuedJob | { readonly state: 'UNLISTED'; readonly reason: null };

/** A watched job's listener; called after every poll that answered. */
export type QueueListener = (sighting: QueueSighting) => void;

/** Poll period while a step is being stopped: its end is confirmed promptly. */
const HURRIED_POLL_MS = 250;

/**
 * Asks Slurm after every watched batch job with one `squeue` per poll, never one call per
 * job and never two at once, every `pollMs` (sooner after `hurry()`). A poll that fails
 * (the controller restarting, a timeout) is logged once per run of failures and changes
 * nothing: no job is judged on it. Polls only while something is watched.
 */
export class QueueWatch {
  private readonly listeners = new Map<string, QueueListener>();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private hurried = 0;
  private idle = false;
  private failing = false;
  private closed = false;

  constructor(
    private readonly commands: SlurmCommands,
    private readonly pollMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Watches job `id` until the answered function is called. */
  watch(id: string, listener: QueueListener): () => void {
    this.listeners.set(id, listener);
    if (this.idle) this.wake?.();
    this.loop ??= this.run();
    return () => {
      if (this.listeners.get(id) === listener) this.listeners.delete(id);
    };
  }

  /**
   * Polls at the short period until the answered function is called (a stop waiting for
   * its job to leave the queue), starting with a poll right away.
   */
  hurry(): () => void {
    this.hurried += 1;
    this.wake?.();
    let done = false;
    return () => {
      if (!done) this.hurried -= 1;
      done = true;
    };
  }

  /** Stops polling; resolves once no poll is in flight. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.listeners.size === 0) {
        await this.pause(undefined);
        continue;
      }
      await this.poll();
      await this.pause(this.hurried > 0 ? Math.min(HURRIED_POLL_MS, this.pollMs) : this.pollMs);
    }
  }

  /** Waits `ms` (with nothing watched: until something is), or less when woken. */
  private pause(ms: number | undefined): Promise<void> {
    this.idle = ms === undefined;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.idle = false;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async poll(): Promise<void> {
    const ids = [...this.listeners.keys()];
    let listed: Map<string, QueuedJob>;
    try {
      listed = await this.commands.queue(ids);
    } catch (err) {
      if (!this.failing) this.log(`squeue failed, asking again every poll: ${(err as Error).message}`);
      this.failing = true;
      return;
    }
    if (this.failing) this.log('squeue answers again');
    this.failing = false;
    for (const id of ids) {
      const listener = this.listeners.get(id);
      listener?.(listed.get(id) ?? { state: 'UNLISTED', reason: null });
    }
  }
}
