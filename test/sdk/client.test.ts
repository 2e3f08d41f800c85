// The SDK's client against a hub with a token, in every deployment, as a script or the
// dashboard uses it: files uploaded in one multipart request, links a browser follows
// without headers (the token rides in them), and refusals thrown with the catalog's code.
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { MirrorApiError } from '../../src/sdk/index.js';
import { deploymentKinds, type Deployment } from '../support/deployments.js';
import { fixturePackage } from '../support/embedded.js';
import { describeIfAvailable } from '../support/required.js';

const kinds = await deploymentKinds();
const STEP = '<ExeArgument id="s" type="shell" value="true" priority="1"/>';

for (const kind of kinds) {
  describeIfAvailable(`the SDK client, ${kind.name}`, kind.unavailable, () => {
    let d: Deployment;
    let projectId: number;
    const token = `sdk-${randomBytes(8).toString('hex')}`;

    beforeAll(async () => {
      d = await kind.open({ token });
      projectId = (await d.client.projects.create('sdk')).project.id;
    }, 60_000);

    it('uploads several files in one request and reads each back as sent', async () => {
      const para = '<Para><States><Param name="x" values="1 2"/></States></Para>';
      const bytes = new Uint8Array([0, 255, 1, 254]);
      const stored = await d.client.projects.upload(projectId, [
        new File([para], 'para.xml'),
        new File([bytes], 'mesh/grid.bin'),
      ]);
      expect(stored.map((f) => f.name).sort()).toEqual(['mesh/grid.bin', 'para.xml']);
      expect(new TextDecoder().decode(await d.client.projects.readFile(projectId, 'para.xml'))).toBe(para);
      expect(await d.client.projects.readFile(projectId, 'mesh/grid.bin')).toEqual(bytes);
    });

    it('makes links that serve without a header, and only with the token they carry', async () => {
      const link = d.client.projects.fileLink(projectId, 'mesh/grid.bin');
      expect(link).toBe(`${d.base}/api/projects/${projectId}/files/mesh/grid.bin?token=${token}`);
      const served = await fetch(link);
      expect(served.status).toBe(200);
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(new Uint8Array([0, 255, 1, 254]));
      expect((await fetch(link.replace(token, 'wrong'))).status).toBe(401);

      const packageId = await d.addPackage(await fixturePackage(STEP));
      const { jobIds } = await d.client.dispatch(projectId, packageId);
      const dispatchId = (await d.client.jobs.get(jobIds[0] ?? 0)).job.dispatchId;
      const csv = await fetch(d.client.dispatches.resultsCsvLink(dispatchId));
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect((await csv.text()).trim().split('\n')).toHaveLength(1 + jobIds.length);

      const stop = new AbortController();
      const events = await fetch(d.client.eventsLink({ project: projectId }), { signal: stop.signal });
      expect(events.status).toBe(200);
      expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
      stop.abort();
    });

    it('throws a refusal as MirrorApiError with the status, code and message the hub answered', async () => {
      const refusal = await d.client.projects.get(2_000_000_000).catch((err: unknown) => err);
      expect(refusal).toBeInstanceOf(MirrorApiError);
      expect(refusal).toMatchObject({
        status: 404,
        code: 'PROJECT_NOT_FOUND',
        message: 'project is not existed , project : 2000000000',
      });
    });
  });
}
