// The dashboard driven in Chromium against a real hub running the heat2d example: a
// package uploaded and a project created from the page, dispatches previewed and
// confirmed, progress and a residual chart watched live, jobs killed from the page, the
// sweep's results read, charted and downloaded. Screenshots of each page go to docs/.
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { walkDirectory, writeZip } from '../../src/archive/index.js';
import { scratchDir } from '../support/scratch.js';
import { HEAT2D, PLATE } from '../support/hub.js';
import {
  describeWithChromium,
  eventually,
  openBrowser,
  openDashboardHub,
  screenshot,
  type DashboardHub,
} from './support.js';

const TOKEN = 'sweep-token';
const SLOW = 120_000;

/** Two heat2d jobs that never converge and pause after each iteration: minutes of watchable progress. */
const SLOW_PARA = `<Para>
  <Param name="material" value="copper.mat"/>
  <Param name="length" value="1.0"/>
  <Param name="t_bottom" value="20"/>
  <Param name="t_left" value="20"/>
  <Param name="t_right" value="20"/>
  <Param name="t_init" value="20"/>
  <Param name="source" value="0"/>
  <Param name="scheme" value="sor"/>
  <Param name="omega" value="auto"/>
  <Param name="fourier" value="0.2"/>
  <Param name="iterations" value="100000"/>
  <Param name="tolerance" value="0"/>
  <Param name="delay_ms" value="10"/>
  <States rule="zip">
    <Param name="t_top" values="100 200"/>
    <Param name="cells" values="24 32"/>
  </States>
</Para>
`;

/** A number in an attribute of the first element `locator` finds (0 when absent). */
const numberIn = async (locator: Locator, attribute: string) =>
  Number((await locator.first().getAttribute(attribute)) ?? 0);

