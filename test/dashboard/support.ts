// The dashboard's browser tests: Debian's Chromium driven by playwright-core against a
// real hub (an embedded Mirror behind its HTTP gateway). Without /usr/bin/chromium the
// tests are a visible skip, or a failure when MIRROR_REQUIRE_SERVICES=1 (CI).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { until } from '../support/embedded.js';
import { describeIfAvailable } from '../support/required.js';
import { loadConfig } from '../../src/config/index.js';
import { createEmbedded, type Embedded } from '../../src/embedded/index.js';
import { createGateway } from '../../src/hub/http/index.js';
import { scratchDir } from '../support/scratch.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`;
}

/** Declares `fn`'s tests when Chromium is there; otherwise a skip saying why, or a failure in CI. */
export function describeWithChromium(name: string, fn: () => void): void {
  describeIfAvailable(name, chromiumUnavailable(), fn);
}

/** A running hub with its gateway on a free loopback port; `stop` ends both. */
export interface DashboardHub {
  readonly mirror: Embedded;
  readonly gateway: FastifyInstance;
  /** The gateway's address, e.g. `http://127.0.0.1:41234`. */
  readonly base: string;
  stop(): Promise<void>;
}

/** An embedded Mirror (hub and agent rid 1) in a fresh workdir, its gateway listening, with `token`. */
export async function openDashboardHub(
  token: string,
  flags: Record<string, unknown> = {},
): Promise<DashboardHub> {
  const workdir = await scratchDir('mirror-dashboard-');
  const config = loadConfig({
    env: {},
    flags: {
      workdir,
      'http.token': token,
      slots: '4',
      'timing.monitorMs': '100',
      'timing.heartbeatMs': '500',
      'timing.killGraceMs': '300',
      ...flags,
    },
  });
  const mirror = await createEmbedded(config, { baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  await mirror.start();
  const gateway = await createGateway(mirror.hub);
  const base = await gateway.listen({ host: '127.0.0.1', port: 0 });
  mirror.hub.listeningAt(base);
  return {
    mirror,
    gateway,
    base,
    async stop() {
      await gateway.close();
      await mirror.stop();
    },
  };
}

/** Headless Chromium with a 1280x800 page; page errors are collected in `errors`. */
export async function openBrowser(): Promise<{
  browser: Browser;
  context: BrowserContext;
  newPage: () => Promise<Page>;
  errors: string[];
}> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const errors: string[] = [];
  const newPage = async () => {
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    return page;
  };
  return { browser, context, newPage, errors };
}

/**
 * Saves a screenshot of the page's viewport as docs/screenshots/<name>.png when
 * MIRROR_SCREENSHOTS=1 (the README's pictures are taken so); otherwise takes it in
 * memory only, so `npm test` leaves the work tree as it was.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.MIRROR_SCREENSHOTS !== '1') {
    await page.screenshot();
    return;
  }
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

/** Polls `probe` until `done` holds of its value; fails after `timeoutMs` with the last value. */
export function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  return until(probe, done, timeoutMs);
}
