import { JOB_STATES, type JobState } from './states.js';

/**
 * What moves a job, and from which states: every operation that changes a job's state
 * is one of these, and the verbs take their states from here. The transition table is
 * their union (the store refuses any change it does not have, whoever asks).
 */
export const MOVES = {
  /** An agent takes a queued job. */
  claim: { from: ['queued'], to: 'assigned' },
  /** Killed before a step of it ran, or between steps: in the store alone. */
  cancel: { from: ['queued', 'assigned', 'built', 'ready'], to: 'killed' },
  /** Its agent was lost before a step ran: back in the queue for any machine. */
  requeue: { from: ['assigned', 'built', 'ready'], to: 'queued' },
  /** Its agent was lost: nothing can say what became of it. */
  lose: { from: ['assigned', 'built', 'ready', 'running'], to: 'lost' },
  /** `jobdirbuild` force=0: the first run directory. */
  dirbuild: { from: ['assigned'], to: 'built' },
  /** `jobdirbuild` force=1: a fresh run directory. */
  rebuild: { from: ['assigned', 'built', 'ready', 'finished', 'failed', 'killed'], to: 'built' },
  /** `jobfilebuild`: the input files, again if asked. */
  filebuild: { from: ['built', 'ready', 'finished', 'failed', 'killed'], to: 'ready' },
  /** `jobrun`: its steps start (again, on a settled job). */
  run: { from: ['ready', 'finished', 'failed', 'killed'], to: 'running' },
  /** A step succeeded and others remain. */
  stepDone: { from: ['running'], to: 'ready' },
  /** The last step succeeded (and autorun recovered the results). */
  finish: { from: ['running'], to: 'finished' },
  /** A step failed, autorun could not recover the results, or its agent stopped or restarted. */
  fail: { from: ['running'], to: 'failed' },
  /** An autorun phase before the steps failed (the reason says which). */
  failPhase: { from: ['assigned', 'built', 'ready'], to: 'failed' },
  /** `jobkill`: its running step was stopped. */
  kill: { from: ['running'], to: 'killed' },
  /** Run again from the queue, its data cleared. */
  rerun: { from: ['finished', 'failed', 'killed', 'lost'], to: 'queued' },
  /** Its agent came back and still runs it. */
  adopt: { from: ['lost'], to: 'running' },
  /** A lost job given up. */
  giveUp: { from: ['lost'], to: 'failed' },
} as const satisfies Record<string, { readonly from: readonly JobState[]; readonly to: JobState }>;

export type Move = keyof typeof MOVES;

/**
 * The states in which verbs that only read a job may act (they change no state):
 * `jobprocessmonitor` once its directory is built, `jobresultrecovery` once its files are.
 */
export const READS = {
  monitor: ['built', 'ready', 'running', 'finished', 'failed', 'killed'],
  recover: ['ready', 'finished', 'failed', 'killed'],
} as const satisfies Record<string, readonly JobState[]>;

/**
 * The transition table: for each state, the states a job may move to from it (the union
 * of MOVES). The store applies a change only if the table has it and the job is still in
 * a source state the caller named.
 */
export const TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = tableOf(MOVES);

function tableOf(moves: typeof MOVES): Record<JobState, JobState[]> {
  const table = Object.fromEntries(JOB_STATES.map((s) => [s, [] as JobState[]])) as Record<
    JobState,
    JobState[]
  >;
  for (const { from, to } of Object.values(moves)) {
    for (const state of from) if (!table[state].includes(to)) table[state].push(to);
  }
  return table;
}

/** True when a job in `from` may move to `to`. */
export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Every state from which a job may move to `to`. */
export function statesLeadingTo(to: JobState): JobState[] {
  return (Object.keys(TRANSITIONS) as JobState[]).filter((from) => canTransition(from, to));
}

/** States of a job no step of which runs now: killing it cancels it, in the store alone. */
export const CANCELLABLE_STATES: readonly JobState[] = MOVES.cancel.from;

/** States in which a job's steps may be running or about to run on its agent. */
export const ACTIVE_STATES: readonly JobState[] = ['running'];

/** States a job ends in until someone acts on it again (and may be rerun from). */
export const SETTLED_STATES: readonly JobState[] = MOVES.rerun.from;
