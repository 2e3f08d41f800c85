import { formatWalltime } from '../../../calc-package/index.js';
import type { StepLaunch } from '../executor.js';
import { withFileSizeLimit } from '../file-size-limit.js';

/** Where a step's batch job keeps its files: beside the step's log. */
export interface BatchFiles {
  /** The generated script `sbatch` submits. */
  readonly script: string;
  /** Written by the script when the command ends: its exit status, one line. */
  readonly exit: string;
}

/** `…/.mirror/logs/solve.log` → `…/solve.sbatch` and `…/solve.exit`. */
export function batchFilesOf(logFile: string): BatchFiles {
  const stem = logFile.replace(/\.log$/, '');
  return { script: `${stem}.sbatch`, exit: `${stem}.exit` };
}

/** A shell word that stands for exactly `text`. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The batch script of one step: the step's environment and nothing else (the job is
 * submitted with --export=NONE), its workpath, its command under `/bin/sh -c` with the
 * file size limit, then its exit status written to the exit file (through a temporary
 * name, so the agent never reads half a line). stdout and stderr go to the step's log by
 * `sbatch --output`. `srun` inside the command passes the same environment on.
 */
export function batchScript(launch: StepLaunch, files: BatchFiles, omit: ReadonlySet<string>): string {
  const exports = Object.entries(launch.env)
    .filter(([name]) => !omit.has(name) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    .map(([name, value]) => `export ${name}=${quote(value)}`);
  const exit = quote(files.exit);
  const part = quote(`${files.exit}.part`);
  return [
    '#!/bin/sh',
    '# Written by Mirror for one step; the agent reads the exit file it leaves.',
    ...exports,
    'export SLURM_EXPORT_ENV=ALL',
    `cd ${quote(launch.cwd)} || { echo 127 > ${part} && mv -f ${part} ${exit}; exit 127; }`,
    `/bin/sh -c ${quote(withFileSizeLimit(launch))} < /dev/null`,
    'code=$?',
    `echo "$code" > ${part} && mv -f ${part} ${exit}`,
    'exit "$code"',
    '',
  ].join('\n');
}

/** Options of `sbatch` for one step. */
export interface SubmitSettings {
  readonly partition: string;
  readonly account: string;
  readonly extraArgs: readonly string[];
}

/**
 * The `sbatch` options of one step: its name, workpath and log, no environment but the
 * script's, and what it asks for. Its walltime is the adapter's, else its timeout's,
 * rounded up to whole minutes (Slurm's unit); answered with the options and that walltime.
 */
export function submitOptions(
  launch: StepLaunch,
  settings: SubmitSettings,
): { options: string[]; walltimeSeconds: number | undefined } {
  const r = launch.resources ?? {};
  const asked = r.walltimeSeconds ?? (launch.timeoutMs !== undefined ? launch.timeoutMs / 1000 : undefined);
  // Slurm counts walltime in whole minutes: what it will allow is asked, and later told.
  const walltimeSeconds = asked === undefined ? undefined : Math.ceil(asked / 60) * 60;
  const options = [
    `--job-name=${launch.name ?? 'mirror-step'}`,
    `--chdir=${launch.cwd}`,
    `--output=${launch.logFile}`,
    '--open-mode=append',
    '--export=NONE',
    '--ntasks-per-node=1',
    ...(r.cores !== undefined ? [`--cpus-per-task=${r.cores}`] : []),
    ...(r.nodes !== undefined ? [`--nodes=${r.nodes}`] : []),
    ...(r.memoryMiB !== undefined ? [`--mem=${r.memoryMiB}M`] : []),
    ...(walltimeSeconds !== undefined ? [`--time=${slurmTime(walltimeSeconds)}`] : []),
    ...(settings.partition !== '' ? [`--partition=${settings.partition}`] : []),
    ...(settings.account !== '' ? [`--account=${settings.account}`] : []),
    ...settings.extraArgs,
  ];
  return { options, walltimeSeconds };
}

/** Seconds as Slurm's `days-hours:minutes:seconds`. */
function slurmTime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  return `${days}-${formatWalltime(seconds % 86_400)}`;
}
