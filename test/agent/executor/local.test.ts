import { readFileSync } from 'node:fs';
// The local executor, with real fixture programs (test/fixtures/programs). Every test
// must leave no process behind: afterEach scans /proc for the tokens of the steps it
// started, kills what it finds and fails the test if there was anything.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalExecutor,
  pidsWithToken,
  type RunningStep,
  type StepLaunch,
} from '../../../src/agent/executor/index.js';
import { isGone, isReaped, pidInLog, procStat, program, waitForLog } from './processes.js';

const GRACE_MS = 400;
const executor = createLocalExecutor();

let workDir: string;
let logFile: string;
let started: RunningStep[] = [];

// Ends the executor's guard (started with the first step).
afterAll(() => executor.close());

beforeEach(async () => {
  workDir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'mirror-executor-')));
  logFile = path.join(workDir, 'step.log');
});

afterEach(async () => {
  const leftovers: number[] = [];
  for (const step of started) {
    for (const pid of await pidsWithToken(step.token)) {
      leftovers.push(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Ended on its own meanwhile.
      }
    }
  }
  started = [];
  await rm(workDir, { recursive: true, force: true });
  expect(leftovers, 'processes left behind by the test').toEqual([]);
});

/** Starts `command` in the test's work directory, logging to its log file. */
function start(command: string, launch: Partial<StepLaunch> = {}): RunningStep {
  const step = executor.start({
    command,
    cwd: workDir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', MIRROR_JOB_ID: '7' },
    logFile,
    killGraceMs: GRACE_MS,
    ...launch,
  });
  started.push(step);
  return step;
}

async function log(): Promise<string> {
  return readFile(logFile, 'utf8');
}

/** Asserts nothing of the step is left: its main process reaped, no process with its token. */
async function expectTreeGone(step: RunningStep): Promise<void> {
  expect(isReaped(step.pid), `main process ${step.pid} reaped`).toBe(true);
  expect(await pidsWithToken(step.token)).toEqual([]);
}

const hasSetsid = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v setsid'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Polls `ready` every 10 ms until it holds (up to 5 s). */
/** The command name of a live process, '' when it is gone. */
function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
}

async function until(ready: () => boolean): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('local executor: how a step ends', () => {
  it('ends with exit code 0 and logs the program output', async () => {
    const step = start(program('slow-progress.sh', '3', '0.01'));
    expect(step.pid).toBeGreaterThan(0);
    expect(step.token).toMatch(/^[0-9a-f]{32}$/);
    expect(await step.outcome).toEqual({ kind: 'exited', code: 0 });
    expect(await log()).toBe('Iter 1 of 3\nIter 2 of 3\nIter 3 of 3\n');
    await expectTreeGone(step);
  });

  it('ends with the exit code of a failing program, stdout and stderr both appended to the log', async () => {
    await writeFile(logFile, 'an earlier step\n');
    const step = start(program('fails.sh'));
    expect(await step.outcome).toEqual({ kind: 'exited', code: 3 });
    const text = await log();
    expect(text.startsWith('an earlier step\n')).toBe(true);
    expect(text).toContain('fails: this goes to stdout\n');
    expect(text).toContain('fails: this goes to stderr\n');
  });

  it('writes a large output to the log without blocking', async () => {
    const step = start(program('fills-output.sh', '20000'));
    expect(await step.outcome).toEqual({ kind: 'exited', code: 0 });
    const lines = (await log()).trimEnd().split('\n');
    expect(lines).toHaveLength(20000);
    expect(lines).toContain('line 20000 of 20000: stdout stdout stdout stdout stdout stdout stdout stdout');
  });

  it.each([
    ['SIGKILL', 'kill -KILL $$'],
    ['SIGSEGV', 'ulimit -c 0; kill -SEGV $$'],
  ])('reports %s when the program is ended by a signal nobody here sent', async (signal, command) => {
    const step = start(command);
    expect(await step.outcome).toEqual({ kind: 'signaled', signal });
    await expectTreeGone(step);
  });

  it('fails to start in a missing workpath, naming it', async () => {
    const missing = path.join(workDir, 'no-such-dir');
    const step = start('echo never', { cwd: missing });
    expect(step.pid).toBe(0);
    expect(await step.outcome).toEqual({
      kind: 'failed-to-start',
      reason: `workpath ${missing} does not exist`,
    });
    await step.stop();
  });

  it('fails to start when the log file cannot be opened', async () => {
    const step = start('echo never', { logFile: path.join(workDir, 'no-such-dir', 'step.log') });
    const outcome = await step.outcome;
    expect(outcome.kind).toBe('failed-to-start');
    expect(outcome.kind === 'failed-to-start' && outcome.reason).toContain('cannot open log file');
  });
});

