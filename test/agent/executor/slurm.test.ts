// The Slurm executor against a real single-node Slurm (test/support/slurm.ts): each step a
// batch job, its outcome from the exit status its script writes or from Slurm's state,
// stop as scancel confirmed, and polls that fail for a while judging nothing.
import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createSlurmExecutor,
  pidsWithToken,
  type BatchState,
  type Executor,
  type StepLaunch,
} from '../../../src/agent/executor/index.js';
import { scratchDir } from '../../support/scratch.js';
import { describeWithSlurm, startSlurmCluster, type SlurmCluster } from '../../support/slurm.js';
import { procStat } from './processes.js';

/** The executor's options for the cluster of `conf`: quick polls, a short wait for exit files. */
const optionsOf = (conf: string, log: (line: string) => void) => ({
  conf,
  partition: '',
  account: '',
  extraArgs: [],
  pollMs: 200,
  exitReadMs: 1_000,
  log,
});

describeWithSlurm('the Slurm executor on a real cluster', () => {
  let cluster: SlurmCluster;
  let executor: Executor;
  let dir: string;
  const logged: string[] = [];

  beforeAll(async () => {
    cluster = await startSlurmCluster(2);
    executor = createSlurmExecutor(optionsOf(cluster.conf, (line) => logged.push(line)));
  }, 60_000);

  afterAll(async () => {
    await executor?.close();
    await cluster?.stop();
  });

  beforeEach(async () => {
    dir = await realpath(await scratchDir('mirror-slurm-step-'));
  });

  /** Starts `command` in the test's directory, collecting the batch states told. */
  const start = (command: string, launch: Partial<StepLaunch> = {}) => {
    const states: BatchState[] = [];
    const tags = executor.tag();
    const step = executor.start({
      command,
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', MIRROR_JOB_ID: '7', ...tags.env },
      logFile: join(dir, 'step.log'),
      killGraceMs: 300,
      token: tags.token,
      onBatch: (batch) => states.push(batch),
      ...launch,
    });
    return { step, states, tags };
  };
  const log = () => readFile(join(dir, 'step.log'), 'utf8');

  it('runs a step as one batch job in its workpath with its environment, and takes its exit status', async () => {
    const { step, states, tags } = start(
      'echo "job $MIRROR_JOB_ID in $(pwd) batch $SLURM_JOB_ID"; env | grep -c MIRROR_AGENT_TOKEN; exit 3',
    );
    expect(await step.outcome).toEqual({ kind: 'exited', code: 3 });
    const id = states[0]?.id ?? '';
    expect(states[0]).toEqual({ id, state: 'SUBMITTED', reason: null });
    expect(states.map((s) => s.state)).toContain('FAILED');
    // The agent token stays behind: the batch job outlives the agent.
    expect(await log()).toBe(`job 7 in ${dir} batch ${id}\n0\n`);
    expect(await pidsWithToken(tags.token)).toEqual([]);
  });

  it('tells a step ended by a signal', async () => {
    const { step } = start('kill -SEGV $$');
    expect(await step.outcome).toEqual({ kind: 'signaled', signal: 'SIGSEGV' });
  });

  it('tells why a step waits: PENDING (Resources) while the cores it asks for are taken', async () => {
    const cores = { resources: { cores: cluster.cpus } };
    // Each its own log: a step's batch script and exit file are named after its log.
    const first = start('sleep 30', { ...cores, logFile: join(dir, 'first.log') });
    await until(() => first.states.some((s) => s.state === 'RUNNING'));
    const second = start('true', { ...cores, logFile: join(dir, 'second.log') });
    await until(() => second.states.some((s) => s.state === 'PENDING' && s.reason === 'Resources'));
    await first.step.stop();
    expect(await first.step.outcome).toEqual({ kind: 'killed' });
    expect(await second.step.outcome).toEqual({ kind: 'exited', code: 0 });
  });

  it('stops a step with scancel, answering once Slurm no longer runs it, nothing of it left', async () => {
    const { step, states, tags } = start('sleep 300 & sleep 300; wait');
    await until(() => states.some((s) => s.state === 'RUNNING'));
    await until(async () => (await pidsWithToken(tags.token)).length >= 2);
    await step.stop();
    expect(await step.outcome).toEqual({ kind: 'killed' });
    const id = states[0]?.id ?? '';
    expect(
      cluster.command('squeue', ['--noheader', '--states=all', `--jobs=${id}`, '--format=%T']).trim(),
    ).toBe('CANCELLED');
    expect(await pidsWithToken(tags.token)).toEqual([]);
  });

  it('tells a step cancelled outside Mirror', async () => {
    const { step, states } = start('sleep 300');
    await until(() => states.some((s) => s.state === 'RUNNING'));
    cluster.command('scancel', [states[0]?.id ?? '']);
    expect(await step.outcome).toEqual({
      kind: 'ended-by-scheduler',
      reason: 'cancelled outside Mirror by scancel',
    });
  });

  it('tells a step whose batch script died before it could write an exit status', async () => {
    const { step, states, tags } = start('sleep 300');
    await until(async () => (await pidsWithToken(tags.token)).length > 0);
    // The command's parent is the batch script's shell: both die by SIGKILL, as on a node's trouble.
    const [command = 0] = await pidsWithToken(tags.token);
    const script = procStat(command)?.ppid ?? 0;
    process.kill(script, 'SIGKILL');
    process.kill(command, 'SIGKILL');
    const outcome = await step.outcome;
    const id = states[0]?.id ?? '';
    expect(outcome).toMatchObject({ kind: 'ended-by-scheduler' });
    expect((outcome as { reason: string }).reason).toMatch(
      new RegExp(`^Slurm job ${id} ended FAILED \\(.+\\) before its command wrote an exit status$`),
    );
  });

  it('fails a step over its walltime with the walltime Slurm allowed', async () => {
    const { step } = start('sleep 300', { resources: { walltimeSeconds: 5 } });
    expect(await step.outcome).toEqual({
      kind: 'ended-by-scheduler',
      reason: 'walltime of 00:01:00 exceeded',
    });
    expect(await log()).toMatch(/CANCELLED AT .* DUE TO TIME LIMIT/);
  }, 150_000);

  it('judges nothing while squeue fails, and carries the step on when the controller is back', async () => {
    const { step, states } = start('sleep 6; echo done');
    await until(() => states.some((s) => s.state === 'RUNNING'));
    logged.length = 0;
    // Longer than squeue waits for a controller (MessageTimeout, 2 s here): its calls fail meanwhile.
    await cluster.controllerOutage(8_000);
    expect(await step.outcome).toEqual({ kind: 'exited', code: 0 });
    expect(await log()).toBe('done\n');
    expect(logged.filter((l) => l.startsWith('squeue failed'))).toHaveLength(1);
    expect(logged).toContain('squeue answers again');
  }, 90_000);

  it('fails a step asked for after close(), submitting nothing', async () => {
    const closing = createSlurmExecutor(optionsOf(cluster.conf, () => undefined));
    await closing.close();
    const step = closing.start({
      command: 'true',
      cwd: dir,
      env: {},
      logFile: join(dir, 'step.log'),
      killGraceMs: 0,
    });
    expect(await step.outcome).toEqual({ kind: 'failed-to-start', reason: 'the executor is closed' });
  });

  it('fails a step whose workpath is missing, submitting nothing', async () => {
    const { step, states } = start('true', { cwd: join(dir, 'nowhere') });
    expect(await step.outcome).toEqual({
      kind: 'failed-to-start',
      reason: `workpath ${join(dir, 'nowhere')} does not exist`,
    });
    expect(states).toEqual([]);
  });
});

async function until(ready: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('the Slurm executor where no cluster answers', () => {
  it('refuses to start, naming a slurm.conf that does not exist', () => {
    expect(() => createSlurmExecutor(optionsOf('/nonexistent/slurm.conf', () => undefined))).toThrow(
      'the Slurm executor cannot reach the cluster: slurm.conf /nonexistent/slurm.conf does not exist',
    );
  });
});
