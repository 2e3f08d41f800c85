import type { StepResources } from '../../calc-package/index.js';

/**
 * The executor: what runs one step's program on a resource machine.
 *
 * Glossary (DESIGN.md's words):
 * - **step**: one program of a job (an `ExeArgument`); here, one shell command run in
 *   the step's workpath with the environment the lifecycle built for it.
 * - **step's tree**: every process the step's program started, including ones that left
 *   its process group (`setsid`, double fork). An executor ends a step only when its whole
 *   tree is gone: nothing a step started outlives the step's end.
 * - **token**: a random value unique to one step run, put in the tree's environment
 *   (`MIRROR_STEP_TOKEN`) so the tree can be found again.
 * - **agent token**: a random value unique to one executor, put in the environment of
 *   every step it starts (`MIRROR_AGENT_TOKEN`), so all its steps' trees can be found at once.
 * - **guard**: a small process of the local executor that outlives the agent only to kill
 *   its steps: when the agent dies, even by SIGKILL, the guard kills every process
 *   carrying the agent token (and every step process group still running), then exits.
 * - **outcome**: why the step ended, as a value (STYLE rule 6); never an exception.
 * - **batch job**: with a batch-scheduler executor (`slurm/`), a step runs as one job of
 *   the cluster's scheduler, which decides where and when; the executor asks after all its
 *   batch jobs at once and tells the lifecycle their states (`onBatch`).
 *
 * The local executor (`local/`) runs processes on this host; the Slurm executor (`slurm/`)
 * submits each step to the Slurm cluster the agent runs on.
 */

/** What to run for one step. */
export interface StepLaunch {
  /** Already rendered and shell-quoted; run with `/bin/sh -c`. */
  command: string;
  /** The step's workpath (absolute; must exist). */
  cwd: string;
  /**
   * The full environment of the program (the caller builds it: `PATH` with the calc
   * package's `bin/` first, the `MIRROR_*` variables). Nothing else is inherited; the
   * executor adds only `MIRROR_STEP_TOKEN` and `MIRROR_AGENT_TOKEN`.
   */
  env: Readonly<Record<string, string>>;
  /** stdout and stderr are both appended here (created if missing; its parent must exist). */
  logFile: string;
  /** Milliseconds before the tree is stopped and the outcome is `timeout`; none when absent. */
  timeoutMs?: number;
  /** Milliseconds between SIGTERM and SIGKILL when a tree is stopped. */
  killGraceMs: number;
  /** The run's token from `tag()`, shared with its hooks; default a fresh one. */
  token?: string;
  /**
   * The size, in bytes, that no one file may pass by more than a block through the program
   * (RLIMIT_FSIZE: a write past it fails, SIGXFSZ ends the writer); none when absent.
   */
  maxFileBytes?: number;
  /** What the step asks of a batch scheduler (cores, nodes, memory, walltime); the local executor runs it as it is. */
  resources?: StepResources;
  /** A name for it in a scheduler's listings, e.g. `mirror-12-solve`. */
  name?: string;
  /** Told when a batch scheduler has taken the step, and each time its state there changes. */
  onBatch?: (batch: BatchState) => void;
}

/** A step's batch job as its scheduler lists it. */
export interface BatchState {
  /** The scheduler's job id. */
  readonly id: string;
  /** Its state there: `PENDING`, `RUNNING`, `COMPLETING`, ... */
  readonly state: string;
  /** Why it is in that state (`Resources`, `Priority`), when the scheduler says. */
  readonly reason: string | null;
}

/**
 * The tags of one step run, made before its pre-method: every process of the run, the
 * hooks' included, carries them, so the run's tree is found (its token) and dies with
 * the agent (the agent token).
 */
export interface StepTags {
  /** The value of `MIRROR_STEP_TOKEN`. */
  readonly token: string;
  /** The environment entries to add to whatever the run starts. */
  readonly env: Readonly<Record<string, string>>;
}

/** Why a step ended. */
export type StepOutcome =
  /** The program exited by itself; code 0 is success. */
  | { kind: 'exited'; code: number }
  /** The program was ended by a signal nobody here sent (e.g. `SIGSEGV`). */
  | { kind: 'signaled'; signal: string }
  /** The step ran longer than `timeoutMs` and its tree was stopped. */
  | { kind: 'timeout'; afterMs: number }
  /** `stop()` was called before the program ended. */
  | { kind: 'killed' }
  /** The program never ran (missing workpath, log file that cannot be opened, ...). */
  | { kind: 'failed-to-start'; reason: string }
  /** A batch scheduler ended or lost it: walltime, memory, a node's failure, a cancel from elsewhere. */
  | { kind: 'ended-by-scheduler'; reason: string }
  /** `detach()` was called: the step goes on without this agent, which no longer follows it. */
  | { kind: 'detached' };

/** A step that was started. */
export interface RunningStep {
  /** The program's pid (also its process group id); 0 when it never started. */
  readonly pid: number;
  /** The value of `MIRROR_STEP_TOKEN` in the step's tree. */
  readonly token: string;
  /** Resolves once the step has ended AND every process of its tree is gone; never rejects. */
  readonly outcome: Promise<StepOutcome>;
  /**
   * Stops the whole tree: SIGTERM, grace (the launch's `killGraceMs`, or `graceMs`), SIGKILL.
   * Idempotent. Resolves when all are gone.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /**
   * Lets go of a step that goes on without its agent (a batch job), for the agent's next
   * run to follow again (`Executor.adopt`); its outcome then resolves `detached`. Absent
   * where a step cannot outlive its agent.
   */
  detach?(): void;
}

/** Runs steps. */
export interface Executor {
  /** Its name, as machines show it: `local`, `slurm`. */
  readonly kind: string;
  /** New tags for a step run (also making sure what kills its tree if the agent dies runs). */
  tag(): StepTags;
  /**
   * Stops every process still carrying a run's token (what its hooks left behind:
   * SIGTERM, `graceMs`, SIGKILL); resolves once none is left.
   */
  collect(token: string, graceMs: number): Promise<void>;
  /** What the executor's long-lived helpers (the hooks children) carry, so they die with the agent. */
  readonly agentEnv: Readonly<Record<string, string>>;
  /**
   * Starts a step; never throws (a step that cannot start ends as `failed-to-start`,
   * also after `close()`).
   */
  start(launch: StepLaunch): RunningStep;
  /**
   * Follows, as if it had started it, a step a previous run of this agent started and
   * that outlived it (a batch job, by its id); absent on an executor whose steps die with
   * their agent (the local executor). The launch is the one that started it.
   */
  adopt?(launch: StepLaunch, batchId: string): RunningStep;
  /**
   * Ends the executor, once every step has ended (after their `stop()`): releases what
   * outlives the agent only to clean up after it (the local executor's guard), killing
   * any process of its steps that is somehow still there. Resolves when that is done.
   * Idempotent; `start()` afterwards fails the step.
   */
  close(): Promise<void>;
}
