import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentKinds } from '../support/deployments.js';
import { fixturePackage, scratchDir } from '../support/embedded.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import { describeIfAvailable } from '../support/required.js';

const BIN = fileURLToPath(new URL('../../bin/mirror.mjs', import.meta.url));
const run = promisify(execFile);
const kinds = await deploymentKinds();
/** Each test runs a dozen CLI processes (about a second each alone, several with the whole suite running). */
const CLI_TEST_MS = 90_000;
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

/** Runs `mirror …` on a terminal of its own (util-linux `script`), typing `input`; answers what it showed. */
function onTerminal(args: string[], input: string): Promise<{ code: number | null; output: string }> {
  const line = [process.execPath, BIN, ...args, '--hub', hub].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', line, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Typed once it asks, as a person would.
  const typed = setInterval(() => {
    if (output.includes('[y/N]')) {
      child.stdin.write(input);
      clearInterval(typed);
    }
  }, 20);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearInterval(typed);
      resolve({ code, output });
    }),
  );
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

    it(
      'registers, dispatches, watches to the end and prints the sweep results',
      async () => {
        expect((await mirror('package', 'add', HEAT2D)).stdout).toMatch(/^calc package 1: heat2d 1\.0\.0/);
        expect((await mirror('project', 'create', 'plate', PLATE)).stdout).toBe(
          'project 1: plate (6 files)\n',
        );
        expect(await mirror('dispatch', '1', '1')).toMatchObject({ code: 0, stdout: '[0,[1,2,3,4]]\n' });
        const watched = await mirror('watch', '--project', '1');
        expect(watched.code).toBe(0);
        const last = new Map<string, string>();
        for (const line of watched.stdout.trim().split('\n')) last.set(line.slice(0, 7), line);
        expect(
          [...last.values()].map((l) => / finished /.test(l)),
          watched.stdout + watched.stderr,
        ).toEqual([true, true, true, true]);

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
      },
      CLI_TEST_MS,
    );

    it(
      'answers a refused verb on one line with exit code 1',
      async () => {
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
      },
      CLI_TEST_MS,
    );

    it(
      'acts on exactly the jobs named: ids and ranges, a selector, never all by default',
      async () => {
        // Job 4 was deleted above; 1-3 are finished.
        expect(await mirror('rerun')).toMatchObject({
          code: 2,
          stderr:
            'mirror rerun: name the jobs to rerun: ids and ranges (23 25-30), or --project, --dispatch, --state, --rid, --label\n' +
            'usage: mirror rerun <job_id|from-to> ... | --project P [--state S] ... [--yes]\n',
        });
        expect(await mirror('kill', '2-1')).toMatchObject({
          code: 2,
          stderr: expect.stringMatching(/^mirror kill: range 2-1 runs backwards; write 1-2\n/) as unknown,
        });
        expect(await mirror('dispatch', '1', '1', 'para.xml', 'extra')).toMatchObject({
          code: 2,
          stderr: expect.stringMatching(/^mirror dispatch: unexpected argument "extra"\n/) as unknown,
        });
        const rerun = await mirror('rerun', '1-2', '3');
        expect(rerun).toMatchObject({
          code: 0,
          stdout: 'job 1 queued again\njob 2 queued again\njob 3 queued again\nqueued again 3 of 3 jobs\n',
        });
        for (const id of ['1', '2', '3']) {
          expect((await mirror('watch', id)).stdout.trim().split('\n').at(-1)).toMatch(/ finished/);
        }
        expect(await mirror('rerun', '--state', 'finished', '--project', '1')).toMatchObject({
          code: 0,
          stdout: 'job 1 queued again\njob 2 queued again\njob 3 queued again\nqueued again 3 of 3 jobs\n',
        });
        expect(await mirror('kill', '--project', '99')).toMatchObject({
          code: 0,
          stdout: 'no job matches; nothing to kill\n',
        });
      },
      CLI_TEST_MS,
    );

    it(
      'asks before acting on more than 10 jobs: --yes, or no terminal means no',
      async () => {
        // 12 jobs of a step that runs until killed: two running (two slots), the rest waiting.
        const forever = await fixturePackage(
          '<ExeArgument id="s" type="shell" value="forever.sh" priority="1"/>',
        );
        const added = /^calc package (\d+):/.exec((await mirror('package', 'add', forever)).stdout);
        const para = join(await scratchDir('mirror-cli-para-'), 'many.xml');
        const values = Array.from({ length: 12 }, (_, i) => i + 1).join(' ');
        await writeFile(para, `<Para><States><Param name="x" values="${values}"/></States></Para>`);
        expect((await mirror('project', 'upload', '1', para, 'many.xml')).code).toBe(0);
        const reply = await mirror('dispatch', '1', added?.[1] ?? '0', 'many.xml');
        const ids = (JSON.parse(reply.stdout) as [number, number[]])[1];
        expect(ids).toHaveLength(12);
        const range = `${ids[0]}-${ids.at(-1)}`;
        expect(await mirror('kill', range)).toMatchObject({
          code: 2,
          stderr: expect.stringMatching(
            /^mirror kill: this would kill 12 jobs: add --yes to go ahead\n/,
          ) as unknown,
        });
        // On a terminal it asks; anything but yes leaves every job as it was.
        const declined = await onTerminal(['kill', range], 'n\n');
        expect(declined.output).toContain('kill 12 jobs? [y/N]');
        expect(declined.output).toContain('mirror kill: not done: kill 12 jobs was not confirmed');
        expect(declined.code).toBe(1);
        expect((await mirror('jobs', '--state', 'killed', '--json')).stdout).toBe('[]\n');
        const killed = await mirror('kill', range, '--yes');
        expect(killed).toMatchObject({ code: 0, stderr: '' });
        expect(killed.stdout.trim().split('\n').at(-1)).toBe('killed 12 of 12 jobs');
      },
      CLI_TEST_MS,
    );
  });
}

describe('the CLI with no hub', () => {
  it(
    'says so when no hub answers',
    async () => {
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
    },
    CLI_TEST_MS,
  );
});
