// The browser as the attacker's tool, driven for real (Debian's Chromium): a crafted link
// into the hub's pages (XSS), pages on another origin that post forms, load images and
// fetch at the hub (CSRF), one that frames the dashboard. Against the default token-less
// loopback hub, in every deployment. No script of the attacker's runs, no request of
// theirs reaches a route (the gateway's own log says so), and nothing changes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, chromiumUnavailable } from '../dashboard/support.js';
import { describeIfAvailable } from '../support/required.js';
import { deploymentKinds, type Deployment } from './deployments.js';
import { everything } from './unchanged.js';

const kinds = await deploymentKinds();
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A script that, were it to run on the hub's origin, would leave marks: a dialog, a project, a request. */
const PAYLOAD = `fetch('/api/projects',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({name:'pwned'})});alert('xss')`;

let browser: Browser;
let evil: Server;
let evilBase: string;
/** The attacker's pages, by path, as the test sets them. */
const evilPages = new Map<string, string>();

beforeAll(async () => {
  if (chromiumUnavailable() !== undefined) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  evil = createServer((req, res) => {
    const page = evilPages.get(req.url ?? '');
    res.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'no such page');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilBase = `http://localhost:${(evil.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (evil ? evil.close(resolve) : resolve(undefined)));
});

for (const kind of kinds) {
  const why = chromiumUnavailable() ?? kind.unavailable;
  describeIfAvailable(`a browser used against the hub, ${kind.name}`, why, () => {
    let d: Deployment;
    let page: Page;
    const dialogs: string[] = [];
    beforeAll(async () => {
      d = await kind.open({ token: '' });
      const context = await browser.newContext();
      page = await context.newPage();
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    }, 60_000);

    /** Runs `act`; answers the requests the gateway answered meanwhile. */
    const during = async (act: () => Promise<void>) => {
      d.seen.length = 0;
      const before = await everything(d.mirror.hub, d.fixture.victim);
      await act();
      // Let the last requests the pages made arrive and be answered.
      await page.waitForTimeout(500);
      expect(await everything(d.mirror.hub, d.fixture.victim)).toEqual(before);
      expect(dialogs).toEqual([]);
      return [...d.seen];
    };

    it('the gateway log sees which requests reach a route (a same-origin read does)', async () => {
      const seen = await during(async () => {
        await page.goto(`${d.base}/api/projects`);
      });
      expect(seen).toContainEqual({ method: 'GET', url: '/api/projects', status: 200, handled: true });
    });

    it('a link to the API docs with a script in its token runs no script', async () => {
      const link = `${d.base}/api/docs?token=${encodeURIComponent(`</script><script>${PAYLOAD}</script>`)}`;
      const seen = await during(async () => {
        await page.goto(link);
        await page.waitForSelector('.opblock', { timeout: 15_000 }); // Swagger UI itself runs, under its CSP
      });
      expect(seen.filter((s) => WRITES.has(s.method))).toEqual([]);
    });

    it('a link to the dashboard with a script in its token runs no script', async () => {
      const link = `${d.base}/?token=${encodeURIComponent(`"></script><script>${PAYLOAD}</script>`)}`;
      const seen = await during(async () => {
        await page.goto(link);
        await page.waitForSelector('#nav a', { timeout: 15_000 });
      });
      expect(seen.filter((s) => WRITES.has(s.method))).toEqual([]);
    });

    it('names that are markup show as text in the dashboard', async () => {
      const hostile = `<img src=x onerror="${PAYLOAD}">`;
      await d.mirror.hub.projects.create(hostile, []);
      const seen = await during(async () => {
        await page.goto(`${d.base}/#/projects`);
        await page.getByText(hostile).first().waitFor({ timeout: 15_000 });
        expect(await page.locator('img[src="x"]').count()).toBe(0);
      });
      expect(seen.filter((s) => WRITES.has(s.method))).toEqual([]);
    });

    it('pages elsewhere that post forms, load images and fetch at the hub reach no route', async () => {
      const { jobId, projectId, packageId } = d.fixture;
      const hub = d.base;
      evilPages.set(
        '/forms',
        `<!doctype html><body>
        <iframe name="sink"></iframe>
        <form id="dispatch" method="POST" action="${hub}/proxy/jobdispatch-do" target="sink">
          <input name="p_id" value="${projectId}"><input name="c_id" value="${packageId}"></form>
        <form id="agent" method="POST" action="${hub}/agent/jobs/${jobId}/transition" target="sink" enctype="text/plain">
          <input name='{"from":["built"],"to":"built","reason":"x","path":"/","onRid":1,"x":"' value='"}'></form>
        <form id="project" method="POST" action="${hub}/api/projects" target="sink">
          <input name="name" value="pwned"></form>
        <script>for (const f of document.forms) f.submit();</script></body>`,
      );
      evilPages.set(
        '/images',
        `<!doctype html><body>
        <img src="${hub}/proxy/jobkill_1-do?job_id=${jobId}">
        <img src="${hub}/proxy/jobdelete_1-do?job_id=${jobId}&force=1">
        <script>
          fetch('${hub}/api/projects', { method: 'POST', mode: 'no-cors', body: '{"name":"pwned"}', headers: { 'content-type': 'text/plain' } });
          fetch('${hub}/proxy/jobdelete_1-do?job_id=${jobId}&force=1', { mode: 'no-cors' });
          fetch('${hub}/api/projects').then((r) => r.text()).then((t) => { document.title = 'read ' + t; }).catch(() => { document.title = 'not read'; });
        </script></body>`,
      );
      for (const path of ['/forms', '/images']) {
        const seen = await during(async () => {
          await page.goto(`${evilBase}${path}`);
        });
        expect(seen.length).toBeGreaterThan(0); // the attempts did arrive at the gateway...
        expect(seen.filter((s) => s.handled)).toEqual([]); // ...and every one was refused before its route
        expect(seen.every((s) => s.status === 403)).toBe(true);
      }
      await page.waitForFunction('document.title !== ""', undefined, { timeout: 5_000 });
      expect(await page.title()).toBe('not read');
    });

    it('a page elsewhere cannot frame the dashboard', async () => {
      evilPages.set('/frame', `<!doctype html><iframe id="f" src="${d.base}/"></iframe>`);
      await during(async () => {
        await page.goto(`${evilBase}/frame`);
      });
      const frame = page.frames().find((f) => f.url().startsWith(d.base));
      // Blocked by frame-ancestors: the frame holds no dashboard.
      expect(
        (await frame
          ?.locator('#nav')
          .count()
          .catch(() => 0)) ?? 0,
      ).toBe(0);
    });
  });
}
