import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHookPool, createHookRunner, type HookCall } from '../../../src/agent/hooks/index.js';
import { scratchDir } from '../../support/scratch.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/hooks/', import.meta.url));

async function callOf(file: string, name: string, timeoutMs: number): Promise<HookCall> {
  const runDir = await realpath(await scratchDir('mirror-pool-'));
  const stepDir = path.join(runDir, 'W');
  await mkdir(stepDir);
  return {
    hooksFile: path.join(FIXTURES, file),
    name,
    cwd: stepDir,
    timeoutMs,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    ctx: {
      jobId: 1,
      projectId: 1,
      packageId: 1,
      rid: 1,
      step: { id: 'w', workpath: 'W' },
      params: {},
      runDir,
      stepDir,
    },
  };
}

/** The order in which a hung call and a quick one, started together, end. */
async function endingOrder(size: number): Promise<string[]> {
  const pool = createHookPool(size, () => createHookRunner());
  const order: string[] = [];
  try {
    const hung = pool
      .run(await callOf('never-returns.mjs', 'gridPre', 1_500))
      .then((o) => order.push(`hung:${o.kind}`));
    const quick = pool
      .run(await callOf('good.mjs', 'gridPre', 10_000))
      .then((o) => order.push(`quick:${o.kind}`));
    await Promise.all([hung, quick]);
  } finally {
    await pool.close();
  }
  return order;
}

describe('hook pool', () => {
  it('runs a quick hook beside a hung one instead of behind it', async () => {
    expect(await endingOrder(2)).toEqual(['quick:returned', 'hung:timeout']);
  });

  it('with one runner, calls wait for each other (the order the pool avoids)', async () => {
    expect(await endingOrder(1)).toEqual(['hung:timeout', 'quick:returned']);
  });

  it('answers crashed after close', async () => {
    const pool = createHookPool(2, () => createHookRunner());
    await pool.close();
    expect(await pool.run(await callOf('good.mjs', 'gridPre', 1_000))).toMatchObject({ kind: 'crashed' });
  });
});
