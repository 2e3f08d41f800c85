// Hostile steps and hooks: each ends in a clear reason on the job, and leaves no
// process behind and nothing written outside its run directory.
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dispatchOne, fixturePackage, isAlive, openEmbedded, stateOf, until } from '../support/embedded.js';
import { markedPids, newMark } from '../support/marks.js';
import { treeSize } from '../../src/run-dir/tree-size.js';

const HOOKS = fileURLToPath(new URL('../fixtures/hooks/', import.meta.url));

describe('hostile steps', () => {
  it('a step filling the disk slowly is stopped at the job’s output limit, and the job fails saying so', async () => {
    const mirror = await openEmbedded({ 'limits.jobOutputBytes': String(2 * 1024 * 1024) });
    const mark = newMark();
    const job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="fill" type="shell" value="export MIRROR_TEST_MARK={mark}; while :; do head -c 262144 /dev/zero &gt;&gt; fill.dat; sleep 0.05; done" priority="1"/>`,
      ),
      { mark },
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
      30_000,
    );
    const [step] = await mirror.hub.store.listJobSteps(job);
    expect(step).toMatchObject({
      stepId: 'fill',
      status: 'failed',
      reason: `the run directory reached its output limit of ${2 * 1024 * 1024} bytes (limits.jobOutputBytes)`,
    });
    expect((await mirror.hub.store.listJobEvents(job)).at(-1)?.reason).toMatch(
      /^step fill failed: the run directory reached/,
    );
    // Nothing of it runs on, and it wrote only in its own run directory.
    const path = (await mirror.hub.store.getJob(job))?.path ?? '';
    expect(await readdir(dirname(path))).toEqual([String(job)]);
    expect(await markedPids(mark)).toEqual([]);
  });

  const MiB = 1024 * 1024;
  /** Runs one job of `body` (and `hooks`) under an output limit (64 MiB); answers its step and run directory's size. */
  const underLimit = async (body: string, hooks?: string, limit = 64 * MiB) => {
    const mirror = await openEmbedded({
      'limits.jobOutputBytes': String(limit),
      'timing.killGraceMs': '200',
    });
    const job = await dispatchOne(mirror, await fixturePackage(body, hooks));
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed' || s === 'finished',
      60_000,
    );
    const path = (await mirror.hub.store.getJob(job))?.path ?? '';
    return { step: (await mirror.hub.store.listJobSteps(job))[0], size: await treeSize(path), path };
  };
  const reached = (limit: number) =>
    `the run directory reached its output limit of ${limit} bytes (limits.jobOutputBytes)`;
  const reachedLimit = reached(64 * MiB);

  it('a step writing one file at disk speed is stopped at the output limit, not a check later (within 10 %)', async () => {
    const { step, size } = await underLimit(
      `<ExeArgument id="fill" type="shell" value="head -c 2147483648 /dev/zero &gt; big.dat" priority="1"/>`,
    );
    expect(step).toMatchObject({ status: 'failed', reason: reachedLimit });
    expect(size).toBeLessThanOrEqual(64 * MiB * 1.1);
  });

  it('a step writing many files at disk speed is stopped at an output limit of 1 GiB (within 10 %)', async () => {
    const { step, size } = await underLimit(
      `<ExeArgument id="fill" type="shell" value="i=0; while [ $i -lt 500 ]; do head -c 4194304 /dev/zero &gt; f$i.dat; i=$((i+1)); done" priority="1"/>`,
      undefined,
      1024 * MiB,
    );
    expect(step).toMatchObject({ status: 'failed', reason: reached(1024 * MiB) });
    // No one file passes the limit: this writer is caught by the measures, more frequent as
    // it nears the limit at its speed, and the group killed at once. What it writes past the
    // limit is what it writes while a measure is late (a loaded machine fires timers late):
    // seen 0 to 8 % of 64 MiB alone; with the whole suite running, 8 MiB to 26 MiB.
    expect(size).toBeLessThanOrEqual(1024 * MiB * 1.1);
  });

  it('a pre-method writing one file at disk speed is stopped at the output limit (within 10 %)', async () => {
    const hooks = `
      import { appendFile, writeFile } from 'node:fs/promises';
      export async function fill(ctx) {
        const chunk = Buffer.alloc(4 * 1024 * 1024);
        for (let i = 0; i < 500; i++) await appendFile(ctx.runDir + '/hook.dat', chunk);
        await writeFile(ctx.runDir + '/hook-done', 'all written');
      }`;
    const { step, size, path } = await underLimit(
      `<ExeArgument id="fill" type="shell" value="true" priority="1" premethod="fill"/>`,
      hooks,
    );
    expect(step).toMatchObject({ status: 'failed', reason: reachedLimit });
    await expect(readFile(join(path, 'hook-done'))).rejects.toThrow(/ENOENT/);
    expect(size).toBeLessThanOrEqual(64 * MiB * 1.1);
  });

  /** The pids a step's log names (`child 1`, `escaped 2`, `main 3`). */
  const pidsInLog = async (path: string, step: string) => {
    const log = await readFile(join(path, '.mirror', 'logs', `${step}.log`), 'utf8').catch(() => '');
    return [...log.matchAll(/(?:child|escaped|main) (\d+)/g)].map((m) => Number(m[1]));
  };

  it('a step that forks a daemon and exits: the daemon is collected with its tree', async () => {
    const mirror = await openEmbedded({});
    const job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="spawn" type="shell" value="spawns-grandchild.sh 0" priority="1"/>`,
      ),
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'finished',
    );
    const pids = await pidsInLog((await mirror.hub.store.getJob(job))?.path ?? '', 'spawn');
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(await isAlive(pid)).toBe(false);
  });

  it('a step that forks a daemon and hangs past its timeout: failed, and the daemon dies too', async () => {
    const mirror = await openEmbedded({ 'timing.killGraceMs': '200' });
    const job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="spawn" type="shell" value="spawns-grandchild.sh 300" priority="1" timeout="1"/>`,
      ),
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
    );
    const [step] = await mirror.hub.store.listJobSteps(job);
    expect(step).toMatchObject({ status: 'failed', reason: 'timeout after 1 s' });
    const pids = await pidsInLog((await mirror.hub.store.getJob(job))?.path ?? '', 'spawn');
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(await isAlive(pid)).toBe(false);
  });
});

describe('hostile hooks', () => {
  const STEP = `<ExeArgument id="grid" type="shell" value="true" priority="1" premethod="gridPre"/>`;

  it('a pre-method that throws fails its step with its message; the program never runs', async () => {
    const mirror = await openEmbedded({});
    const hooks = await readFile(join(HOOKS, 'throws.mjs'), 'utf8');
    const job = await dispatchOne(mirror, await fixturePackage(STEP, hooks));
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
    );
    const [step] = await mirror.hub.store.listJobSteps(job);
    expect(step).toMatchObject({
      status: 'failed',
      reason: 'premethod gridPre failed: mesh input missing: wing.msh',
    });
    expect(step?.logPath).toBe('.mirror/logs/grid.log');
  });

  it('a pre-method that never returns is stopped at its timeout, and the job fails saying so', async () => {
    const mirror = await openEmbedded({ 'timing.hookTimeoutMs': '500' });
    const hooks = await readFile(join(HOOKS, 'never-returns.mjs'), 'utf8');
    const job = await dispatchOne(mirror, await fixturePackage(STEP, hooks));
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
    );
    const [step] = await mirror.hub.store.listJobSteps(job);
    expect(step).toMatchObject({ status: 'failed', reason: 'premethod gridPre timed out after 0.5 s' });
  });

  it('a pre-method that ends its process fails its step, and the next job’s hooks still run', async () => {
    const mirror = await openEmbedded({});
    const hooks = await readFile(join(HOOKS, 'exits.mjs'), 'utf8');
    const job = await dispatchOne(mirror, await fixturePackage(STEP, hooks));
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
    );
    const [step] = await mirror.hub.store.listJobSteps(job);
    expect(step?.reason).toMatch(/^premethod gridPre crashed: /);
    const good = await dispatchOne(
      mirror,
      await fixturePackage(STEP, 'export function gridPre() { return {}; }'),
    );
    await until(
      () => stateOf(mirror, good),
      (s) => s === 'finished',
    );
  });
});
