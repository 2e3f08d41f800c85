import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../../src/hub/http/index.js';
import { openEmbedded, stateOf, until } from '../../support/embedded.js';
import { HEAT2D, PLATE } from '../../support/hub.js';

describe('every HTTP URL of the original job API document, on a resource machine with rid 5', () => {
  it('answers each one as the document shows', async () => {
    const mirror = await openEmbedded({ autorun: 'false', rid: '5' });
    const app: FastifyInstance = await createGateway(mirror.hub);
    const get = async (url: string) => (await app.inject({ method: 'GET', url })).json<unknown>();
    try {
      const c = (await mirror.hub.calcPackages.add({ dir: HEAT2D })).id;
      const p = (await mirror.hub.projects.createFromDirectory('plate', PLATE)).project.id;
      await mirror.hub.projects.putFile(p, {
        name: 'piflow.xml',
        data: await mirror.hub.projects.readFile(p, 'para.xml'),
      });

      expect(await get(`/proxy/jobdispatch-do?p_id=${p}&c_id=${c}&para_name=piflow.xml`)).toEqual([
        0,
        [1, 2, 3, 4],
      ]);
      await until(
        () => stateOf(mirror, 1),
        (s) => s === 'assigned',
      );
      expect(await get('/proxy/job-getrid?job_id=2')).toEqual([0, 5]);
      expect(await get('/proxy/jobdirbuild_5-do?job_id=1&force=0')).toEqual([0, []]);
      expect(await get('/proxy/jobfilebuild_5-do?job_id=1')).toEqual([0, []]);
      expect(await get('/proxy/jobrun_5-do?job_id=1&step=mesh')).toEqual([0, []]);
      await until(
        () => stateOf(mirror, 1),
        (s) => s === 'ready',
      );
      expect(await get('/proxy/jobrun_5-do?job_id=1')).toEqual([0, []]);
      await until(
        () => stateOf(mirror, 1),
        (s) => s === 'ready',
      );
      expect(await get('/proxy/jobprocessmonitor_5-do?job_id=1')).toEqual([0, []]);
      expect(await get('/proxy/jobrun_5-do?job_id=1')).toEqual([0, []]);
      await until(
        () => stateOf(mirror, 1),
        (s) => s === 'finished',
      );
      expect(await get('/proxy/jobresultrecovery_5-do?job_id=1')).toEqual([0, []]);
      const [code, data] = (await get('/proxy/jobgetdata-do?job_id=1')) as [
        number,
        { process: Record<string, string>; result: Record<string, string> },
      ];
      expect(code).toBe(0);
      expect(Object.keys(data)).toEqual(['process', 'result']);
      expect(data.process['allstep']).toBe('400');
      expect(data.result['grid']).toBe(`${mirror.hub.baseUrl}/files/jobs/1/result/grid`);
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
    } finally {
      await app.close();
    }
  });
});