describe('local executor: environment and workpath', () => {
  it('gives the program exactly the environment it was given, plus its tokens', async () => {
    const binDir = path.join(workDir, 'bin');
    process.env['MIRROR_NOT_PASSED'] = 'leak';
    try {
      const step = start(program('prints-env.sh'), {
        env: {
          PATH: `${binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
          MIRROR_JOB_ID: '7',
          MIRROR_STEP: 'solve',
          MIRROR_RUN_DIR: workDir,
        },
      });
      expect(await step.outcome).toEqual({ kind: 'exited', code: 0 });
      const lines = (await log()).trimEnd().split('\n');
      expect(lines.slice(0, -1)).toEqual([
        expect.stringMatching(/^MIRROR_AGENT_TOKEN=[0-9a-f]{32}$/),
        'MIRROR_JOB_ID=7',
        `MIRROR_RUN_DIR=${workDir}`,
        'MIRROR_STEP=solve',
        `MIRROR_STEP_TOKEN=${step.token}`,
      ]);
      expect(lines.at(-1)).toMatch(new RegExp(`^PATH=${binDir}:`));
    } finally {
      delete process.env['MIRROR_NOT_PASSED'];
    }
  });

  it('runs the command with /bin/sh in the workpath and gives every step its own token', async () => {
    const first = start('pwd -P; echo "shell $0"');
    const second = start('true');
    expect(first.token).not.toBe(second.token);
    expect(await first.outcome).toEqual({ kind: 'exited', code: 0 });
    expect(await second.outcome).toEqual({ kind: 'exited', code: 0 });
    expect(await log()).toBe(`${workDir}\nshell /bin/sh\n`);
  });

  it('gives every step of one executor the same agent token', async () => {
    const first = start('echo "first $MIRROR_AGENT_TOKEN"');
    const second = start('echo "second $MIRROR_AGENT_TOKEN"');
    expect(await first.outcome).toEqual({ kind: 'exited', code: 0 });
    expect(await second.outcome).toEqual({ kind: 'exited', code: 0 });
    const text = await log();
    const agentToken = /^first ([0-9a-f]{32})$/m.exec(text)?.[1];
    expect(agentToken).toBeDefined();
    expect(text).toContain(`second ${agentToken}\n`);
  });
});

describe('local executor: timeout and stop', () => {
  it('stops a program that runs too long and reports the timeout', async () => {
    const step = start(program('forever.sh'), { timeoutMs: 300 });
    expect(await step.outcome).toEqual({ kind: 'timeout', afterMs: 300 });
    await expectTreeGone(step);
  });

  it('kills a program that ignores SIGTERM once the grace period is over', async () => {
    const step = start(program('ignores-sigterm.sh'));
    await waitForLog(logFile, /ignores-sigterm: started/);
    const before = performance.now();
    await step.stop();
    const took = performance.now() - before;
    expect(await step.outcome).toEqual({ kind: 'killed' });
    await expectTreeGone(step);
    // SIGTERM came first and was ignored; only SIGKILL after the grace ended it.
    expect(await log()).toContain('ignores-sigterm: got TERM, carrying on');
    expect(took).toBeGreaterThan(GRACE_MS - 50);
    expect(took).toBeLessThan(10_000);
  });

  it('stops idempotently: concurrent and repeated stop() calls share one kill', async () => {
    const step = start(program('forever.sh'));
    await waitForLog(logFile, /forever: started/);
    await Promise.all([step.stop(), step.stop()]);
    await step.stop();
    expect(await step.outcome).toEqual({ kind: 'killed' });
    await expectTreeGone(step);
  });

  it('does nothing on stop() after the natural end', async () => {
    const step = start(program('fails.sh'));
    const outcome = await step.outcome;
    await step.stop();
    expect(await step.outcome).toBe(outcome);
    expect(outcome).toEqual({ kind: 'exited', code: 3 });
  });

  it('keeps the timeout as the outcome when stop() comes during the timeout kill', async () => {
    const step = start(program('ignores-sigterm.sh'), { timeoutMs: 100 });
    // The timeout's timer was set first and expires first: by now it has fired, and the
    // tree is in its grace period (the program ignores SIGTERM).
    await sleep(250);
    await step.stop();
    expect(await step.outcome).toEqual({ kind: 'timeout', afterMs: 100 });
    await expectTreeGone(step);
  });
});

describe('local executor: the whole tree', () => {
  it('collects grandchildren, also one that left the process group, when the main process exits 0', async () => {
    const step = start(program('spawns-grandchild.sh'));
    expect(await step.outcome).toEqual({ kind: 'exited', code: 0 });
    const text = await log();
    const child = pidInLog(text, 'child');
    const escaped = pidInLog(text, 'escaped');
    expect(isGone(child), `background child ${child} gone`).toBe(true);
    expect(isGone(escaped), `escaped child ${escaped} gone`).toBe(true);
    await expectTreeGone(step);
  });

  it('finds a running tree by its token, including the process that left the group', async () => {
    const step = start(program('spawns-grandchild.sh', '30'));
    const text = await waitForLog(logFile, /^main \d+$/m);
    const main = pidInLog(text, 'main');
    const child = pidInLog(text, 'child');
    const escaped = pidInLog(text, 'escaped');
    // Both children are known by `$!` before they have exec'd their sleep; while a
    // process is inside execve, /proc shows it an empty environment for a moment. The
    // scan is taken once both run their sleep (setsid(1) execs it after setsid()).
    await until(() => [child, escaped].every((pid) => commOf(pid) === 'sleep'));
    const tree = await pidsWithToken(step.token);
    // The shell of `sh -c`, the script it runs, and the script's two children.
    expect(tree).toEqual(expect.arrayContaining([step.pid, main, child, escaped]));
    await step.stop();
    expect(await step.outcome).toEqual({ kind: 'killed' });
    for (const pid of [child, escaped]) expect(isGone(pid), `${pid} gone`).toBe(true);
    await expectTreeGone(step);
  });

  it.skipIf(!hasSetsid)('the setsid grandchild really leaves the group and the session', async () => {
    const step = start(program('spawns-grandchild.sh', '30'));
    const text = await waitForLog(logFile, /^main \d+$/m);
    const main = procStat(pidInLog(text, 'main'));
    // `$!` is known before setsid(1) has run: wait until it has exec'd its sleep,
    // which it does only after calling setsid().
    const escapedPid = pidInLog(text, 'escaped');
    await until(() => commOf(escapedPid) === 'sleep');
    const escaped = procStat(escapedPid);
    await step.stop();
    expect(main).toBeDefined();
    expect(escaped).toBeDefined();
    expect(escaped?.pgid).not.toBe(main?.pgid);
    expect(escaped?.sid).not.toBe(main?.sid);
  });

  it('decides the outcome by the main process, then kills a leftover that ignores SIGTERM', async () => {
    const step = start(`(trap '' TERM; exec sleep 300) & echo "leftover $!"; exit 5`);
    expect(await step.outcome).toEqual({ kind: 'exited', code: 5 });
    const leftover = pidInLog(await log(), 'leftover');
    expect(isGone(leftover), `leftover ${leftover} gone`).toBe(true);
    await expectTreeGone(step);
  });

  it('collects a process of the group that dropped its token', async () => {
    const step = start(`env -u MIRROR_STEP_TOKEN sleep 300 & echo "untagged $!"; exit 0`);
    expect(await step.outcome).toEqual({ kind: 'exited', code: 0 });
    const untagged = pidInLog(await log(), 'untagged');
    try {
      expect(isGone(untagged), `untagged ${untagged} gone`).toBe(true);
    } finally {
      if (!isGone(untagged)) process.kill(untagged, 'SIGKILL');
    }
  });
});
