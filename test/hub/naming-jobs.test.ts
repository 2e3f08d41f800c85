// Actions act only on what they name, in every deployment: a bulk request naming no job
// is refused (never taken for every job); killing a job that has not started cancels it
// (its queue message is ignored when it comes); a calc package or project that jobs use
// is deleted only when forced.
import { beforeAll, expect, it } from 'vitest';
import { deploymentKinds, untilState, type Deployment } from '../support/deployments.js';
import { fixturePackage } from '../support/embedded.js';
import { describeIfAvailable } from '../support/required.js';

const kinds = await deploymentKinds();
const STEP = '<ExeArgument id="s" type="shell" value="echo ran > ran.txt" priority="1"/>';

for (const kind of kinds) {
  describeIfAvailable(`naming the jobs an action acts on, ${kind.name}`, kind.unavailable, () => {
    let d: Deployment;
    let packageId: number;
    let projectId: number;
    /** Dispatches `states` jobs (x = 1..states); answers their ids. */
    const dispatch = async (states: number) => {
      const values = Array.from({ length: states }, (_, i) => String(i + 1)).join(' ');
      await d.client.projects.putFile(
        projectId,
        'para.xml',
        new TextEncoder().encode(`<Para><States><Param name="x" values="${values}"/></States></Para>`),
      );
      return (await d.client.dispatch(projectId, packageId)).jobIds;
    };
    const statesOf = async (ids: readonly number[]) =>
      Promise.all(ids.map(async (id) => (await d.client.jobs.get(id)).job.state));

    beforeAll(async () => {
      d = await kind.open({ autorun: false });
      packageId = await d.addPackage(await fixturePackage(STEP));
      projectId = (await d.client.projects.create('named')).project.id;
    }, 60_000);

    it('refuses a bulk action that names no job, or names them two ways, changing nothing', async () => {
      const ids = await dispatch(3);
      for (const id of ids) await untilState(d.client, id, (s) => s === 'assigned');
      const refusal = (action: string) =>
        `name the jobs to ${action}: ids, or a selector (state, project, package, dispatch, rid, label); a request naming none is not taken for every job`;
      const requests: Parameters<typeof d.client.jobs.bulk>[0][] = [
        { action: 'kill' },
        { action: 'delete', ids: [] },
        { action: 'rerun', selector: {} },
      ];
      for (const request of requests) {
        await expect(d.client.jobs.bulk(request)).rejects.toThrow(refusal(request.action));
      }
      await expect(
        d.client.jobs.bulk({ action: 'kill', ids: [ids[0] ?? 0], selector: { project: projectId } }),
      ).rejects.toThrow('name the jobs by ids or by a selector, not both');
      expect(await statesOf(ids)).toEqual(['assigned', 'assigned', 'assigned']);
      // A selector acts on what it matches, and only that.
      const other = (await d.client.projects.create('other')).project.id;
      expect(await d.client.jobs.bulk({ action: 'kill', selector: { project: other } })).toEqual({
        done: [],
        failed: [],
      });
      expect(await statesOf(ids)).toEqual(['assigned', 'assigned', 'assigned']);
    });

    it('cancels a claimed job that has not started, and one still queued, which then never runs', async () => {
      const [claimed = 0] = await dispatch(1);
      await untilState(d.client, claimed, (s) => s === 'assigned');
      expect(await d.client.jobs.kill(claimed)).toEqual({ ok: true });
      const detail = await d.client.jobs.get(claimed);
      expect(detail.job.state).toBe('killed');
      expect(detail.events.at(-1)).toMatchObject({
        from: 'assigned',
        to: 'killed',
        reason: 'cancelled before it ran',
      });
      // Its machine finds it gone: the seed's own verbs on it answer its state.
      expect(await d.client.call(`jobdirbuild_${d.rid}`, 'do', { job_id: claimed, force: 0 })).toEqual([
        -1,
        `job ${claimed} is killed; dirbuild needs it assigned`,
      ]);
    });

    it('answers the seed’s message for a job that is neither running nor waiting', async () => {
      const [job = 0] = await dispatch(1);
      await untilState(d.client, job, (s) => s === 'assigned');
      await d.client.jobs.kill(job);
      await expect(d.client.jobs.kill(job)).rejects.toThrow(`job not running , jobid : ${job}`);
    });

    it('refuses to delete a package or project that jobs use, naming how many, unless forced', async () => {
      const used = await d.client.jobs.counts({ project: projectId });
      const count = Object.values(used).reduce((a, b) => a + b, 0);
      await expect(d.client.packages.delete(packageId)).rejects.toThrow(
        `calc package ${packageId} is used by ${count} jobs; delete them first, or force it (force=1: the jobs keep their rows but cannot be built again)`,
      );
      await expect(d.client.projects.delete(projectId)).rejects.toThrow(
        `project ${projectId} is used by ${count} jobs; delete them first, or force it (force=1: the jobs keep their rows but cannot be built again)`,
      );
      expect((await d.client.packages.get(packageId)).id).toBe(packageId);
      expect((await d.client.projects.get(projectId)).project.id).toBe(projectId);
      const unused = (await d.client.projects.create('unused')).project.id;
      expect(await d.client.projects.delete(unused)).toEqual({ ok: true });
      expect(await d.client.projects.delete(projectId, true)).toEqual({ ok: true });
      expect(await d.client.packages.delete(packageId, true)).toEqual({ ok: true });
      expect((await d.client.jobs.list({ project: projectId })).jobs.length).toBe(count);
    });
  });
}

for (const kind of kinds) {
  describeIfAvailable(`cancelling a queued job, ${kind.name}`, kind.unavailable, () => {
    it('ends it killed before any machine took it, and the agent started later never runs it', async () => {
      const d = await kind.open({ autorun: true, agent: false });
      const c = await d.addPackage(await fixturePackage(STEP));
      const p = (await d.client.projects.create('queued')).project.id;
      await d.client.projects.putFile(p, 'para.xml', new TextEncoder().encode('<Para/>'));
      const [queued = 0, kept = 0] = (await d.client.dispatch(p, c)).jobIds.concat(
        (await d.client.dispatch(p, c)).jobIds,
      );
      expect((await d.client.jobs.get(queued)).job.state).toBe('queued');
      expect(await d.client.jobs.kill(queued)).toEqual({ ok: true });
      expect((await d.client.jobs.get(queued)).events.at(-1)).toMatchObject({
        from: 'queued',
        to: 'killed',
        reason: 'cancelled before it ran',
      });
      await d.startAgent();
      // The other job runs to its end; by then the killed one's message has come and gone.
      await untilState(d.client, kept, (s) => s === 'finished');
      const after = await d.client.jobs.get(queued);
      expect(after.job).toMatchObject({ state: 'killed', rid: null, path: null });
      expect(after.events.map((e) => e.to)).toEqual(['queued', 'killed']);
    }, 90_000);
  });
}
