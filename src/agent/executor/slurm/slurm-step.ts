import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { RunningStep, StepLaunch, StepOutcome } from '../executor.js';
import { batchFilesOf, batchScript, submitOptions, type SubmitSettings } from './batch-script.js';
import type { QueueSighting, QueueWatch } from './queue-watch.js';
import type { SlurmCommands } from './slurm-commands.js';
import { ACTIVE_STATES, exitOutcome, noExitReason, schedulerReason, type Asked } from './slurm-outcome.js';

/** What a Slurm step works with; one set per executor. */
export interface SlurmStepDeps {
  readonly commands: SlurmCommands;
  readonly queue: QueueWatch;
  readonly settings: SubmitSettings;
  /** How long a finished job's exit file may take to show (a shared file system's delay). */
  readonly exitReadMs: number;
  /** Environment entries the batch job does not get (the agent token: the job outlives the agent). */
  readonly omitEnv: ReadonlySet<string>;
  readonly log: (line: string) => void;
}

/** How often a stop repeats its scancel while Slurm still lists the job running. */
const CANCEL_AGAIN_MS = 5_000;

/**
 * One step as one Slurm batch job: its script written beside its log, submitted, then
 * followed through the executor's one queue watch until Slurm has let it go; its outcome
 * from the exit file the script writes, or from Slurm's state when Slurm ended it.
 */
export class SlurmStep implements RunningStep {
  readonly pid = 0;
  readonly outcome: Promise<StepOutcome>;
  private settle!: (outcome: StepOutcome) => void;
  private readonly submitted: Promise<string | undefined>;
  private asked: Asked | undefined;
  private stopping = false;
  private ended = false;
  private judging = false;
  private lastState = '';
  private lastCancel = 0;
  private exitWaitSince: number | undefined;
  private askedAccounting = false;
  private unwatch: (() => void) | undefined;
  private unhurry: (() => void) | undefined;

  /** With `adopted`, the batch job of that id, submitted by a previous run of the agent, is followed instead. */
  constructor(
    private readonly launch: StepLaunch,
    readonly token: string,
    private readonly deps: SlurmStepDeps,
    adopted?: string,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    this.submitted = adopted === undefined ? this.submit() : Promise.resolve(this.follow(adopted));
  }

  async stop(): Promise<void> {
    if (!this.ended) {
      this.stopping = true;
      if ((await this.submitted) !== undefined) await this.cancel();
    }
    await this.outcome;
  }

  detach(): void {
    this.finish({ kind: 'detached' });
  }

  private async submit(): Promise<string | undefined> {
    const { launch, deps } = this;
    const files = batchFilesOf(launch.logFile);
    let id: string;
    try {
      if (!(await stat(launch.cwd)).isDirectory())
        throw new Error(`workpath ${launch.cwd} is not a directory`);
      await rm(files.exit, { force: true });
      await writeFile(files.script, batchScript(launch, files, deps.omitEnv), { mode: 0o700 });
      const { options, walltimeSeconds } = submitOptions(launch, deps.settings);
      id = await deps.commands.submit(options, files.script);
      this.asked = { id, walltimeSeconds, memoryMiB: launch.resources?.memoryMiB };
    } catch (err) {
      const reason =
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? `workpath ${launch.cwd} does not exist`
          : (err as Error).message;
      this.finish({ kind: 'failed-to-start', reason });
      return undefined;
    }
    this.report(id, 'SUBMITTED', null);
    this.follow(id);
    if (this.stopping) await this.cancel();
    return id;
  }

  /** Watches batch job `id` until it ends. */
  private follow(id: string): string {
    this.asked ??= {
      id,
      walltimeSeconds: submitOptions(this.launch, this.deps.settings).walltimeSeconds,
      memoryMiB: this.launch.resources?.memoryMiB,
    };
    this.unwatch = this.deps.queue.watch(id, (sighting) => void this.judge(sighting));
    return id;
  }

  /** Asks Slurm to end the job and polls briskly until it has. */
  private async cancel(): Promise<void> {
    const id = this.asked?.id;
    if (id === undefined || this.ended) return;
    this.unhurry ??= this.deps.queue.hurry();
    this.lastCancel = Date.now();
    try {
      await this.deps.commands.cancel(id);
    } catch (err) {
      this.deps.log(`scancel ${id} failed, trying again: ${(err as Error).message}`);
    }
  }

  /** Judges one sighting of the job; one at a time (reading the exit file waits on the disk). */
  private async judge(sighting: QueueSighting): Promise<void> {
    const asked = this.asked;
    if (this.ended || this.judging || asked === undefined) return;
    this.judging = true;
    try {
      const { state, reason } = sighting;
      if (state !== 'UNLISTED') this.report(asked.id, state, reason);
      if (ACTIVE_STATES.has(state)) {
        if (this.stopping && state !== 'COMPLETING' && Date.now() - this.lastCancel > CANCEL_AGAIN_MS)
          await this.cancel();
        return;
      }
      if (this.stopping) return this.finish({ kind: 'killed' });
      const ended = schedulerReason(state, reason, asked);
      if (ended !== undefined) return this.finish({ kind: 'ended-by-scheduler', reason: ended });
      const code = await this.readExit();
      if (code !== undefined) return this.finish(exitOutcome(code));
      if (state === 'UNLISTED') {
        const accounted = await this.accounted(asked);
        if (accounted !== undefined) return this.finish(accounted);
      }
      this.exitWaitSince ??= Date.now();
      if (Date.now() - this.exitWaitSince >= this.deps.exitReadMs)
        this.finish({ kind: 'ended-by-scheduler', reason: noExitReason(state, reason, asked) });
    } finally {
      this.judging = false;
    }
  }

  /**
   * What the cluster's accounting (sacct) says of a job squeue no longer lists, asked
   * once; undefined where there is no accounting, or it says nothing final.
   */
  private async accounted(asked: Asked): Promise<StepOutcome | undefined> {
    if (this.askedAccounting) return undefined;
    this.askedAccounting = true;
    const found = (await this.deps.commands.accounting([asked.id]).catch(() => undefined))?.get(asked.id);
    if (found === undefined || ACTIVE_STATES.has(found.state)) return undefined;
    const ended = schedulerReason(found.state, null, asked);
    if (ended !== undefined) return { kind: 'ended-by-scheduler', reason: ended };
    return found.exitCode === null ? undefined : exitOutcome(found.exitCode);
  }

  /** The exit status the script wrote, or undefined when there is none (yet). */
  private async readExit(): Promise<number | undefined> {
    try {
      const text = (await readFile(batchFilesOf(this.launch.logFile).exit, 'utf8')).trim();
      return /^\d+$/.test(text) ? Number(text) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Tells the lifecycle the job's state when it changed. */
  private report(id: string, state: string, reason: string | null): void {
    const shown = `${state}|${reason ?? ''}`;
    if (shown === this.lastState) return;
    this.lastState = shown;
    try {
      this.launch.onBatch?.({ id, state, reason });
    } catch (err) {
      this.deps.log(`a batch state listener failed: ${(err as Error).message}`);
    }
  }

  private finish(outcome: StepOutcome): void {
    if (this.ended) return;
    this.ended = true;
    this.unwatch?.();
    this.unhurry?.();
    this.settle(outcome);
  }
}
