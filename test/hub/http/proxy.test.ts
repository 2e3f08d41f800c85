// /proxy, the original's gateway, in every deployment: GET with query arguments, POST
// with a form or JSON body, and every refusal named, each the same on every bus.
import { beforeAll, expect, it } from 'vitest';
import { deploymentKinds, untilState, type Deployment } from '../../support/deployments.js';
import { fixturePackage } from '../../support/embedded.js';
import { describeIfAvailable } from '../../support/required.js';

const kinds = await deploymentKinds();

for (const kind of kinds) {
  describeIfAvailable(`/proxy, the original gateway, ${kind.name}`, kind.unavailable, () => {
    let d: Deployment;
    let p: number;
    let c: number;

    /** GET /proxy/<path>, answering the HTTP status, its type and the parsed JSON body. */
    const get = async (path: string) => {
      const res = await fetch(`${d.base}/proxy/${path}`);
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: await res.json(),
      };
    };
    const post = async (path: string, type: string, body: string) =>
      (
        await fetch(`${d.base}/proxy/${path}`, { method: 'POST', headers: { 'content-type': type }, body })
      ).json();

    beforeAll(async () => {
      d = await kind.open();
      c = await d.addPackage(
        await fixturePackage(`<ExeArgument id="s" type="shell" value="true" priority="1"/>`),
      );
      p = (await d.client.projects.create('p')).project.id;
      const para = new TextEncoder().encode('<Para><States><Param name="x" values="1 2"/></States></Para>');
      await d.client.projects.putFile(p, 'piflow.xml', para);
    }, 60_000);

    it('dispatches with GET and query arguments, answering [0, [ids]] as JSON with status 200', async () => {
      const res = await get(`jobdispatch-do?p_id=${p}&c_id=${c}&para_name=piflow.xml`);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^application\/json/);
      const [code, ids] = res.body as [number, number[]];
      expect(code).toBe(0);
      expect(ids).toHaveLength(2);
      await untilState(d.client, ids[0] ?? 0, (s) => s === 'assigned');
      expect(await get(`job-getrid?job_id=${ids[0] ?? 0}`)).toMatchObject({ status: 200, body: [0, 1] });
      expect(await get(`jobdirbuild_1-do?job_id=${ids[0] ?? 0}&force=0`)).toMatchObject({ body: [0, []] });
    });

    it('takes POST with a form or a JSON body the same way', async () => {
      const form = (await post(
        'jobdispatch-do',
        'application/x-www-form-urlencoded',
        `p_id=${p}&c_id=${c}&para_name=piflow.xml`,
      )) as [number, number[]];
      expect(form[0]).toBe(0);
      const json = (await post(
        'jobdispatch-do',
        'application/json',
        JSON.stringify({ p_id: p, c_id: c, para_name: 'piflow.xml' }),
      )) as [number, number[]];
      expect(json[0]).toBe(0);
      expect(await post('job-getrid', 'application/json', JSON.stringify({ job_id: 1.5 }))).toEqual([
        -1,
        'argument job_id: "1.5" is not a positive integer',
      ]);
    });

    it('answers [-1, "..."] with status 200 naming a missing, unknown, repeated or malformed argument', async () => {
      const refusals: [string, string][] = [
        ['job-getrid', 'missing argument job_id'],
        ['job-getrid?job_id=1&color=red', 'unknown argument color'],
        ['job-getrid?job_id=1&job_id=2', 'argument job_id is given more than once'],
        ['job-getrid?job_id=abc', 'argument job_id: "abc" is not a positive integer'],
        ['job-getrid?job_id=-3', 'argument job_id: "-3" is not a positive integer'],
        ['job-getrid?job_id=0x10', 'argument job_id: "0x10" is not a positive integer'],
        [
          'job-getrid?job_id=99999999999999999999',
          'argument job_id: "99999999999999999999" is not a positive integer',
        ],
        ['jobdirbuild_1-do?job_id=1&force=2', 'argument force: "2" is not 0 or 1'],
        ['job-getrid?job_id=424242', 'job is not existed , job : 424242'],
        ['nosuch-do?job_id=1', 'unknown service nosuch'],
        ['job-nosuch?job_id=1', 'unknown method nosuch of service job'],
        ['jobrun_7-do?job_id=1', 'unknown service jobrun_7'],
        ['getrid', '/proxy path must be <service>-<method>, got "getrid"'],
        ['job-getrid?job_id=', 'argument job_id: "" is not a positive integer'],
        ['job-getrid?job_id=1.0', 'argument job_id: "1.0" is not a positive integer'],
        ['job-getrid?job_id=%201', 'argument job_id: " 1" is not a positive integer'],
        ['job-getrid?job_id=1e3', 'argument job_id: "1e3" is not a positive integer'],
        ['job-getrid?job_id=2147483648', 'argument job_id: "2147483648" is not a positive integer'],
        ['jobdirbuild_1-do?job_id=1&force=', 'argument force: "" is not 0 or 1'],
        ['jobdirbuild_1-do?job_id=1&force=true', 'argument force: "true" is not 0 or 1'],
        ['jobdirbuild_1-do?force=1', 'missing argument job_id'],
        ['jobdelete_1-do?job_id=1&force=-1', 'argument force: "-1" is not 0 or 1'],
        ['jobdispatch-do?p_id=1', 'missing argument c_id'],
        [
          'jobdispatch-do?p_id=1&c_id=1&para_name=a&para_name=b',
          'argument para_name is given more than once',
        ],
        ['jobdispatch-do?p_id=1&c_id=1&rid=1', 'unknown argument rid'],
        ['jobrun_1-do?job_id=1&step=a&step=b', 'argument step is given more than once'],
        ['jobgetdata-do?jobid=1', 'unknown argument jobid'],
        ['jobgetdata-do?job_id=424242', 'job is not existed , job : 424242'],
        ['jobkill_1-do?job_id=424242', 'job is not existed , job : 424242'],
        ['job-', '/proxy path must be <service>-<method>, got "job-"'],
      ];
      for (const [path, message] of refusals) {
        expect(await get(path), path).toMatchObject({ status: 200, body: [-1, message] });
      }
    });
  });
}
