import { describe, expect, it } from 'vitest';
import { createAgent } from '../../../src/agent/index.js';
import { createEmbedded } from '../../../src/embedded/index.js';
import { createHub, createLocalHubLink } from '../../../src/hub/index.js';
import { dispatchOne, fixturePackage, openEmbedded, stateOf, until } from '../../support/embedded.js';

describe('the agent', () => {
  it('runs at most `slots` jobs at once in autorun; the rest wait in the queue', async () => {
    const mirror = await openEmbedded({ autorun: 'true', slots: '2' });
    const pkg = await fixturePackage(`<ExeArgument id="s" type="shell" value="sleep 0.3" priority="1"/>`);
    const c = (await mirror.hub.calcPackages.add({ dir: pkg })).id;
    const para = '<Para><States><Param name="i" values="1 2 3 4 5"/></States></Para>';
    const { project } = await mirror.hub.projects.create('five', [
      { name: 'para.xml', data: new TextEncoder().encode(para) },
    ]);
    const [, ids] = (await mirror.call('jobdispatch', 'do', { p_id: project.id, c_id: c })) as [
      number,
      number[],
    ];
    let most = 0;
    const states = await until(
      async () => {
        const now = await Promise.all(ids.map((id) => stateOf(mirror, id)));
        most = Math.max(most, now.filter((s) => s === 'running').length);
        expect(now.filter((s) => s !== 'queued' && s !== 'finished').length).toBeLessThanOrEqual(2);
        return now;
      },
      (now) => now.every((s) => s === 'finished'),
    );
    expect(states).toHaveLength(5);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('on start marks jobs it left running as failed ("agent restarted") and resumes claimed ones', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const pkg = await fixturePackage(`<ExeArgument id="s" type="shell" value="true" priority="1"/>`);
    const running = await dispatchOne(mirror, pkg);
    const claimed = await dispatchOne(mirror, pkg);
    await until(
      () => Promise.all([stateOf(mirror, running), stateOf(mirror, claimed)]),
      (s) => s.every((x) => x === 'assigned'),
    );
    await mirror.agent.stop();
    // As if the process had died in the middle of a step: the store still says running.
    const store = mirror.hub.store;
    for (const [from, to] of [
      ['assigned', 'built'],
      ['built', 'ready'],
      ['ready', 'running'],
    ] as const) {
      await store.transitionJob(running, { from: [from], to, reason: 'test: a step was running' });
    }

    const restarted = createAgent({
      config: { ...mirror.hub.config, autorun: true },
      hub: createLocalHubLink(mirror.hub, { seesRunDirs: true }),
      queue: mirror.hub.queue,
      rpc: mirror.hub.rpc,
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    try {
      await restarted.start();
      expect(await stateOf(mirror, running)).toBe('failed');
      expect((await store.listJobEvents(running)).at(-1)).toMatchObject({
        from: 'running',
        to: 'failed',
        reason: 'agent restarted',
      });
      await until(
        () => stateOf(mirror, claimed),
        (s) => s === 'finished',
      );
    } finally {
      await restarted.stop();
    }
  });

  it('picks up jobs dispatched while no agent ran (the in-process queue is refilled from the store)', async () => {
    const first = await openEmbedded({ autorun: 'false' });
    const config = first.hub.config;
    await first.stop();
    const hubOnly = await createHub(config);
    await hubOnly.start();
    const c = (
      await hubOnly.calcPackages.add({
        dir: await fixturePackage(`<ExeArgument id="s" type="shell" value="true" priority="1"/>`),
      })
    ).id;
    const { project } = await hubOnly.projects.create('p', [
      { name: 'para.xml', data: new TextEncoder().encode('<Para/>') },
    ]);
    const [, [job = 0]] = (await hubOnly.call('jobdispatch', 'do', { p_id: project.id, c_id: c })) as [
      number,
      number[],
    ];
    await hubOnly.stop();

    const second = await createEmbedded(config, { baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    try {
      await second.start();
      await until(
        () => stateOf(second, job),
        (s) => s === 'assigned',
      );
      expect(await second.call('job', 'getrid', { job_id: job })).toEqual([0, 1]);
    } finally {
      await second.stop();
    }
  });

  it('stop() is idempotent and fails a running job with reason "agent stopped", leaving no process', async () => {
    const mirror = await openEmbedded({ autorun: 'true' });
    const job = await dispatchOne(
      mirror,
      await fixturePackage(`<ExeArgument id="hang" type="shell" value="forever.sh" priority="1"/>`),
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'running',
    );
    await Promise.all([mirror.agent.stop(), mirror.agent.stop()]);
    expect(await stateOf(mirror, job)).toBe('failed');
    expect((await mirror.hub.store.listJobEvents(job)).at(-1)).toMatchObject({
      to: 'failed',
      reason: 'agent stopped',
    });
    expect(await mirror.call('jobrun_1', 'do', { job_id: job })).toEqual([-1, 'unknown service jobrun_1']);
  });
});
