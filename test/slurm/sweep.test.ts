// A Mirror whose agent runs steps on a real Slurm cluster, seen through its HTTP API like
// any deployment: the heat2d sweep with every step a batch job and the outputs the local
// run gives; manual mode step by step; jobkill answered once Slurm no longer runs the step.
import { beforeAll, expect, it } from 'vitest';
import {
  deploymentKinds,
  dispatchOneJob,
  EMBEDDED,
  ON_SLURM,
  untilState,
  uploadDirectory,
  type Deployment,
  type DeploymentKind,
} from '../support/deployments.js';
import { fixturePackage } from '../support/embedded.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { describeIfAvailable } from '../support/required.js';

const kinds = await deploymentKinds([EMBEDDED, ON_SLURM]);
const kind = (name: string): DeploymentKind => {
  const found = kinds.find((k) => k.name === name);
  if (!found) throw new Error(`no deployment ${name}`);
  return found;
};
const onSlurm = kind(ON_SLURM);
const HANG = '<ExeArgument id="hang" type="shell" value="sleep 300" priority="1"/>';

/** Dispatches the plate project on heat2d and waits for every job to settle; answers the sweep's results. */
async function sweep(d: Deployment) {
  const packageId = await d.addPackage(HEAT2D);
  const projectId = await uploadDirectory(d.client, 'plate', PLATE);
  const { jobIds } = await d.client.dispatch(projectId, packageId);
  const settled = ['finished', 'failed', 'killed', 'lost'];
  for (const id of jobIds) await untilState(d.client, id, (s) => settled.includes(s), 120_000);
  const dispatchId = (await d.client.jobs.get(jobIds[0] ?? 0)).job.dispatchId;
  return { jobIds, results: await d.client.dispatches.results(dispatchId) };
}

/** The squeue state of batch job `id` on the deployment's cluster. */
const slurmState = (d: Deployment, id: string) =>
  d.slurm?.command('squeue', ['--noheader', '--states=all', `--jobs=${id}`, '--format=%T']).trim();

