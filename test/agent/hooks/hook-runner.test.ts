import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHookRunner,
  type HookCall,
  type HookOutcome,
  type HookRunner,
} from '../../../src/agent/hooks/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/hooks/', import.meta.url));

let runDir: string;
let stepDir: string;
let runner: HookRunner;

beforeEach(async () => {
  runDir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'mirror-hooks-')));
  stepDir = path.join(runDir, 'GRID');
  await mkdir(stepDir);
  runner = createHookRunner();
});

afterEach(async () => {
  await runner.close();
  await rm(runDir, { recursive: true, force: true });
});

/** A call of `name` in fixture `file`, in the GRID step of job 7. */
function call(file: string, name: string, more: Partial<HookCall> = {}): HookCall {
  return {
    hooksFile: path.join(FIXTURES, file),
    name,
    cwd: stepDir,
    timeoutMs: 10_000,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', MIRROR_JOB_ID: '7' },
    ctx: {
      jobId: 7,
      projectId: 2,
      packageId: 3,
      rid: 5,
      step: { id: 'grid', workpath: 'GRID' },
      params: { cells: '64', model: 'wing.zip' },
      runDir,
      stepDir,
    },
    ...more,
  };
}

function returned(outcome: HookOutcome): Extract<HookOutcome, { kind: 'returned' }> {
  if (outcome.kind !== 'returned') throw new Error(`expected returned, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** True while a process with this pid exists and is not a zombie waiting to be reaped. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true; // no /proc: a live process as far as we can tell
  }
}

describe('hook runner', () => {
  it('returns the items as strings, runs in the step directory with ctx and env', async () => {
    const outcome = returned(await runner.run(call('good.mjs', 'gridPre')));
    expect(outcome.process).toEqual({ info: 'mesh ready', cells: '64' });
    expect(outcome.result['cwd']).toBe(stepDir);
    expect(outcome.result['jobEnv']).toBe('7');
    expect(JSON.parse(outcome.result['ctx'] ?? '')).toEqual(call('good.mjs', 'gridPre').ctx);
    expect(Number(outcome.result['pid'])).not.toBe(process.pid);
  });

  it('gives no items for a hook returning nothing', async () => {
    const outcome = returned(await runner.run(call('good.mjs', 'gridPost')));
    expect(outcome.process).toEqual({});
    expect(outcome.result).toEqual({});
  });

  it('uses one child process for consecutive calls, importing a module once', async () => {
    const first = returned(await runner.run(call('good.mjs', 'gridPre')));
    const second = returned(await runner.run(call('good.mjs', 'gridPre')));
    expect(second.result['pid']).toBe(first.result['pid']);
    returned(await runner.run(call('good.mjs', 'counter')));
    expect(returned(await runner.run(call('good.mjs', 'counter'))).process).toEqual({ calls: '2' });
  });

  it('runs queued calls one at a time, each in its own directory', async () => {
    const otherDir = path.join(runDir, 'FLOW');
    await mkdir(otherDir);
    const [a, b] = await Promise.all([
      runner.run(call('good.mjs', 'gridPre')),
      runner.run(call('good.mjs', 'gridPre', { cwd: otherDir })),
    ]);
    expect(returned(a).result['cwd']).toBe(stepDir);
    expect(returned(b).result['cwd']).toBe(otherDir);
  });

  it('captures what the hook writes to the console', async () => {
    const outcome = returned(await runner.run(call('good.mjs', 'chatty')));
    expect(outcome.output).toContain('hello from chatty\n');
    expect(outcome.output).toContain('warning from chatty\n');
    expect(outcome.result).toEqual({ said: 'yes' });
  });

  it('reports a thrown error by its message', async () => {
    expect(await runner.run(call('throws.mjs', 'gridPre'))).toMatchObject({
      kind: 'threw',
      message: 'mesh input missing: wing.msh',
    });
  });

  it('refuses items that are not strings or numbers, naming the key', async () => {
    expect(await runner.run(call('bad-return.mjs', 'gridPre'))).toMatchObject({
      kind: 'threw',
      message:
        'hook gridPre returned an invalid value: process.x is an object; item values are strings or finite numbers',
    });
    const reasons = await Promise.all(
      ['reservedKey', 'unknownSection', 'notIdentifier', 'anArray'].map(async (name) => {
        const outcome = await runner.run(call('bad-return.mjs', name));
        return outcome.kind === 'threw' ? outcome.message : outcome.kind;
      }),
    );
    expect(reasons).toEqual([
      'hook reservedKey returned an invalid value: process key currentstep is reserved for progress',
      'hook unknownSection returned an invalid value: unknown key "results"; expected process or result',
      'hook notIdentifier returned an invalid value: result key "bad key" is not an identifier',
      'hook anArray returned an invalid value: an array; expected nothing or { process?, result? }',
    ]);
  });

  it('says when the hooks file cannot be loaded or lacks the function', async () => {
    const broken = await runner.run(call('broken.mjs', 'gridPre'));
    expect(broken.kind === 'threw' && broken.message).toMatch(
      /^hooks file .*broken\.mjs cannot be loaded: SyntaxError: /,
    );
    const missing = await runner.run(call('good.mjs', 'notAFunction'));
    expect(missing).toMatchObject({
      kind: 'threw',
      message: `hooks file ${path.join(FIXTURES, 'good.mjs')} exports no function notAFunction`,
    });
    const noDir = await runner.run(call('good.mjs', 'gridPre', { cwd: path.join(runDir, 'NOPE') }));
    expect(noDir.kind === 'threw' && noDir.message).toMatch(
      /^hook gridPre: cannot enter the working directory .*NOPE: /,
    );
  });

  it('times out a hook that never returns, killing its child, and the next call works', async () => {
    const before = returned(await runner.run(call('good.mjs', 'gridPre')));
    const started = Date.now();
    const outcome = await runner.run(call('never-returns.mjs', 'gridPre', { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ kind: 'timeout', afterMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(exists(Number(before.result['pid']))).toBe(false);
    const after = returned(await runner.run(call('good.mjs', 'gridPre')));
    expect(after.result['pid']).not.toBe(before.result['pid']);
  });

  it('kills the programs a timed-out hook started along with it', async () => {
    const outcome = await runner.run(call('never-returns.mjs', 'startsAndHangs', { timeoutMs: 500 }));
    expect(outcome.kind).toBe('timeout');
    const sleeper = Number(await readFile(path.join(stepDir, 'sleep.pid'), 'utf8'));
    expect(sleeper).toBeGreaterThan(0);
    // Killed with the group (init reaps it later: a zombie counts as gone).
    await expect.poll(() => exists(sleeper), { timeout: 1_000 }).toBe(false);
  });

  it('reports a child that exits as crashed, and the next call works', async () => {
    expect(await runner.run(call('exits.mjs', 'gridPre'))).toMatchObject({
      kind: 'crashed',
      reason: 'the hooks process exited with code 3',
    });
    returned(await runner.run(call('good.mjs', 'gridPre')));
    expect(await runner.run(call('exits.mjs', 'throwsLater'))).toMatchObject({
      kind: 'crashed',
      reason: 'the hooks process died of an uncaught exception: Error: boom in a timer',
    });
    returned(await runner.run(call('good.mjs', 'gridPost')));
  });

  it('replaces a child that has imported too many hooks files', async () => {
    const small = createHookRunner({ maxModulesPerChild: 1 });
    try {
      const first = returned(await small.run(call('good.mjs', 'gridPre')));
      const second = returned(await small.run(call('good.mjs', 'gridPre')));
      expect(second.result['pid']).not.toBe(first.result['pid']);
      expect(exists(Number(first.result['pid']))).toBe(false);
    } finally {
      await small.close();
    }
  });

  it('close leaves no child process, ends calls in flight, and is idempotent', async () => {
    const { result } = returned(await runner.run(call('good.mjs', 'gridPre')));
    const pid = Number(result['pid']);
    expect(exists(pid)).toBe(true);
    const hanging = runner.run(call('never-returns.mjs', 'gridPre'));
    const queued = runner.run(call('good.mjs', 'gridPre'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([runner.close(), runner.close()]);
    expect(exists(pid)).toBe(false);
    expect(await hanging).toMatchObject({ kind: 'crashed', reason: 'the hook runner was closed' });
    expect(await queued).toMatchObject({ kind: 'crashed', reason: 'the hook runner is closed' });
    expect(await runner.run(call('good.mjs', 'gridPre'))).toMatchObject({ kind: 'crashed' });
  });
});
