// The local executor's guard: a step's tree must not outlive its agent, even one killed
// with SIGKILL. Real processes throughout: an agent-like host process (a fixture program),
// real steps, the real guard. Every test leaves no process behind: afterEach closes the
// executors, kills whatever it saw that is still there, and fails the test if there was any.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENT_TOKEN_VAR,
  createLocalExecutor,
  pidsWithEnv,
  pidsWithToken,
  type Executor,
  type StepLaunch,
} from '../../../src/agent/executor/index.js';
import { isMirrorError } from '../../../src/core/index.js';
import {
  envOf,
  isGone,
  isReaped,
  killAll,
  pidInLog,
  pidsWithArg,
  pollUntil,
  procStat,
  program,
  waitForLog,
} from './processes.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const HOST = fileURLToPath(new URL('../../fixtures/programs/executor-host.ts', import.meta.url));

/** A step command leaving, besides the tree of spawns-grandchild.sh, a group member without tokens. */
const UNTAGGED = `env -u MIRROR_STEP_TOKEN -u ${AGENT_TOKEN_VAR} sleep 300 & echo "untagged $!"`;

let workDir: string;
const executors: Executor[] = [];
const hosts: ChildProcess[] = [];
/** Step tokens, agent tokens and pids seen by the test: what afterEach cleans up. */
const stepTokens = new Set<string>();
const agentTokens = new Set<string>();
const pids = new Set<number>();

beforeEach(async () => {
  workDir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'mirror-guard-')));
});

afterEach(async () => {
  for (const host of hosts.splice(0)) killAll(host.pid === undefined ? [] : [host.pid]);
  await Promise.all(executors.splice(0).map((e) => e.close()));
  const left = new Set(pids);
  for (const token of stepTokens) for (const pid of await pidsWithToken(token)) left.add(pid);
  for (const token of agentTokens) {
    for (const pid of await pidsWithEnv(AGENT_TOKEN_VAR, token)) left.add(pid);
    for (const pid of pidsWithArg(token)) left.add(pid);
  }
  const leftovers = killAll(left);
  stepTokens.clear();
  agentTokens.clear();
  pids.clear();
  await rm(workDir, { recursive: true, force: true });
  expect(leftovers, 'processes left behind by the test').toEqual([]);
});

/** A local executor that afterEach closes. */
function newExecutor(): Executor {
  const executor = createLocalExecutor();
  executors.push(executor);
  return executor;
}

/** Starts `command` in the work directory, logging to `<name>.log`. */
function start(executor: Executor, name: string, command: string, launch: Partial<StepLaunch> = {}) {
  const logFile = path.join(workDir, `${name}.log`);
  const step = executor.start({
    command,
    cwd: workDir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    logFile,
    killGraceMs: 400,
    ...launch,
  });
  stepTokens.add(step.token);
  return { step, logFile };
}

/** The agent token a running step carries (read from its environment), remembered for cleanup. */
function agentTokenOf(step: { pid: number }): string {
  const token = envOf(step.pid, AGENT_TOKEN_VAR);
  if (token === undefined) throw new Error(`step ${step.pid} carries no ${AGENT_TOKEN_VAR}`);
  agentTokens.add(token);
  return token;
}

/** The guard processes of the executor with this agent token (its last argument). */
function guardsOf(agentToken: string): number[] {
  const found = pidsWithArg(agentToken);
  for (const pid of found) pids.add(pid);
  return found;
}

/** The guards this test process started (and has not reaped): its children named like one. */
function ourGuards(): number[] {
  return pidsWithArg('mirror-step-guard').filter((pid) => procStat(pid)?.ppid === process.pid);
}

/** Waits until the setsid'd grandchild has exec'd its `sleep` (it calls setsid() first). */
async function settled(pid: number): Promise<boolean> {
  const comm = () => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
    } catch {
      return '';
    }
  };
  return (await pollUntil(comm, (c) => c === 'sleep')) === 'sleep';
}

/** Runs the host fixture with one step and returns it with what it printed. */
async function startHost(command: string, logFile: string) {
  const host = spawn(process.execPath, ['--import', 'tsx', HOST, command, workDir, logFile], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hosts.push(host);
  let out = '';
  let err = '';
  host.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    host.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    host.once('exit', (code) => reject(new Error(`host exited (${String(code)}) before its step: ${err}`)));
  });
  const printed = JSON.parse(line) as { host: number; pid: number; token: string };
  expect(printed.host).toBe(host.pid);
  stepTokens.add(printed.token);
  return { host, pid: printed.pid, token: printed.token };
}

describe('local executor guard: the agent killed with SIGKILL', () => {
  it('the whole tree of its step is gone soon after, setsid grandchild and token-less group member too', async () => {
    const logFile = path.join(workDir, 'step.log');
    const step = await startHost(`${UNTAGGED}; exec ${program('spawns-grandchild.sh', '300')}`, logFile);
    const text = await waitForLog(logFile, /^main \d+$/m);
    const main = pidInLog(text, 'main');
    const child = pidInLog(text, 'child');
    const escaped = pidInLog(text, 'escaped');
    const untagged = pidInLog(text, 'untagged');
    for (const pid of [child, escaped, untagged]) pids.add(pid);
    expect(await settled(escaped), `escaped ${escaped} has called setsid`).toBe(true);
    const agentToken = agentTokenOf(step);
    const guards = guardsOf(agentToken);

    // Before: the tree (found by the executor's own scan) and the guard all run.
    const tree = await pidsWithToken(step.token);
    expect(tree).toEqual(expect.arrayContaining([step.pid, main, child, escaped]));
    for (const pid of [...tree, untagged]) expect(isGone(pid), `${pid} alive before the kill`).toBe(false);
    expect(guards).toHaveLength(1);
    expect(await pidsWithEnv(AGENT_TOKEN_VAR, agentToken)).toEqual(expect.arrayContaining(tree));

    const exited = once(step.host, 'exit');
    step.host.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);

    // After: nothing of the step, and no guard either, within a generous limit.
    const remaining = async () => [
      ...(await pidsWithToken(step.token)),
      ...(await pidsWithEnv(AGENT_TOKEN_VAR, agentToken)),
      ...[untagged, ...guards].filter((pid) => !isGone(pid)),
    ];
    expect(await pollUntil(remaining, (left) => left.length === 0)).toEqual([]);
    for (const pid of [...tree, untagged, ...guards]) expect(isGone(pid), `${pid} gone`).toBe(true);
  });
});

