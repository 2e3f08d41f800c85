// The dashboard and the gateway's token: the page carries `?token=` to its assets, its
// API calls (Authorization: Bearer) and its event stream (`?token=`); without the token
// the hub refuses the page and every API call.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, openBrowser, openDashboardHub, type DashboardHub } from './support.js';

const TOKEN = 'dash-secret';

describeWithChromium('the dashboard with a token', () => {
  let hub: DashboardHub;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    hub = await openDashboardHub(TOKEN);
    const opened = await openBrowser();
    browser = opened.browser;
    errors = opened.errors;
    page = await opened.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('refuses the page without the token', async () => {
    const res = await page.goto(`${hub.base}/`);
    expect(res?.status()).toBe(401);
    expect(await res?.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('with ?token= loads its assets, calls the API and follows the event stream', async () => {
    const res = await page.goto(`${hub.base}/?token=${TOKEN}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['cache-control']).toBe('no-store');
    // The counts and the machines come from /api with the Bearer token...
    await page.locator('.count[data-state="queued"] strong').waitFor();
    await page.locator('tr[data-rid="1"]').waitFor();
    // ...and the event stream from /api/events?token=.
    await page.locator('#live[data-status="live"]').waitFor();
    expect(await page.evaluate('sessionStorage.getItem("mirror.token")')).toBe(TOKEN);
    expect(errors).toEqual([]);
  });

  it('the API refuses calls without the token, from the same page', async () => {
    const statuses = await page.evaluate(`Promise.all([
      fetch('/api/jobs').then((r) => r.status),
      fetch('/api/jobs', { headers: { authorization: 'Bearer wrong' } }).then((r) => r.status),
      fetch('/dashboard/app.js').then((r) => r.status),
      fetch('/api/jobs', { headers: { authorization: 'Bearer ${TOKEN}' } }).then((r) => r.status),
    ])`);
    expect(statuses).toEqual([401, 401, 401, 200]);
  });

  it('serves its assets with an ETag, answering 304 when unchanged', async () => {
    const first = await fetch(`${hub.base}/dashboard/app.js?token=${TOKEN}`);
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${hub.base}/dashboard/app.js?token=${TOKEN}`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    const css = await fetch(`${hub.base}/dashboard/app.css?token=${TOKEN}`);
    expect(await css.text()).toContain('.uplot'); // uPlot's own styles are bundled in
  });
});
