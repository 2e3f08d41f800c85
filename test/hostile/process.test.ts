// Hostile steps and hooks: each ends in a clear reason on the job, and leaves no
// process behind and nothing written outside its run directory.
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidsWithEnv } from '../../src/agent/executor/index.js';
import { dispatchOne, fixturePackage, isAlive, openEmbedded, stateOf, until } from '../support/embedded.js';

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
});