describe('local executor guard: normal operation', () => {
  it('starts no guard before the first step; stop and close() leave no guard and no step process', async () => {
    const executor = newExecutor();
    expect(ourGuards(), 'guards before the first step').toEqual([]);
    const finished = start(executor, 'finished', program('slow-progress.sh', '3', '0.01'));
    const running = start(executor, 'running', program('spawns-grandchild.sh', '300'));
    await waitForLog(running.logFile, /^main \d+$/m);
    const agentToken = agentTokenOf(running.step);
    const guards = guardsOf(agentToken);
    expect(guards).toHaveLength(1);

    // A step that ends by itself reports as before, and the guard does not touch it.
    expect(await finished.step.outcome).toEqual({ kind: 'exited', code: 0 });
    expect(readFileSync(finished.logFile, 'utf8')).toBe('Iter 1 of 3\nIter 2 of 3\nIter 3 of 3\n');
    expect(isGone(running.step.pid)).toBe(false);

    await running.step.stop();
    expect(await running.step.outcome).toEqual({ kind: 'killed' });
    await executor.close();
    await executor.close();
    for (const pid of guards) expect(isReaped(pid), `guard ${pid} reaped`).toBe(true);
    expect(guardsOf(agentToken)).toEqual([]);
    expect(await pidsWithEnv(AGENT_TOKEN_VAR, agentToken)).toEqual([]);
  });

  it('refuses steps after close()', async () => {
    const executor = newExecutor();
    await executor.close();
    const { step } = start(executor, 'late', 'echo never');
    expect(step.pid).toBe(0);
    expect(await step.outcome).toEqual({ kind: 'failed-to-start', reason: 'the executor is closed' });
  });

  it('restarts a lost guard at the next step start', async () => {
    const executor = newExecutor();
    const first = start(executor, 'first', 'echo "token $MIRROR_AGENT_TOKEN"; exec sleep 300');
    await waitForLog(first.logFile, /^token /m);
    const agentToken = agentTokenOf(first.step);
    await first.step.stop();
    const [lost] = guardsOf(agentToken);
    expect(lost).toBeDefined();
    process.kill(lost ?? 0, 'SIGKILL');
    // Reaped means its 'exit' was handled: the executor knows it lost its guard.
    expect(await pollUntil(() => isReaped(lost ?? 0), Boolean)).toBe(true);

    const second = start(executor, 'second', 'exec sleep 300');
    const [restarted] = guardsOf(agentToken);
    expect(restarted).toBeDefined();
    expect(restarted).not.toBe(lost);
    await second.step.stop();
    expect(await second.step.outcome).toEqual({ kind: 'killed' });
  });

  it('restarts a guard lost while steps run, and tells it their process groups', async () => {
    const executor = newExecutor();
    // Only the step's process group leads the guard to this tree: no process of it keeps
    // the agent token (the main process drops it, the background one drops both tokens).
    const { step, logFile } = start(
      executor,
      'long',
      `echo "agent $${AGENT_TOKEN_VAR}"; ${UNTAGGED}; exec env -u ${AGENT_TOKEN_VAR} sleep 300`,
    );
    const text = await waitForLog(logFile, /^untagged \d+$/m);
    const untagged = pidInLog(text, 'untagged');
    pids.add(untagged);
    const agentToken = /^agent ([0-9a-f]{32})$/m.exec(text)?.[1] ?? '';
    agentTokens.add(agentToken);
    const [lost] = guardsOf(agentToken);
    expect(lost).toBeDefined();
    process.kill(lost ?? 0, 'SIGKILL');
    const replaced = await pollUntil(
      () => guardsOf(agentToken),
      (g) => g.length === 1 && g[0] !== lost,
    );
    expect(replaced).toHaveLength(1);
    expect(replaced).not.toContain(lost);

    // close() with the step still running: the new guard kills the announced group.
    await executor.close();
    const alive = () => [step.pid, untagged].filter((pid) => !isGone(pid));
    expect(await pollUntil(alive, (left) => left.length === 0)).toEqual([]);
    expect(await step.outcome).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
  });
});

describe('local executor guard: availability', () => {
  it('is unavailable when the guard finds no grep', async () => {
    const empty = path.join(workDir, 'empty-bin');
    await mkdir(empty);
    let error: unknown;
    try {
      createLocalExecutor({ guardPath: empty });
    } catch (err) {
      error = err;
    }
    expect(isMirrorError(error, 'EXECUTOR_UNAVAILABLE'), String(error)).toBe(true);
    expect(String(error)).toContain(`grep -z on PATH ${empty}`);
  });
});
