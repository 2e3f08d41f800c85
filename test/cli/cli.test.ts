import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEAT2D, PLATE } from '../support/hub.js';
import { scratchDir } from '../support/scratch.js';

const BIN = fileURLToPath(new URL('../../bin/mirror.mjs', import.meta.url));
const run = promisify(execFile);
let workdir: string;

/** Runs `mirror …` on the embedded store in `workdir`; answers its exit code and output. */
async function mirror(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [BIN, ...args, '--embedded', '--workdir', workdir],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workdir },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  workdir = await scratchDir('mirror-cli-');
});

describe('mirror CLI on the embedded store', () => {
  it('registers a package, creates a project, dispatches and lists the jobs', async () => {
    const added = await mirror('package', 'add', HEAT2D);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toMatch(/^calc package 1: heat2d 1\.0\.0 \(sha256 [0-9a-f]{12}…, \d+ bytes\)$/m);
    const created = await mirror('project', 'create', 'plate', PLATE);
    expect(created.stdout).toBe('project 1: plate (6 files)\n');
    const dispatched = await mirror('dispatch', '1', '1');
    expect(dispatched).toMatchObject({ code: 0, stdout: '[0,[1,2,3,4]]\n' });
    const jobs = await mirror('jobs', '--json');
    const rows = JSON.parse(jobs.stdout) as { id: number; state: string; label: string }[];
    expect(rows.map((j) => [j.id, j.state, j.label])).toEqual([
      [4, 'queued', 't_top=200,cells=48'],
      [3, 'queued', 't_top=200,cells=32'],
      [2, 'queued', 't_top=100,cells=48'],
      [1, 'queued', 't_top=100,cells=32'],
    ]);
    const table = await mirror('jobs', '--state', 'queued');
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+project\s+package\s+state\s+rid\s+label$/);
  });

  it('prints a failed reply on stderr with exit code 1', async () => {
    const result = await mirror('dispatch', '1', '77');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('mirror dispatch: calcpackage is not existed , calcpackage : 77\n');
  });

  it('answers a usage mistake with exit code 2 and the usage', async () => {
    const result = await mirror('dispatch', 'one', '1');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'mirror dispatch: p_id must be a positive integer, got "one"\nusage: mirror dispatch <p_id> <c_id> [para_name]\n',
    );
    expect((await mirror('frobnicate')).code).toBe(2);
    expect((await mirror('jobs', '--state', 'sleeping')).stderr).toMatch(/unknown state "sleeping"/);
    expect((await mirror('jobs', '--project', 'abc')).stderr).toMatch(
      /--project must be a positive integer, got "abc"/,
    );
    const agent = await mirror(
      'agent',
      '--rid',
      '5',
      '--hub',
      'http://127.0.0.1:1',
      '--broker',
      'amqp://127.0.0.1:1',
    );
    expect(agent.code).toBe(2);
    expect(agent.stderr).toBe(
      'mirror agent: an agent authenticates to the hub with its agent credential: give --agent-credential SECRET ' +
        '(config agent.credential, MIRROR_AGENT_CREDENTIAL); the hub keeps it in <its workdir>/agent-credential\n' +
        'usage: mirror agent --rid N --hub URL --broker AMQP-URL --agent-credential SECRET [--executor slurm]\n',
    );
  });
});
