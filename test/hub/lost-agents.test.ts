import { expect, it } from 'vitest';
import { createMachines } from '../../src/hub/machines.js';
import { sweepLostAgents } from '../../src/hub/lost-agents.js';
import { openEmbedded, until } from '../support/embedded.js';
import { HEAT2D, openTestHub, PLATE } from '../support/hub.js';
import { describeEachStore, storeBackends } from '../support/stores.js';

const backends = await storeBackends();
/** A machine whose agent runs steps as processes of its own: they die with it. */
const LOCAL = { executor: 'local', stepsOutliveAgent: false };

describeEachStore(backends, (backend) => {
  it('requeues the claimed jobs of a silent machine, marks its running ones lost, and leaves live machines alone', async () => {
    const hub = await openTestHub(backend);
    const { store, queue } = hub;
    const c = (await hub.calcPackages.add({ dir: HEAT2D })).id;
    const p = (await hub.projects.createFromDirectory('plate', PLATE)).project.id;
    const [claimed = 0, running = 0, elsewhere = 0] = await hub.dispatch({
      projectId: p,
      packageId: c,
      paraName: 'para.xml',
    });
    await queue.take(100);
    const claim = (id: number, rid: number) =>
      store.transitionJob(id, { from: ['queued'], to: 'assigned', reason: `claimed by rid ${rid}`, rid });
    await claim(claimed, 7);
    await claim(running, 7);
    await store.transitionJob(running, { from: ['assigned'], to: 'built', reason: 'directory built' });
    await store.transitionJob(running, { from: ['built'], to: 'ready', reason: 'files built' });
    await store.transitionJob(running, { from: ['ready'], to: 'running', reason: 'a step runs' });
    await claim(elsewhere, 8);

    let clock = 1_000_000;
    const machines = createMachines({ store, lostAfterMs: 1000, now: () => clock });
    await machines.heartbeat({
      rid: 7,
      host: 'gone',
      slots: 2,
      slotsInUse: 2,
      jobsRoot: '/m/7/jobs',
      ...LOCAL,
    });
    clock += 600;
    expect(await sweepLostAgents({ store, lostAfterMs: 1000, now: () => clock })).toEqual({
      changed: [],
      requeued: [],
    });
    await machines.heartbeat({
      rid: 8,
      host: 'here',
      slots: 2,
      slotsInUse: 1,
      jobsRoot: '/m/8/jobs',
      ...LOCAL,
    });
    clock += 600;

    expect(await sweepLostAgents({ store, lostAfterMs: 1000, now: () => clock })).toEqual({
      changed: [claimed, running],
      requeued: [claimed],
    });
    expect(await store.getJob(claimed)).toMatchObject({ state: 'queued', rid: null });
    expect(await store.getJob(running)).toMatchObject({ state: 'lost', rid: 7 });
    expect(await store.getJob(elsewhere)).toMatchObject({ state: 'assigned', rid: 8 });
    expect((await store.listJobEvents(running)).at(-1)?.reason).toBe(
      'agent lost: rid 7 silent since 1970-01-01T00:16:40.000Z',
    );
    expect(await sweepLostAgents({ store, lostAfterMs: 1000, now: () => clock })).toEqual({
      changed: [],
      requeued: [],
    });
    expect(await hub.jobs.rerun(running)).toMatchObject({ state: 'queued', rid: null });
  });

  it('leaves the running jobs of a silent machine whose steps outlive its agent running, and requeues its claimed ones', async () => {
    const hub = await openTestHub(backend);
    const { store, queue } = hub;
    const c = (await hub.calcPackages.add({ dir: HEAT2D })).id;
    const p = (await hub.projects.createFromDirectory('plate', PLATE)).project.id;
    const [claimed = 0, running = 0] = await hub.dispatch({
      projectId: p,
      packageId: c,
      paraName: 'para.xml',
    });
    await queue.take(100);
    for (const id of [claimed, running])
      await store.transitionJob(id, { from: ['queued'], to: 'assigned', reason: 'claimed by rid 9', rid: 9 });
    for (const [from, to] of [
      ['assigned', 'built'],
      ['built', 'ready'],
      ['ready', 'running'],
    ] as const)
      await store.transitionJob(running, { from: [from], to, reason: to });
    let clock = 1_000_000;
    const machines = createMachines({ store, lostAfterMs: 1000, now: () => clock });
    await machines.heartbeat({
      rid: 9,
      host: 'login1',
      slots: 4,
      slotsInUse: 1,
      jobsRoot: '/scratch/jobs',
      executor: 'slurm',
      stepsOutliveAgent: true,
    });
    clock += 60_000;
    expect(await sweepLostAgents({ store, lostAfterMs: 1000, now: () => clock })).toEqual({
      changed: [claimed],
      requeued: [claimed],
    });
    expect(await store.getJob(running)).toMatchObject({ state: 'running', rid: 9 });
    expect((await machines.list()).find((m) => m.rid === 9)).toMatchObject({
      alive: false,
      executor: 'slurm',
    });
  });
});

it('runs as a duty of a long-running hub, under the duty lock', async () => {
  const mirror = await openEmbedded({
    autorun: 'false',
    'timing.heartbeatMs': '50',
    'timing.agentLostMs': '150',
  });
  const { hub } = mirror;
  const c = (await hub.calcPackages.add({ dir: HEAT2D })).id;
  const p = (await hub.projects.createFromDirectory('plate', PLATE)).project.id;
  await mirror.agent.stop();
  const [job = 0] = await hub.dispatch({ projectId: p, packageId: c, paraName: 'para.xml' });
  await hub.queue.take(100);
  await hub.store.transitionJob(job, {
    from: ['queued'],
    to: 'assigned',
    reason: 'claimed by rid 7',
    rid: 7,
  });
  await hub.machines.heartbeat({
    rid: 7,
    host: 'gone',
    slots: 1,
    slotsInUse: 1,
    jobsRoot: '/m/7/jobs',
    ...LOCAL,
  });
  const requeued = await until(
    () => hub.store.getJob(job),
    (j) => j?.state === 'queued',
  );
  expect(requeued).toMatchObject({ state: 'queued', rid: null });
  // Its id is enqueued again once the change is committed.
  await until(
    () => hub.queue.size(),
    (n) => n === 1,
  );
  expect(await hub.queue.take(10)).toEqual([job]);
});
