// Hostile steps and hooks: each ends in a clear reason on the job, and leaves no
// process behind and nothing written outside its run directory.
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pidsWithEnv } from '../../src/agent/executor/index.js';
import { dispatchOne, fixturePackage, isAlive, openEmbedded, stateOf, until } from '../support/embedded.js';

const HOOKS = fileURLToPath(new URL('../fixtures/hooks/', import.meta.url));

describe('hostile steps', () => {
  it('a step filling the disk slowly is stopped at the job’s output limit, and the job fails saying so', async () => {
    const mirror = await openEmbedded({ 'limits.jobOutputBytes': String(2 * 1024 * 1024) });
    const job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="fill" type="shell" value="while :; do head -c 262144 /dev/zero &gt;&gt; fill.dat; sleep 0.05; done" priority="1"/>`,
      ),
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
      reason: `the run directory passed its output limit of ${2 * 1024 * 1024} bytes (limits.jobOutputBytes)`,
    });
    expect((await mirror.hub.store.listJobEvents(job)).at(-1)?.reason).toMatch(
      /^step fill failed: the run directory passed/,
    );
    // Nothing of it runs on, and it wrote only in its own run directory.
    const path = (await mirror.hub.store.getJob(job))?.path ?? '';
    expect(await readdir(dirname(path))).toEqual([String(job)]);
    const alive = await Promise.all(
      (await pidsWithEnv('MIRROR_JOB_ID', String(job))).map((pid) => isAlive(pid)),
    );
    expect(alive.filter(Boolean)).toEqual([]);
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
