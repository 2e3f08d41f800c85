// The dashboard on a Mirror whose agent runs steps on a real Slurm cluster: the job page
// shows the running step's batch job and its state, and its Kill action ends the batch
// job (Slurm lists it CANCELLED) and the job (killed).
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  deploymentKinds,
  dispatchOneJob,
  ON_SLURM,
  untilState,
  type Deployment,
} from '../support/deployments.js';
import { describeIfAvailable } from '../support/required.js';
import { chromiumUnavailable, openBrowser } from './support.js';

const [onSlurm] = await deploymentKinds([ON_SLURM]);

describeIfAvailable(`the dashboard, ${ON_SLURM}`, chromiumUnavailable() ?? onSlurm?.unavailable, () => {
  let d: Deployment;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  beforeAll(async () => {
    if (!onSlurm) throw new Error('no Slurm deployment');
    d = await onSlurm.open({ autorun: true });
    browser = await openBrowser();
  }, 60_000);
  afterAll(() => browser?.browser.close());

  it('shows the running step’s batch job, and kills it with the Kill action', async () => {
    const job = await dispatchOneJob(
      d,
      '<ExeArgument id="hang" type="shell" value="sleep 300" priority="1"/>',
      'slurm',
    );
    const page = await browser.newPage();
    await page.goto(`${d.base}/#/jobs/${job}`);
    const batch = page.locator('tr[data-step="hang"] .batch');
    await expect.poll(() => batch.textContent(), { timeout: 30_000 }).toMatch(/^\d+ RUNNING$/);
    const id = (await batch.getAttribute('data-batch')) ?? '';
    expect((await d.client.jobs.get(job)).steps[0]?.batchId).toBe(id);

    await page.locator('button[name="kill"]').click();
    await page.locator('.replies li[data-service="jobkill_1"] .reply', { hasText: '[0,[]]' }).waitFor();
    expect(
      d.slurm?.command('squeue', ['--noheader', '--states=all', `--jobs=${id}`, '--format=%T']).trim(),
    ).toBe('CANCELLED');
    expect(await untilState(d.client, job, (s) => s === 'killed')).toBe('killed');
    expect(browser.errors).toEqual([]);
  }, 90_000);
});
