import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Embedded } from '../../../src/embedded/index.js';
import {
  dispatchOne,
  fixturePackage,
  isAlive,
  openEmbedded,
  stateOf,
  until,
} from '../../support/embedded.js';

/** Builds a job's directory and files by hand, leaving it ready to run. */
async function readyJob(mirror: Embedded, body: string, hooks?: string): Promise<number> {
  const job = await dispatchOne(mirror, await fixturePackage(body, hooks));
  await until(
    () => stateOf(mirror, job),
    (s) => s === 'assigned',
  );
  expect(await mirror.call('jobdirbuild_1', 'do', { job_id: job })).toEqual([0, []]);
  expect(await mirror.call('jobfilebuild_1', 'do', { job_id: job })).toEqual([0, []]);
  return job;
}

/** The pids a step's log names (`forever: started 123`, `child 456`, ...). */
async function pidsInLog(mirror: Embedded, job: number, step: string): Promise<number[]> {
  const path = (await mirror.hub.store.getJob(job))?.path ?? '';
  const log = await readFile(join(path, '.mirror', 'logs', `${step}.log`), 'utf8');
  return [...log.matchAll(/(?:started|child|escaped|main) (\d+)/g)].map((m) => Number(m[1]));
}

describe('steps as real process trees (autorun off)', () => {
  it('kill stops the whole tree, even a process that ignores SIGTERM, and recovers nothing', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const job = await readyJob(
      mirror,
      `<ExeArgument id="spawn" type="shell" value="spawns-grandchild.sh 300" priority="1"/>
       <ExeArgument id="stubborn" type="shell" value="ignores-sigterm.sh" priority="2"/>
       <Result key="log" file=".mirror/logs/spawn.log"/>`,
    );
    expect(await mirror.call('jobrun_1', 'do', { job_id: job, step: 'spawn' })).toEqual([0, []]);
    const pids = await until(
      () => pidsInLog(mirror, job, 'spawn').catch(() => []),
      (p) => p.length === 3,
    );
    for (const pid of pids) expect(await isAlive(pid)).toBe(true);
    expect(await mirror.call('jobkill_1', 'do', { job_id: job })).toEqual([0, []]);
    expect(await stateOf(mirror, job)).toBe('killed');
    for (const pid of pids) expect(await isAlive(pid)).toBe(false);
    expect((await mirror.hub.store.listJobSteps(job))[0]).toMatchObject({
      stepId: 'spawn',
      status: 'killed',
      reason: 'killed',
    });
    expect(await mirror.hub.store.listJobItems(job)).toEqual([]);

    expect(await mirror.call('jobrun_1', 'do', { job_id: job, step: 'stubborn' })).toEqual([0, []]);
    const [stubborn] = await until(
      () => pidsInLog(mirror, job, 'stubborn').catch(() => []),
      (p) => p.length === 1,
    );
    expect(await mirror.call('jobkill_1', 'do', { job_id: job })).toEqual([0, []]);
    expect(await isAlive(stubborn ?? 0)).toBe(false);
    expect(await mirror.call('jobkill_1', 'do', { job_id: job })).toEqual([
      -1,
      `job not running , jobid : ${job}`,
    ]);
  });

  it('a timeout fails the job with reason timeout and leaves no process', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const job = await readyJob(
      mirror,
      `<ExeArgument id="hang" type="shell" value="forever.sh" priority="1" timeout="0.5"/>`,
    );
    expect(await mirror.call('jobrun_1', 'do', { job_id: job })).toEqual([0, []]);
    const pids = await until(
      () => pidsInLog(mirror, job, 'hang').catch(() => []),
      (p) => p.length === 1,
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
    );
    const [step] = await mirror.hub.store.listJobSteps(job);
    expect(step).toMatchObject({ status: 'failed', reason: 'timeout after 0.5 s' });
    const events = await mirror.hub.store.listJobEvents(job);
    expect(events.at(-1)).toMatchObject({
      from: 'running',
      to: 'failed',
      reason: 'step hang failed: timeout after 0.5 s',
    });
    expect(await isAlive(pids[0] ?? 0)).toBe(false);
  });

  it('a failing step stops the chain; its partial results can still be recovered', async () => {
    const mirror = await openEmbedded({ autorun: 'true' });
    const job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="first" type="shell" value="echo partial > out.txt" workpath="A" priority="1"/>
         <ExeArgument id="second" type="shell" value="fails.sh" workpath="A" priority="2"/>
         <ExeArgument id="third" type="shell" value="echo never > never.txt" workpath="A" priority="3"/>
         <Result key="out" file="A/out.txt"/>`,
      ),
    );
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
    );
    const steps = await mirror.hub.store.listJobSteps(job);
    expect(steps.map((s) => [s.stepId, s.status, s.exitCode])).toEqual([
      ['first', 'succeeded', 0],
      ['second', 'failed', 3],
      ['third', 'pending', null],
    ]);
    const log = await readFile(
      join((await mirror.hub.store.getJob(job))?.path ?? '', '.mirror/logs/second.log'),
      'utf8',
    );
    expect(log).toContain('fails: this goes to stdout');
    expect(log).toContain('fails: this goes to stderr');
    expect(await mirror.hub.store.listJobItems(job)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ key: 'out' })]),
    );
    expect(await mirror.call('jobresultrecovery_1', 'do', { job_id: job })).toEqual([0, []]);
    const [, data] = (await mirror.call('jobgetdata', 'do', { job_id: job })) as [
      number,
      { result: Record<string, string> },
    ];
    expect(data.result['out']).toBe(`${mirror.hub.baseUrl}/files/jobs/${job}/result/out`);
  });

  it('delete refuses a running job unless force=1, which kills it first', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const job = await readyJob(
      mirror,
      `<ExeArgument id="hang" type="shell" value="forever.sh" priority="1"/>`,
    );
    expect(await mirror.call('jobrun_1', 'do', { job_id: job })).toEqual([0, []]);
    const [pid] = await until(
      () => pidsInLog(mirror, job, 'hang').catch(() => []),
      (p) => p.length === 1,
    );
    expect(await mirror.call('jobdelete_1', 'do', { job_id: job, force: 0 })).toEqual([
      -1,
      `job is running , jobid : ${job}`,
    ]);
    expect(await stateOf(mirror, job)).toBe('running');
    expect(await mirror.call('jobdelete_1', 'do', { job_id: job, force: 1 })).toEqual([0, []]);
    expect(await isAlive(pid ?? 0)).toBe(false);
    expect(await mirror.hub.store.getJob(job)).toBeUndefined();
  });

  it('progress read during a run lies between 0 and all, and grows', async () => {
    const mirror = await openEmbedded({ autorun: 'true' });
    const job = await dispatchOne(
      mirror,
      await fixturePackage(
        `<ExeArgument id="solve" type="shell" value="slow-progress.sh 20 0.1" priority="1"/>
         <Progress file=".mirror/logs/solve.log" pattern="^Iter (\\d+) of (\\d+)"/>`,
      ),
    );
    const seen: number[] = [];
    await until(
      async () => {
        const [, data] = (await mirror.call('jobgetdata', 'do', { job_id: job })) as [
          number,
          { process: Record<string, string> },
        ];
        if (data.process['allstep'] === '20') seen.push(Number(data.process['currentstep']));
        return stateOf(mirror, job);
      },
      (s) => s === 'finished',
    );
    expect(seen.length).toBeGreaterThan(2);
    for (const value of seen) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(20);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen.filter((v) => v < 20)).size).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(20);
  });

  it('runs pre- and post-methods on manual runs, their items joining the job data', async () => {
    const mirror = await openEmbedded({ autorun: 'false' });
    const hooks = `
      import { writeFile } from 'node:fs/promises';
      export async function before(ctx) { await writeFile('pre.txt', ctx.step.id); return { process: { pre: process.cwd() } }; }
      export async function after(ctx) { return { result: { seen: String(ctx.params.size) } }; }
      export async function explode() { throw new Error('no mesh today'); }`;
    const job = await readyJob(
      mirror,
      `<ExeArgument id="one" type="shell" value="cat pre.txt > copy.txt" workpath="W" priority="1" premethod="before" postmethod="after"/>
       <ExeArgument id="two" type="shell" value="true" priority="2" premethod="explode"/>`,
      hooks,
    );
    expect(await mirror.call('jobrun_1', 'do', { job_id: job, step: 'all' })).toEqual([0, []]);
    await until(
      () => stateOf(mirror, job),
      (s) => s === 'failed',
    );
    const runDir = (await mirror.hub.store.getJob(job))?.path ?? '';
    expect(await readFile(join(runDir, 'W', 'copy.txt'), 'utf8')).toBe('one');
    const [, data] = (await mirror.call('jobgetdata', 'do', { job_id: job })) as [
      number,
      { process: Record<string, string>; result: Record<string, string> },
    ];
    expect(data.process['pre']).toBe(join(runDir, 'W'));
    expect(data.result['seen']).toBe('undefined');
    expect((await mirror.hub.store.listJobSteps(job))[1]).toMatchObject({
      stepId: 'two',
      status: 'failed',
      reason: 'premethod explode failed: no mesh today',
    });
  });
});
