// A real single-node Slurm cluster for a test file: munged, slurmctld and slurmd from
// Debian's slurm-wlm and munge, each in the foreground under this process, with their own
// generated slurm.conf, key, ports, state and spool in a temporary directory, so clusters of
// parallel test files never meet. Jobs run as root on this host (ProctrackType linuxproc,
// TaskPlugin none, no accounting). `stop` cancels every job and ends the three daemons.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeIfAvailable } from './required.js';
import { scratchDir } from './scratch.js';

const DAEMONS = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd'];
const CLIENTS = ['/usr/bin/sbatch', '/usr/bin/squeue', '/usr/bin/scancel', '/usr/bin/sinfo'];

/** Why no Slurm cluster can be started here, or undefined when one can. */
export function slurmUnavailable(): string | undefined {
  const missing = [...DAEMONS, ...CLIENTS].filter((f) => !existsSync(f));
  if (missing.length > 0) return `${missing.join(', ')} missing (apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0) return 'a test cluster runs its jobs as root, and this is not root';
  return undefined;
}

/** Declares `fn`'s tests when a cluster can run here; otherwise a skip saying why, or a failure in CI. */
export function describeWithSlurm(name: string, fn: () => void): void {
  describeIfAvailable(name, slurmUnavailable(), fn);
}

/** A running test cluster. */
export interface SlurmCluster {
  /** Its slurm.conf: give it as config `slurm.conf` (or SLURM_CONF to the commands). */
  readonly conf: string;
  /** The environment its commands need. */
  readonly env: Record<string, string>;
  /** The node's CPUs. */
  readonly cpus: number;
  /** Runs a Slurm command against this cluster; answers its stdout (throws on a failure). */
  command(name: string, args: readonly string[]): string;
  /** Stops the controller for `ms` (running jobs go on on the node), then starts it again from its saved state. */
  controllerOutage(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** A free loopback TCP port, as the kernel gives one. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts a cluster of one node with `cpus` CPUs; resolves once the node takes jobs. */
export async function startSlurmCluster(cpus = 2): Promise<SlurmCluster> {
  const dir = await scratchDir('mirror-slurm-');
  const name = `m${randomBytes(5).toString('hex')}`;
  const node = `${name}n`;
  for (const sub of ['state', 'spool', 'munge']) await mkdir(join(dir, sub));
  const key = join(dir, 'munge', 'munge.key');
  await writeFile(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(dir, 'munge', 'socket');
  const [ctldPort, nodePort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  await writeFile(
    conf,
    [
      `ClusterName=${name}`,
      `SlurmctldHost=${hostname()}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${nodePort}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'MpiDefault=none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'MailProg=/bin/true',
      'ReturnToService=2',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'MinJobAge=300',
      'KillWait=2',
      'MessageTimeout=2',
      'InactiveLimit=0',
      `NodeName=${node} NodeHostname=${hostname()} NodeAddr=127.0.0.1 Port=${nodePort} CPUs=${cpus} RealMemory=1000 State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...(process.env as Record<string, string>), SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const daemon = (path: string, args: string[]) => {
    const child = spawn(path, args, { env, stdio: 'ignore' });
    child.on('error', () => undefined);
    daemons.push(child);
    return child;
  };
  let controller: ChildProcess | undefined;
  const command = (cmd: string, args: readonly string[]): string => {
    const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  };
  const stop = async () => {
    try {
      command('scancel', ['--full', `--user=root`]);
      for (let i = 0; i < 50 && command('squeue', ['--noheader', '--format=%i']).trim() !== ''; i++)
        await sleep(100);
    } catch {
      // The controller is gone already: its jobs' processes are ended with the node below.
    }
    for (const child of daemons.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      if ((await Promise.race([exited, sleep(5_000, 'late')])) === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
    }
  };
  try {
    daemon('/usr/sbin/munged', [
      '--foreground',
      '--force',
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--log-file=${join(dir, 'munge', 'log')}`,
      `--pid-file=${join(dir, 'munge', 'pid')}`,
      `--seed-file=${join(dir, 'munge', 'seed')}`,
    ]);
    await until(() => existsSync(socket), 'munged made no socket');
    controller = daemon('/usr/sbin/slurmctld', ['-D', '-i']);
    daemon('/usr/sbin/slurmd', ['-D', '-N', node]);
    await until(() => {
      try {
        return command('sinfo', ['--noheader', '--format=%T']).trim() === 'idle';
      } catch {
        return false;
      }
    }, `the node did not come up (see ${dir}/slurmctld.log, slurmd.log)`);
  } catch (err) {
    await stop();
    throw err;
  }
  const controllerOutage = async (ms: number) => {
    const old = controller;
    if (old) {
      const exited = new Promise((resolve) => old.once('exit', resolve));
      old.kill('SIGTERM');
      await exited;
    }
    await sleep(ms);
    controller = daemon('/usr/sbin/slurmctld', ['-D']);
    await until(() => {
      try {
        command('squeue', ['--noheader']);
        return true;
      } catch {
        return false;
      }
    }, 'the controller did not come back');
  };
  return { conf, env: { SLURM_CONF: conf }, cpus, command, controllerOutage, stop };
}

async function until(ready: () => boolean, failure: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!ready()) {
    if (Date.now() > end) throw new Error(failure);
    await sleep(100);
  }
}
