// A queued job whose queue message is gone still runs, in every deployment: the hub's
// requeue duty enqueues a job queued for longer than timing.requeueAfterMs again. The
// message under a queued job is deleted (the broker's queue purged; the in-process
// queue's ids taken out), then an agent starts: the job runs, once.
import { connect } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { createRequeueDuty } from '../../src/hub/requeue-duty.js';
import { deploymentKinds, untilState, type Deployment } from '../support/deployments.js';
import { fixturePackage } from '../support/embedded.js';
import { describeIfAvailable } from '../support/required.js';
import { movesTo } from '../support/cluster.js';
import { insertOneJob, storeBackends } from '../support/stores.js';

const kinds = await deploymentKinds();
const sqlite = (await storeBackends()).find((b) => b.name === 'sqlite');

/**
 * Deletes every job id waiting in the deployment's queue (those delivered to a consumer in
 * this process are taken and acked, those in the broker purged); answers how many.
 */
async function deleteQueueMessages(d: Deployment): Promise<number> {
  const taken = (await d.inProcess?.mirror.hub.queue.take(1000))?.length ?? 0;
  if (d.broker === undefined) return taken;
  const connection = await connect(d.broker);
  try {
    const channel = await connection.createChannel();
    return taken + (await channel.purgeQueue('mirror-jobs')).messageCount;
  } finally {
    await connection.close();
  }
}

for (const kind of kinds) {
  describeIfAvailable(`a queued job whose queue message is gone, ${kind.name}`, kind.unavailable, () => {
    it('is enqueued again after timing.requeueAfterMs and runs once', async () => {
      const d = await kind.open({
        agent: false,
        autorun: true,
        sets: { 'timing.requeueAfterMs': '1000', 'timing.heartbeatMs': '200' },
      });
      const c = await d.addPackage(
        await fixturePackage('<ExeArgument id="s" type="shell" value="true" priority="1"/>'),
      );
      const p = (await d.client.projects.create('requeued')).project.id;
      await d.client.projects.putFile(p, 'para.xml', new TextEncoder().encode('<Para/>'));
      const [job = 0] = (await d.client.dispatch(p, c)).jobIds;
      expect(await deleteQueueMessages(d)).toBe(1);
      await d.startAgent();
      await untilState(d.client, job, (s) => s === 'finished', 20_000);
      expect(await movesTo(d.client, job, 'assigned')).toHaveLength(1);
    });
  });
}

describe('the requeue duty', () => {
  it('sends a job queued requeueAfterMs ago, then after waits that double, and forgets it once claimed', async () => {
    let clock = 1_700_000_000_000;
    const store = await sqlite!.open({ now: () => clock });
    const job = await insertOneJob(store);
    const duty = createRequeueDuty({ requeueAfterMs: 1000, now: () => clock });
    const dueAt = async (t: number) => {
      clock = 1_700_000_000_000 + t;
      return duty.due(store);
    };
    expect(await dueAt(999)).toEqual([]);
    expect(await dueAt(1001)).toEqual([job]);
    expect(await dueAt(2500)).toEqual([]); // 2 s after the first time, not 1
    expect(await dueAt(3001)).toEqual([job]);
    expect(await dueAt(6999)).toEqual([]); // then 4 s
    expect(await dueAt(7001)).toEqual([job]);
    await store.transitionJob(job, { from: ['queued'], to: 'assigned', reason: 'claimed', rid: 5 });
    expect(await dueAt(60_000)).toEqual([]);
    // Queued anew (requeued from a lost machine): it waits requeueAfterMs from then, as at first.
    await store.transitionJob(job, { from: ['assigned'], to: 'queued', reason: 'requeued', rid: null });
    expect(await dueAt(60_999)).toEqual([]);
    expect(await dueAt(61_001)).toEqual([job]);
  });
});
