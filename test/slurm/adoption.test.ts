// A Slurm agent killed (kill -9) or stopped (SIGINT) mid-step: the batch job belongs to
// the cluster and runs on; the agent started again on the same rid and workdir adopts it
// from the recorded job id and carries the job to the end, with no second submission and
// no "agent restarted" or "agent stopped" failure.
// A hub process on PostgreSQL and RabbitMQ, `mirror agent --executor slurm` processes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { uploadProject, withScaledOut } from '../support/cluster.js';
import { fixturePackage, until } from '../support/embedded.js';
import { rabbitUnavailable } from '../support/rabbit.js';
import { describeIfAvailable } from '../support/required.js';
import { slurmUnavailable, startSlurmCluster, type SlurmCluster } from '../support/slurm.js';
import { storeBackends } from '../support/stores.js';

const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
const why = slurmUnavailable() ?? postgres?.unavailable ?? (await rabbitUnavailable());

const STEPS =
  '<ExeArgument id="first" type="shell" value="sleep 6; echo first > first.txt" priority="1"/>' +
  '<ExeArgument id="second" type="shell" value="cat first.txt > second.txt" priority="2"/>';

describeIfAvailable('a Slurm agent killed mid-step, started again', why, () => {
  let slurm: SlurmCluster;
  beforeAll(async () => {
    slurm = await startSlurmCluster();
  }, 60_000);
  afterAll(() => slurm?.stop());

  it.each(['SIGKILL', 'SIGINT'] as const)(
    '%s: adopts the running batch job and finishes the job: one submission per step, no failure',
    async (signal) => {
      await withScaledOut(
        (await postgres?.freshUrl()) ?? '',
        { 'timing.heartbeatMs': '250' },
        async (mirror) => {
          const { cluster, client, rpc } = mirror;
          const agentSets = {
            'executor.kind': 'slurm',
            'slurm.conf': slurm.conf,
            'slurm.pollMs': '200',
            autorun: 'true',
          };
          const batchJobs = () =>
            slurm
              .command('squeue', ['--noheader', '--states=all', '--format=%i'])
              .trim()
              .split('\n')
              .filter(Boolean);
          const before = new Set(batchJobs());
          const agent = await cluster.startAgent(1, agentSets);
          const packageId = (await client.packages.registerDirectory(await fixturePackage(STEPS))).id;
          const project = await uploadProject(client, 'adopt', { 'para.xml': '<Para/>' });
          const reply = await rpc.call('jobdispatch', 'do', { p_id: project, c_id: packageId }, 'json');
          const job = (reply[1] as number[])[0] ?? 0;
          const running = await until(
            async () => (await client.jobs.get(job)).steps[0],
            (step) => step?.batchState === 'RUNNING',
            60_000,
          );
          const batchId = running?.batchId ?? '';

          agent.child.kill(signal);
          await agent.stop();
          // The cluster's job runs on without its agent.
          expect(slurm.command('squeue', ['--noheader', `--jobs=${batchId}`, '--format=%T']).trim()).toBe(
            'RUNNING',
          );

          const again = await cluster.startAgent(1, agentSets, agent.workdir);
          await again.waitFor(
            new RegExp(`job ${job}: step first goes on as batch job ${batchId}; followed again`),
          );
          const { job: done, steps } = await until(
            () => client.jobs.get(job),
            (d) => d.job.state !== 'running',
            60_000,
          );
          expect(done.state).toBe('finished');
          expect(steps.map((s) => [s.stepId, s.status])).toEqual([
            ['first', 'succeeded'],
            ['second', 'succeeded'],
          ]);
          expect(steps[0]?.batchId).toBe(batchId);
          expect(await readFile(join(done.path ?? '', 'second.txt'), 'utf8')).toBe('first\n');
          // Every batch job submitted since the dispatch is one of the job's two steps.
          const submitted = batchJobs().filter((id) => !before.has(id));
          expect(submitted.sort()).toEqual(steps.map((st) => st.batchId ?? '').sort());
          const events = (await client.jobs.get(job)).events.map((e) => e.reason);
          expect(events.filter((r) => /agent (restarted|stopped)/.test(r))).toEqual([]);
        },
      );
    },
    180_000,
  );
});
