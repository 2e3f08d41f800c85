import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentKinds } from '../support/deployments.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { describeIfAvailable } from '../support/required.js';

const BIN = fileURLToPath(new URL('../../bin/mirror.mjs', import.meta.url));
const run = promisify(execFile);
const kinds = await deploymentKinds();
let hub: string;

/** Runs `mirror …` against the hub; answers its exit code and output. */
async function mirror(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, '--hub', hub], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

for (const kind of kinds) {
  describeIfAvailable(`the CLI against a running hub, ${kind.name}`, kind.unavailable, () => {
    beforeAll(async () => {
      hub = (await kind.open({ autorun: true, sets: { slots: '2' } })).base;
    }, 60_000);

    it('registers, dispatches, watches to the end and prints the sweep results', async () => {
      expect((await mirror('package', 'add', HEAT2D)).stdout).toMatch(/^calc package 1: heat2d 1\.0\.0/);
      expect((await mirror('project', 'create', 'plate', PLATE)).stdout).toBe('project 1: plate (6 files)\n');
      expect(await mirror('dispatch', '1', '1')).toMatchObject({ code: 0, stdout: '[0,[1,2,3,4]]\n' });
      const watched = await mirror('watch', '--project', '1');
      expect(watched.code).toBe(0);
      const last = new Map<string, string>();
      for (const line of watched.stdout.trim().split('\n')) last.set(line.slice(0, 7), line);
      expect([...last.values()].map((l) => / finished /.test(l))).toEqual([true, true, true, true]);

      const csv = (await mirror('results', '--project', '1', '--csv')).stdout.trim().split('\n');
      expect(csv[0]).toBe('job,state,label,Tmax,Tmean,flux');
      expect(csv).toHaveLength(5);
      expect(csv[1]).toMatch(/^1,finished,"t_top=100,cells=32",\d/);

      const json = JSON.parse((await mirror('jobs', '--project', '1', '--json')).stdout) as {
        id: number;
        state: string;
      }[];
      expect(json.map((j) => [j.id, j.state])).toEqual([
        [4, 'finished'],
        [3, 'finished'],
        [2, 'finished'],
        [1, 'finished'],
      ]);
      const shown = await mirror('job', 'show', '1');
      expect(shown.stdout).toMatch(/^job 1: finished {2}rid 1/);
      expect((await mirror('logs', '1', 'solve')).stdout).toMatch(/^Iter 1 of 400 /m);
      expect(await mirror('call', 'job.getrid', 'job_id=1')).toMatchObject({ code: 0, stdout: '[0,1]\n' });
    });

    it('answers a refused verb on one line with exit code 1', async () => {
      expect(await mirror('kill', '1')).toMatchObject({
        code: 1,
        stderr: 'mirror kill: job not running , jobid : 1\n',
      });
      expect(await mirror('call', 'job.getrid', 'job_id=abc')).toMatchObject({
        code: 1,
        stderr: 'mirror call: argument job_id: "abc" is not a positive integer\n',
      });
      expect(await mirror('job', 'show', '99')).toMatchObject({
        code: 1,
        stderr: 'mirror job show: job is not existed , job : 99\n',
      });
      expect(await mirror('rm', '4')).toMatchObject({ code: 0, stdout: 'job 4 deleted\n' });
      expect(await mirror('rerun', '1')).toMatchObject({ code: 0, stdout: 'job 1 queued again\n' });
      expect((await mirror('watch', '1')).stdout.trim().split('\n').at(-1)).toMatch(
        /^job {3}1 \[#+\.*\] \d+\/400 finished/,
      );
      expect(await mirror('rerun', '4')).toMatchObject({ code: 1 });
    });
  });
}

describe('the CLI with no hub', () => {
  it('says so when no hub answers', async () => {
    const saved = hub;
    hub = `http://127.0.0.1:${await freePort()}`;
    try {
      expect(await mirror('jobs')).toMatchObject({
        code: 1,
        stderr: `mirror jobs: cannot reach the hub: connect ECONNREFUSED ${hub.slice('http://'.length)} (start one with \`mirror serve\`, or add --embedded)\n`,
      });
    } finally {
      hub = saved;
    }
  });
});
