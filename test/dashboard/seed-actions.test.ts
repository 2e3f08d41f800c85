// The dashboard's seed actions on one job, clicked in Chromium, in every deployment
// (embedded, with a broker, scaled out): each reply is the original's `[code, value]`,
// and the job goes through the lifecycle by these clicks alone.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deploymentKinds, untilState, type Deployment } from '../support/deployments.js';
import { fixturePackage } from '../support/embedded.js';
import { describeIfAvailable } from '../support/required.js';
import { chromiumUnavailable, openBrowser } from './support.js';

const kinds = await deploymentKinds();
const ADAPTER = `
<ExeArgument id="first" type="shell" value="echo one > one.txt" priority="1"/>
<ExeArgument id="second" type="shell" value="echo two > two.txt" priority="2"/>
<Result key="one" file="one.txt"/>`;

let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
afterAll(async () => {
  await browser?.browser.close();
});

for (const kind of kinds) {
  const why = chromiumUnavailable() ?? kind.unavailable;
  describeIfAvailable(`the dashboard's seed actions, ${kind.name}`, why, () => {
    let d: Deployment;
    let page: Page;
    let job: number;
    beforeAll(async () => {
      browser ??= await openBrowser();
      d = await kind.open();
      const c = await d.addPackage(await fixturePackage(ADAPTER));
      const p = (await d.client.projects.create('seed')).project.id;
      await d.client.projects.putFile(p, 'para.xml', new TextEncoder().encode('<Para/>'));
      [job = 0] = (await d.client.dispatch(p, c)).jobIds;
      await untilState(d.client, job, (s) => s === 'assigned');
      page = await browser.newPage();
      page.on('dialog', (dialog) => void dialog.accept()); // delete asks first
      await page.goto(`${d.base}/#/jobs/${job}`);
      await page.getByText(`On resource machine rid 1`).waitFor();
    }, 60_000);

    /** Clicks a seed action's button; answers the reply it shows (the newest for that service). */
    const click = async (button: string, service: string) => {
      const replies = page.locator(`.replies li[data-service="${service}"]`);
      const before = await replies.count();
      await page.locator(`button[name="${button}"]`).click();
      await expect.poll(() => replies.count()).toBe(before + 1);
      return JSON.parse((await replies.first().locator('.reply').textContent()) ?? '') as unknown;
    };

    it('drives a job through its lifecycle by its seed actions, each answering [code, value]', async () => {
      expect(await click('dirbuild', 'jobdirbuild_1')).toEqual([0, []]);
      expect(await click('filebuild', 'jobfilebuild_1')).toEqual([0, []]);
      expect(await click('run', 'jobrun_1')).toEqual([0, []]);
      await untilState(d.client, job, (s) => s === 'ready');
      expect(await click('run', 'jobrun_1')).toEqual([0, []]);
      await untilState(d.client, job, (s) => s === 'finished');
      expect(await click('monitor', 'jobprocessmonitor_1')).toEqual([0, []]);
      expect(await click('recover', 'jobresultrecovery_1')).toEqual([0, []]);
      const [code, data] = (await click('getdata', 'jobgetdata')) as [
        number,
        { result: Record<string, string> },
      ];
      expect(code).toBe(0);
      expect(data.result['one']).toBe(`${d.base}/files/jobs/${job}/result/one`);
      expect(await click('kill', 'jobkill_1')).toEqual([-1, `job not running , jobid : ${job}`]);
      expect(await click('delete', 'jobdelete_1')).toEqual([0, []]);
      await expect(d.client.jobs.get(job)).rejects.toThrow(`job is not existed , job : ${job}`);
    }, 60_000);
  });
}