describeWithChromium('the dashboard on the heat2d sweep', () => {
  let hub: DashboardHub;
  let browser: Browser;
  let page: Page;
  let overview: Page;
  let errors: string[];
  let projectFiles: string[];
  let packageZip: string;
  let fastDispatch: number;
  let slowJobs: number[];

  const store = () => hub.mirror.hub.store;
  const stateOf = async (id: number) => (await store().getJob(id))?.state;
  const open = (hash: string) => page.goto(`${hub.base}/?token=${TOKEN}${hash}`);

  beforeAll(async () => {
    hub = await openDashboardHub(TOKEN);
    const dir = await scratchDir('mirror-dashboard-files-');
    packageZip = join(dir, 'heat2d.zip');
    const files = await walkDirectory(HEAT2D);
    await writeZip(
      files.map((f) => ({ path: f.path, absPath: f.absPath, executable: f.executable })),
      packageZip,
    );
    const plate = join(dir, 'plate');
    await mkdir(plate);
    for (const name of await readdir(PLATE)) await copyFile(join(PLATE, name), join(plate, name));
    await writeFile(join(plate, 'para-slow.xml'), SLOW_PARA);
    projectFiles = (await readdir(plate)).map((name) => join(plate, name));

    const opened = await openBrowser();
    browser = opened.browser;
    errors = opened.errors;
    overview = await opened.newPage();
    await overview.goto(`${hub.base}/?token=${TOKEN}`);
    await overview.locator('#live[data-status="live"]').waitFor();
    page = await opened.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('uploads the calc package’s zip from the packages page', async () => {
    await open('#/packages');
    await page.locator('input[name="zip"]').setInputFiles(packageZip);
    await page.getByRole('button', { name: 'Upload and validate' }).click();
    await page.locator('tr[data-package]', { hasText: 'heat2d' }).waitFor();
    expect(await page.locator('.notice.info').textContent()).toMatch(
      /^Registered calc package \d+: heat2d 1\.0\.0\.$/,
    );
    expect((await hub.mirror.hub.calcPackages.list()).map((p) => p.name)).toEqual(['heat2d']);
    await screenshot(page, 'packages');
  });

  it('creates a project with its files and para files from the projects page', async () => {
    await page.locator('#nav a[href="#/projects"]').click();
    await page.locator('input[name="name"]').fill('plate');
    await page.locator('input[name="files"]').setInputFiles(projectFiles);
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/#\/projects\/\d+$/);
    await eventually(
      () => page.locator('.page.project tbody tr').count(),
      (n) => n === projectFiles.length,
    );
    // The para files are marked, and offered to dispatch.
    expect(await page.locator('.badge.para').count()).toBe(4);
    expect(await page.locator('select[name="para"] option').allTextContents()).toEqual([
      'para-demo.xml',
      'para-slow.xml',
      'para-zip.xml',
      'para.xml',
    ]);
  });

  it('dispatches from the project page, showing the job count before confirming', async () => {
    await page.locator('select[name="para"]').selectOption('para.xml');
    await page.getByRole('button', { name: 'Preview' }).click();
    const count = page.locator('.job-count');
    await count.waitFor();
    expect(await count.textContent()).toBe('4 jobs varying t_top, cells');
    expect(await store().listJobs({ limit: 10 })).toEqual([]); // a preview makes nothing
    await screenshot(page, 'projects');

    await page.getByRole('button', { name: 'Dispatch 4 jobs' }).click();
    await page.locator('.dispatched[data-jobs="4"]').waitFor();
    const jobs = await store().listJobs({ limit: 10 });
    expect(jobs).toHaveLength(4);
    fastDispatch = jobs[0]?.dispatchId ?? 0;
    const sweepLink = page.locator('.dispatched a', { hasText: 'Sweep results' });
    expect(await sweepLink.getAttribute('href')).toBe(`#/sweeps/${fastDispatch}`);
  });

  it(
    'watches progress change live on the jobs page, and kills a job chosen there',
    async () => {
      await page.locator('select[name="para"]').selectOption('para-slow.xml');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('button', { name: 'Dispatch 2 jobs' }).click();
      await page.locator('.dispatched a', { hasText: 'Watch its jobs' }).click();
      await page.waitForURL(/#\/jobs\?dispatch=\d+$/);
      const rows = page.locator('table.jobs tr[data-job]');
      await eventually(
        () => rows.count(),
        (n) => n === 2,
      );
      const ids = await Promise.all([0, 1].map(async (i) => rows.nth(i).getAttribute('data-job')));
      slowJobs = ids.map(Number).sort((a, b) => a - b);
      const [first, second] = slowJobs as [number, number];

      // The bar of a running job shows currentstep/allstep, and moves without a reload.
      const progress = page.locator(`tr[data-job="${first}"] .progress .text`);
      const before = await eventually(
        () => progress.textContent(),
        (t) => /^\d+\/100000$/.test(t ?? ''),
        60_000,
      );
      await eventually(
        () => progress.textContent(),
        (t) => t !== before && /^\d+\/100000$/.test(t ?? ''),
      );

      // Bulk kill of the selected row.
      await page.locator(`tr[data-job="${second}"] input[name="pick"]`).check();
      await page.locator('button[name="bulk-kill"]').click();
      await page.locator('.notice.info', { hasText: 'kill: 1 done.' }).waitFor();
      await eventually(
        () => stateOf(second),
        (s) => s === 'killed',
      );
      await page.locator(`tr[data-job="${second}"] .badge[data-state="killed"]`).waitFor();
      expect(await stateOf(first)).toBe('running');

      // Every job, unfiltered: the sweep's, the killed one, the one still running.
      await page.locator('#nav a[href="#/jobs"]').click();
      await eventually(
        () => rows.count(),
        (n) => n === 6,
      );
      await page.locator(`tr[data-job="${second}"] .badge[data-state="killed"]`).waitFor();
      await screenshot(page, 'jobs');
    },
    SLOW,
  );

  it(
    'charts a running job’s residuals live, tails its log, and kills it with its seed action',
    async () => {
      const [first] = slowJobs as [number];
      await page.locator(`tr[data-job="${first}"] a[href="#/jobs/${first}"]`).click();
      await page.waitForURL(new RegExp(`#/jobs/${first}$`));
      const chart = page.locator('.process-chart[data-key="residuals"] .chart');
      const points = await eventually(
        () => numberIn(chart, 'data-points'),
        (n) => n > 0,
      );
      expect(await numberIn(chart, 'data-series')).toBe(1);
      await chart.locator('canvas').waitFor(); // uPlot draws at the next animation frame
      // New lines of residuals.dat arrive as events and extend the chart.
      await eventually(
        () => numberIn(chart, 'data-points'),
        (n) => n > points,
      );
      await eventually(
        () => page.locator('pre.log').textContent(),
        (t) => /Iter \d+ of 100000/.test(t ?? ''),
      );
      expect(await page.locator('pre.log').getAttribute('data-step')).toBe('solve');
      expect(await page.locator('tr[data-step="mesh"] .badge').textContent()).toBe('succeeded');
      await screenshot(page, 'job');

      await page.locator('button[name="kill"]').click();
      const reply = page.locator('.replies li[data-service="jobkill_1"]');
      await reply.waitFor();
      expect(await reply.locator('.reply').textContent()).toBe('[0,[]]');
      expect(await stateOf(first)).toBe('killed');
      await page.locator('.job-state .badge[data-state="killed"]').waitFor();
      await page.locator('.history td', { hasText: 'killed' }).first().waitFor();
    },
    SLOW,
  );

  it(
    'shows the sweep’s results: a row per job, a chart, the CSV download',
    async () => {
      const jobs = await store().listJobs({ dispatchId: fastDispatch, limit: 10 });
      await eventually(
        () => Promise.all(jobs.map((j) => stateOf(j.id))),
        (states) => states.every((s) => s === 'finished'),
        60_000,
      );
      // The sweeps page lists both dispatches, newest first, each leading to its results.
      await page.locator('#nav a[href="#/sweeps"]').click();
      await eventually(
        () => page.locator('tr[data-dispatch]').count(),
        (n) => n === 2,
      );
      expect(await page.locator('tr[data-dispatch]').first().getAttribute('data-dispatch')).not.toBe(
        String(fastDispatch),
      );
      await page.locator(`tr[data-dispatch="${fastDispatch}"] a[href="#/sweeps/${fastDispatch}"]`).click();
      const rows = page.locator('table.sweep-results tbody tr');
      await eventually(
        () => rows.count(),
        (n) => n === 4,
      );
      expect(await page.locator('table.sweep-results thead th').allTextContents()).toEqual([
        'job',
        'state',
        'label',
        't_top',
        'cells',
        'Tmax',
        'Tmean',
        'flux',
      ]);
      expect(await page.locator('table.sweep-results .badge[data-state="finished"]').count()).toBe(4);

      // Tmax against t_top: two x values, a line for each cells value.
      const chart = page.locator('.sweep-chart .chart');
      await eventually(
        () => numberIn(chart, 'data-points'),
        (n) => n === 2,
      );
      expect(await numberIn(chart, 'data-series')).toBe(2);
      await page.locator('select[name="output"]').selectOption('flux');
      await page.locator('select[name="across"]').selectOption('cells');
      expect(await numberIn(page.locator('.sweep-chart .chart'), 'data-series')).toBe(2);
      await page.locator('select[name="across"]').selectOption('t_top');
      await page.locator('select[name="output"]').selectOption('Tmax');
      await screenshot(page, 'sweep');

      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a.csv').click()]);
      const csv = await readFile((await download.path()) ?? '', 'utf8');
      const lines = csv.trim().split(/\r?\n/);
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatch(/^job,state,label,t_top,cells,Tmax,Tmean,flux$/);
    },
    SLOW,
  );

  it('links a job’s result files with the token, and shows its Output scalars', async () => {
    const [job] = await store().listJobs({ dispatchId: fastDispatch, limit: 1 });
    await open(`#/jobs/${job?.id}`);
    const summary = page.locator('.items.result li[data-key="summary"] a');
    await summary.waitFor();
    const href = (await summary.getAttribute('href')) ?? '';
    expect(href).toBe(`/files/jobs/${job?.id}/result/summary?token=${TOKEN}`);
    const res = await fetch(`${hub.base}${href}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^Tmax = /m);
    expect(await page.locator('.scalars.result [data-key="Tmax"]').textContent()).toMatch(/^\d+(\.\d+)?$/);
    // A finished job's chart comes from its stored residuals.
    await eventually(
      () => numberIn(page.locator('.process-chart[data-key="residuals"] .chart'), 'data-points'),
      (n) => n > 10,
    );
  });

  it('kept the overview live all along: counts by state, the machine, recent state changes', async () => {
    await eventually(
      () => overview.locator('.count[data-state="finished"] strong').textContent(),
      (t) => t === '4',
    );
    await eventually(
      () => overview.locator('.count[data-state="killed"] strong').textContent(),
      (t) => t === '2',
    );
    expect(await overview.locator('tr[data-rid="1"] .badge').textContent()).toBe('alive');
    expect(await overview.locator('.events li').count()).toBeGreaterThanOrEqual(20);
    await overview.bringToFront();
    await screenshot(overview, 'overview');
    expect(errors).toEqual([]);
  });
});
