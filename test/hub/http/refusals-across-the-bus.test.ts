// An agent's refusal reaches an API caller as the same error, code and status included,
// in every deployment: the hub asks the job's machine over the bus and passes its answer on.
import { beforeAll, expect, it } from 'vitest';
import { deploymentKinds, untilState, type Deployment } from '../../support/deployments.js';
import { fixturePackage } from '../../support/embedded.js';
import { describeIfAvailable } from '../../support/required.js';

const kinds = await deploymentKinds();

for (const kind of kinds) {
  describeIfAvailable(`an agent's refusal through the API, ${kind.name}`, kind.unavailable, () => {
    let d: Deployment;
    let job: number;
    beforeAll(async () => {
      d = await kind.open();
      const c = await d.addPackage(
        await fixturePackage('<ExeArgument id="s" type="shell" value="forever.sh" priority="1"/>'),
      );
      const p = (await d.client.projects.create('refused')).project.id;
      await d.client.projects.putFile(p, 'para.xml', new TextEncoder().encode('<Para/>'));
      [job = 0] = (await d.client.dispatch(p, c)).jobIds;
      await untilState(d.client, job, (s) => s === 'assigned');
      for (const verb of ['jobdirbuild', 'jobfilebuild', 'jobrun']) {
        expect(
          await d.client.call(`${verb}_1`, 'do', {
            job_id: job,
            ...(verb === 'jobdirbuild' ? { force: 0 } : {}),
          }),
        ).toEqual([0, []]);
      }
      await untilState(d.client, job, (s) => s === 'running');
    }, 60_000);

    it('answers its own code and status, not a generic refusal', async () => {
      const res = await fetch(`${d.base}/api/jobs/${job}?force=0`, { method: 'DELETE' });
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({
        error: { code: 'JOB_IS_RUNNING', message: `job is running , jobid : ${job}` },
      });
      const bulk = await d.client.jobs.bulk({ action: 'delete', ids: [job] });
      expect(bulk).toEqual({ done: [], failed: [{ id: job, message: `job is running , jobid : ${job}` }] });
      expect((await d.client.jobs.get(job)).job.state).toBe('running');
      expect(await d.client.jobs.kill(job)).toEqual({ ok: true });
    });
  });
}