let slurm: Deployment;
describeIfAvailable(`the lifecycle ${ON_SLURM}`, onSlurm.unavailable, () => {
  beforeAll(async () => {
    slurm = await onSlurm.open({ autorun: true });
  }, 60_000);

  it('runs the heat2d sweep with every step a Slurm batch job, its outputs those of the local run', async () => {
    const local = await sweep(await kind(EMBEDDED).open({ autorun: true }));
    const onCluster = await sweep(slurm);
    expect(onCluster.results.rows.map((r) => r.state)).toEqual([
      'finished',
      'finished',
      'finished',
      'finished',
    ]);
    expect(onCluster.results.rows.map((r) => [r.params, r.outputs])).toEqual(
      local.results.rows.map((r) => [r.params, r.outputs]),
    );
    const batchIds: string[] = [];
    for (const id of onCluster.jobIds) {
      const { steps } = await slurm.client.jobs.get(id);
      expect(steps.map((s) => [s.stepId, s.status])).toEqual([
        ['mesh', 'succeeded'],
        ['solve', 'succeeded'],
        ['post', 'succeeded'],
      ]);
      for (const step of steps) {
        expect(step.batchId).toMatch(/^\d+$/);
        expect(step.batchState).toBe('COMPLETED');
        batchIds.push(step.batchId ?? '');
      }
    }
    expect(new Set(batchIds).size).toBe(onCluster.jobIds.length * 3);
    for (const id of batchIds) expect(slurmState(slurm, id)).toBe('COMPLETED');
  }, 300_000);

  it('runs a job step by step by its seed calls, each step a batch job', async () => {
    const manual = await onSlurm.open({ autorun: false, rid: 2 });
    const packageId = await manual.addPackage(
      await fixturePackage(
        '<ExeArgument id="one" type="shell" value="echo one > one.txt" priority="1" cores="1"/>' +
          '<ExeArgument id="two" type="shell" value="cat one.txt > two.txt" priority="2" walltime="00:10:00"/>',
      ),
    );
    const projectId = (await manual.client.projects.create('manual')).project.id;
    await manual.client.projects.putFile(projectId, 'para.xml', new TextEncoder().encode('<Para/>'));
    const [job = 0] = (await manual.client.dispatch(projectId, packageId)).jobIds;
    await untilState(manual.client, job, (s) => s === 'assigned');
    expect((await manual.client.call('jobdirbuild_2', 'do', { job_id: job }))[0]).toBe(0);
    expect((await manual.client.call('jobfilebuild_2', 'do', { job_id: job }))[0]).toBe(0);
    expect((await manual.client.call('jobrun_2', 'do', { job_id: job, step: 'one' }))[0]).toBe(0);
    const afterOne = await untilSteps(manual, job, (steps) => steps[0]?.status === 'succeeded');
    expect(afterOne.map((s) => [s.stepId, s.status])).toEqual([
      ['one', 'succeeded'],
      ['two', 'pending'],
    ]);
    expect(slurmState(manual, afterOne[0]?.batchId ?? '')).toBe('COMPLETED');
    expect((await manual.client.call('jobrun_2', 'do', { job_id: job, step: 'two' }))[0]).toBe(0);
    const afterTwo = await untilSteps(manual, job, (steps) => steps[1]?.status === 'succeeded');
    expect(afterTwo[1]?.batchId).not.toBe(afterOne[0]?.batchId);
    expect(slurmState(manual, afterTwo[1]?.batchId ?? '')).toBe('COMPLETED');
  }, 120_000);

  it('kills a running step with jobkill: the answer comes once Slurm no longer runs it', async () => {
    const { job, running } = await hangingJob('kill');
    const data = await slurm.client.call('jobgetdata', 'do', { job_id: job });
    expect(data).toMatchObject([0, { process: { batchjob: running?.batchId, batchstate: 'RUNNING' } }]);
    expect((await slurm.client.call('jobkill_1', 'do', { job_id: job }))[0]).toBe(0);
    expect(slurmState(slurm, running?.batchId ?? '')).toBe('CANCELLED');
    expect(await untilState(slurm.client, job, (s) => s === 'killed')).toBe('killed');
  }, 120_000);

  it('fails a job whose batch job someone cancels with scancel, saying so', async () => {
    const { job, running } = await hangingJob('outside');
    slurm.slurm?.command('scancel', [running?.batchId ?? '']);
    expect(await untilState(slurm.client, job, (s) => s === 'failed')).toBe('failed');
    const { steps, events } = await slurm.client.jobs.get(job);
    expect(steps[0]).toMatchObject({ status: 'failed', reason: 'cancelled outside Mirror by scancel' });
    expect(events.at(-1)?.reason).toBe('step hang failed: cancelled outside Mirror by scancel');
  }, 120_000);

  it('fails no job while squeue fails: a controller outage mid-step, and the job finishes', async () => {
    const job = await dispatchOneJob(
      slurm,
      '<ExeArgument id="wait" type="shell" value="sleep 5; echo done > done.txt" priority="1"/>',
      'outage',
    );
    await untilSteps(slurm, job, (steps) => steps[0]?.batchState === 'RUNNING');
    // Longer than squeue waits for a controller (MessageTimeout, 2 s here): its calls fail meanwhile.
    await slurm.slurm?.controllerOutage(8_000);
    expect(await untilState(slurm.client, job, (s) => s !== 'running', 60_000)).toBe('finished');
  }, 120_000);

  it('deletes a running job with jobdelete force=1: its batch job cancelled first', async () => {
    const { job, running } = await hangingJob('delete');
    expect(await slurm.client.call('jobdelete_1', 'do', { job_id: job, force: 1 })).toEqual([0, []]);
    expect(slurmState(slurm, running?.batchId ?? '')).toBe('CANCELLED');
    await expect(slurm.client.jobs.get(job)).rejects.toThrow(`job is not existed , job : ${job}`);
  }, 120_000);
});

/** A job of one step that sleeps, once its batch job runs: the job and that step's record. */
async function hangingJob(name: string) {
  const job = await dispatchOneJob(slurm, HANG, name);
  const [running] = await untilSteps(slurm, job, (steps) => steps[0]?.batchState === 'RUNNING');
  return { job, running };
}

/** Polls a job's step records until `done` holds of them. */
async function untilSteps(
  d: Deployment,
  job: number,
  done: (steps: Awaited<ReturnType<Deployment['client']['jobs']['get']>>['steps']) => boolean,
) {
  const end = Date.now() + 60_000;
  for (;;) {
    const { steps } = await d.client.jobs.get(job);
    if (done(steps)) return steps;
    if (Date.now() > end) throw new Error(`steps of job ${job} stayed ${JSON.stringify(steps)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
