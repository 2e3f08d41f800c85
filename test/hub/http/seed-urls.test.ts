// Every HTTP URL of the original job API document, walked in lifecycle order through
// `/proxy` only, in every deployment: embedded, with a broker, and scaled out (a hub
// process alone on PostgreSQL and RabbitMQ, the jobs on a remote agent with rid 5).
import { beforeAll, expect, it } from 'vitest';
import { deploymentKinds, untilState, uploadDirectory, type Deployment } from '../../support/deployments.js';
import { HEAT2D, PLATE } from '../../support/hub.js';
import { describeIfAvailable } from '../../support/required.js';

const kinds = await deploymentKinds();

for (const kind of kinds) {
  describeIfAvailable(
    `every HTTP URL of the original job API document, rid 5, ${kind.name}`,
    kind.unavailable,
    () => {
      let d: Deployment;
      beforeAll(async () => {
        d = await kind.open({ rid: 5 });
      }, 60_000);

      it('answers each one as the document shows', async () => {
        const { client, get } = d;
        const c = await d.addPackage(HEAT2D);
        const p = await uploadDirectory(client, 'plate', PLATE);
        await client.projects.putFile(p, 'piflow.xml', await client.projects.readFile(p, 'para.xml'));
        const state = (done: (s: string) => boolean) => untilState(client, 1, done);

        expect(await get(`/proxy/jobdispatch-do?p_id=${p}&c_id=${c}&para_name=piflow.xml`)).toEqual([
          0,
          [1, 2, 3, 4],
        ]);
        await state((s) => s === 'assigned');
        await untilState(client, 2, (s) => s === 'assigned');
        expect(await get('/proxy/job-getrid?job_id=2')).toEqual([0, 5]);
        expect(await get('/proxy/jobdirbuild_5-do?job_id=1&force=0')).toEqual([0, []]);
        expect(await get('/proxy/jobfilebuild_5-do?job_id=1')).toEqual([0, []]);
        expect(await get('/proxy/jobrun_5-do?job_id=1&step=mesh')).toEqual([0, []]);
        await state((s) => s === 'ready');
        expect(await get('/proxy/jobrun_5-do?job_id=1')).toEqual([0, []]);
        await state((s) => s === 'ready');
        expect(await get('/proxy/jobprocessmonitor_5-do?job_id=1')).toEqual([0, []]);
        expect(await get('/proxy/jobrun_5-do?job_id=1')).toEqual([0, []]);
        await state((s) => s === 'finished');
        expect(await get('/proxy/jobresultrecovery_5-do?job_id=1')).toEqual([0, []]);
        const [code, data] = (await get('/proxy/jobgetdata-do?job_id=1')) as [
          number,
          { process: Record<string, string>; result: Record<string, string> },
        ];
        expect(code).toBe(0);
        expect(Object.keys(data)).toEqual(['process', 'result']);
        expect(data.process['allstep']).toBe('400');
        expect(data.result['grid']).toBe(`${d.base}/files/jobs/1/result/grid`);
        // The URL answers the file, in every deployment (scaled out, from what the agent uploaded).
        const grid = await fetch(data.result['grid'] ?? '');
        expect(grid.status).toBe(200);
        expect((await grid.arrayBuffer()).byteLength).toBeGreaterThan(0);
        expect(await get('/proxy/jobkill_5-do?job_id=1')).toEqual([-1, 'job not running , jobid : 1']);
        expect(await get('/proxy/jobdelete_5-do?job_id=1&force=1')).toEqual([0, []]);
        for (const url of [
          '/proxy/jobdirbuild_5-do?job_id=1&force=0',
          '/proxy/jobfilebuild_5-do?job_id=1',
          '/proxy/jobrun_5-do?job_id=1&step=grid',
          '/proxy/jobprocessmonitor_5-do?job_id=1',
          '/proxy/jobresultrecovery_5-do?job_id=1',
          '/proxy/jobgetdata-do?job_id=1',
          '/proxy/job-getrid?job_id=1',
          '/proxy/jobkill_5-do?job_id=1',
          '/proxy/jobdelete_5-do?job_id=1&force=1',
        ]) {
          expect(await get(url), url).toEqual([-1, 'job is not existed , job : 1']);
        }
        expect(await get(`/proxy/jobdispatch-do?p_id=${p}&c_id=1000&para_name=piflow.xml`)).toEqual([
          -1,
          'calcpackage is not existed , calcpackage : 1000',
        ]);
      }, 90_000);
    },
  );
}
