// Finding a step's tree by its token in /proc, with real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { pidsWithToken, STEP_TOKEN_VAR } from '../../../src/agent/executor/index.js';

const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
});

/** A `sleep` with the given extra environment; resolves with its pid once it runs. */
async function sleeper(env: Record<string, string>): Promise<number> {
  return (await sleepingChild(env)).pid ?? 0;
}

async function sleepingChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn('sleep', ['300'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stdio: 'ignore',
  });
  children.push(child);
  await once(child, 'spawn');
  return child;
}

describe('pidsWithToken', () => {
  it('finds the processes whose environment holds exactly the token', async () => {
    const token = randomBytes(16).toString('hex');
    const tagged = await sleeper({ [STEP_TOKEN_VAR]: token, OTHER: 'x' });
    await sleeper({ [STEP_TOKEN_VAR]: `${token}0` });
    await sleeper({ [STEP_TOKEN_VAR]: token.slice(1) });
    await sleeper({ OTHER: `${STEP_TOKEN_VAR}=${token}` });
    expect(await pidsWithToken(token)).toEqual([tagged]);
  });

  it('finds nothing for a token nobody carries, and never this process', async () => {
    expect(await pidsWithToken(randomBytes(16).toString('hex'))).toEqual([]);
  });

  it('no longer lists a process once it has ended', async () => {
    const token = randomBytes(16).toString('hex');
    const child = await sleepingChild({ [STEP_TOKEN_VAR]: token });
    expect(await pidsWithToken(token)).toEqual([child.pid]);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    expect(await pidsWithToken(token)).toEqual([]);
  });
});
