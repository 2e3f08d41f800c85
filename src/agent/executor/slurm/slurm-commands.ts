import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mirrorError } from '../../../core/index.js';

/** How the Slurm commands are run. */
export interface SlurmCommandOptions {
  /** The slurm.conf they read (SLURM_CONF); undefined means theirs. */
  readonly conf?: string;
  /** The environment they run in (default this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A batch job as `squeue` lists it. */
export interface QueuedJob {
  readonly state: string;
  /** `None` is given as null. */
  readonly reason: string | null;
}

/** The answer of `sacct` for one job: its final state and exit code. */
export interface AccountedJob {
  readonly state: string;
  readonly exitCode: number | null;
}

/** Longest any one Slurm command may take. */
const COMMAND_TIMEOUT_MS = 30_000;

/** The Slurm commands the executor uses, each one process, never through a shell. */
export interface SlurmCommands {
  /** `sbatch --parsable <options> <script>`: answers the new job's id. */
  submit(options: readonly string[], script: string): Promise<string>;
  /** One `squeue` for all of `ids` (any state); a job it no longer knows is absent from the answer. */
  queue(ids: readonly string[]): Promise<Map<string, QueuedJob>>;
  /** `scancel <id>`. */
  cancel(id: string): Promise<void>;
  /** One `sacct` for all of `ids`; undefined when the cluster keeps no accounting. */
  accounting(ids: readonly string[]): Promise<Map<string, AccountedJob> | undefined>;
}

export function slurmCommands(options: SlurmCommandOptions = {}): SlurmCommands {
  const env = commandEnv(options);
  const run = (command: string, args: readonly string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        command,
        args,
        { env, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          if (err && typeof err.code !== 'number') {
            reject(
              new Error(
                `${command}: ${err.killed ? `no answer within ${COMMAND_TIMEOUT_MS / 1000} s` : err.message}`,
              ),
            );
          } else resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
        },
      );
    });
  const failed = (command: string, r: { code: number; stderr: string }) =>
    new Error(`${command} exited with ${r.code}: ${r.stderr.trim() || '(no message)'}`);

  return {
    async submit(args, script) {
      const r = await run('sbatch', ['--parsable', ...args, script]);
      const id = r.stdout.trim().split(';')[0] ?? '';
      if (r.code !== 0 || !/^\d+(_\d+)?$/.test(id)) throw failed('sbatch', r);
      return id;
    },
    async queue(ids) {
      const found = new Map<string, QueuedJob>();
      if (ids.length === 0) return found;
      const r = await run('squeue', [
        '--noheader',
        '--states=all',
        `--jobs=${ids.join(',')}`,
        '--format=%i|%T|%r',
      ]);
      // Every id unknown (all ended long ago): squeue says so and exits 1.
      if (r.code !== 0 && /Invalid job id/i.test(r.stderr)) return found;
      if (r.code !== 0) throw failed('squeue', r);
      for (const line of r.stdout.split('\n')) {
        const [id, state, reason] = line.trim().split('|');
        if (id === undefined || state === undefined || id === '') continue;
        found.set(id, { state, reason: reason === undefined || reason === 'None' ? null : reason });
      }
      return found;
    },
    async cancel(id) {
      const r = await run('scancel', [id]);
      if (r.code !== 0) throw failed('scancel', r);
    },
    async accounting(ids) {
      if (ids.length === 0) return new Map();
      const r = await run('sacct', [
        '--noheader',
        '--parsable2',
        '--allocations',
        `--jobs=${ids.join(',')}`,
        '--format=JobID,State,ExitCode',
      ]);
      if (r.code !== 0) return undefined; // no accounting storage: nothing to ask
      const found = new Map<string, AccountedJob>();
      for (const line of r.stdout.split('\n')) {
        const [id, state, exit] = line.trim().split('|');
        if (id === undefined || state === undefined || id === '') continue;
        const code = /^(\d+):/.exec(exit ?? '');
        // `CANCELLED by 0`: the state is the first word.
        found.set(id, { state: state.split(' ')[0] ?? state, exitCode: code ? Number(code[1]) : null });
      }
      return found;
    },
  };
}

/** The environment the commands run in: the options', SLURM_CONF set when one is given. */
function commandEnv(options: SlurmCommandOptions): Record<string, string | undefined> {
  return {
    ...(options.env ?? process.env),
    ...(options.conf !== undefined && options.conf !== '' ? { SLURM_CONF: options.conf } : {}),
  };
}

/**
 * Throws SLURM_UNAVAILABLE unless `sbatch`, `squeue` and `scancel` are on the PATH and
 * the controller answers (`squeue` lists nothing, or something).
 */
export function checkSlurm(options: SlurmCommandOptions = {}): void {
  if (options.conf !== undefined && options.conf !== '' && !existsSync(options.conf))
    throw mirrorError('SLURM_UNAVAILABLE', { reason: `slurm.conf ${options.conf} does not exist` });
  const env = commandEnv(options);
  const probe = (command: string, args: string[]) => {
    const r = spawnSync(command, args, { env, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
    const failure =
      r.error !== undefined && 'code' in r.error && r.error.code === 'ETIMEDOUT'
        ? `no answer within ${COMMAND_TIMEOUT_MS / 1000} s`
        : (r.error?.message ?? (r.status !== 0 ? r.stderr.trim() || `exit code ${r.status}` : undefined));
    if (failure !== undefined)
      throw mirrorError('SLURM_UNAVAILABLE', { reason: `${command} ${args.join(' ')}: ${failure}` });
  };
  probe('sbatch', ['--version']);
  probe('scancel', ['--version']);
  probe('squeue', ['--noheader', '--format=%i']);
}
