// The reproductions that opened issue 13, each as the attacker sent it, in every
// deployment: each is refused with its exact error and changes nothing. (1's browser
// half, the link that ran commands, is driven through Chromium in browser.test.ts.)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeIfAvailable } from '../support/required.js';
import { multipart } from '../support/multipart.js';
import { rawZip, type RawEntry } from '../support/raw-zip.js';
import { asUser, attempt, expectUnchanged, PROTOTYPE_NAMES } from './attempt.js';
import { deploymentKinds, type Deployment } from './deployments.js';
import { rawRequest } from './raw-request.js';
import { everything } from './unchanged.js';

const kinds = await deploymentKinds();
const MiB = 1024 * 1024;

for (const kind of kinds) {
  describeIfAvailable(`issue 13's reproductions, ${kind.name}`, kind.unavailable, () => {
    let d: Deployment;
    beforeAll(async () => {
      d = await kind.open();
    }, 60_000);
    const asAgent = () => ({
      authorization: `Bearer ${d.agentCredential}`,
      'content-type': 'application/json',
    });
    const json = (body: unknown) => JSON.stringify(body);

    it('1. the API docs page writes a token into no script: it has none inline, and a strict CSP', async () => {
      const token = `${'x'}</script><script>fetch('/api/packages')</script>`;
      const res = await rawRequest(d.port, {
        method: 'GET',
        path: `/api/docs?token=${encodeURIComponent(token)}`,
      });
      expect(res.status).toBe(401); // a wrong token opens nothing
      const page = await rawRequest(d.port, {
        method: 'GET',
        path: `/api/docs?token=${encodeURIComponent('security-suite-user-token')}&x=${encodeURIComponent(token)}`,
      });
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('</script><script>fetch');
      expect(page.text).not.toMatch(/<script>[^<]/); // every script is an asset (src=), none inline
      expect(String(page.headers['content-security-policy']).split(/;\s*/)).toEqual(
        expect.arrayContaining(["script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]),
      );
    });

    it('2. one GET of a prototype name as an asset is a 404, and the hub and its agent live on', async () => {
      for (const prefix of ['/api/docs/', '/dashboard/']) {
        for (const name of PROTOTYPE_NAMES) {
          await attempt(
            d,
            { method: 'GET', path: `${prefix}${name}`, headers: asUser },
            { status: 404, code: 'ASSET_NOT_FOUND', message: `no asset ${JSON.stringify(name)}` },
          );
        }
      }
      expect(await d.mirror.call('job', 'getrid', { job_id: d.fixture.jobId })).toEqual([0, 1]);
    });

    it('3a. /agent refuses a user token and anonymous calls', async () => {
      const path = `/agent/jobs/${d.fixture.jobId}/transition`;
      const forged = json({ from: ['built'], to: 'built', reason: 'x', path: '/', onRid: 1 });
      const refusal = {
        status: 401,
        code: 'AGENT_UNAUTHORIZED',
        message: `missing or wrong agent credential for ${path} (agent routes take agent.credential, never a user token)`,
      };
      for (const headers of [{}, asUser]) {
        await attempt(
          d,
          { method: 'POST', path, headers: { ...headers, 'content-type': 'application/json' }, body: forged },
          refusal,
        );
      }
    });

    it('3b. an agent may not set a path outside its jobs root, nor a rid but by claiming, nor leave the table', async () => {
      const path = `/agent/jobs/${d.fixture.jobId}/transition`;
      const what = `move job ${d.fixture.jobId} to built`;
      const root = join(d.mirror.hub.config.workdir, 'jobs');
      await attempt(
        d,
        {
          method: 'POST',
          path,
          headers: asAgent(),
          body: json({ from: ['built'], to: 'built', reason: 'x', path: '/', onRid: 1 }),
        },
        {
          status: 403,
          code: 'AGENT_REFUSED',
          message: `an agent may not ${what}: "/" is not one of its run directories under ${root}`,
        },
      );
      await attempt(
        d,
        {
          method: 'POST',
          path,
          headers: asAgent(),
          body: json({
            from: ['built'],
            to: 'built',
            reason: 'x',
            path: join(root, '..', 'files'),
            onRid: 1,
          }),
        },
        {
          status: 403,
          code: 'AGENT_REFUSED',
          message: `an agent may not ${what}: ${JSON.stringify(join(root, '..', 'files'))} is not one of its run directories under ${root}`,
        },
      );
      await attempt(
        d,
        {
          method: 'POST',
          path,
          headers: asAgent(),
          body: json({ from: ['built'], to: 'built', reason: 'x', rid: 9, onRid: 1 }),
        },
        {
          status: 403,
          code: 'AGENT_REFUSED',
          message: `an agent may not ${what}: a job's rid is set only by claiming it (queued → assigned)`,
        },
      );
      await attempt(
        d,
        {
          method: 'POST',
          path,
          headers: asAgent(),
          body: json({ from: ['built'], to: 'finished', reason: 'x', onRid: 1 }),
        },
        {
          status: 409,
          code: 'TRANSITION_ILLEGAL',
          message: `job ${d.fixture.jobId}: the transition table has no change from built to finished`,
        },
      );
    });

    it('3c. an item names a stored blob, never a path; /files serves nothing outside the run directory', async () => {
      const path = `/agent/jobs/${d.fixture.jobId}/items`;
      const item = {
        section: 'result',
        key: 'stolen',
        kind: 'file',
        value: '/etc/passwd',
        sha256: null,
        size: 1,
      };
      await attempt(
        d,
        { method: 'PUT', path, headers: asAgent(), body: json({ items: [item] }) },
        {
          status: 403,
          code: 'AGENT_REFUSED',
          message:
            'an agent may not store result item "stolen": a file item names a stored blob (upload it first), never a path',
        },
      );
      const missing = '0'.repeat(64);
      await attempt(
        d,
        { method: 'PUT', path, headers: asAgent(), body: json({ items: [{ ...item, sha256: missing }] }) },
        {
          status: 403,
          code: 'AGENT_REFUSED',
          message: `an agent may not store result item "stolen": blob ${missing} is not in the file store (upload it first)`,
        },
      );
    });

    it('3d. deleting a job whose row names another directory removes only its own run directory', async () => {
      const { hub } = d.mirror;
      const [victimJob = 0] = await hub.dispatch({
        projectId: d.fixture.projectId,
        packageId: d.fixture.packageId,
        paraName: 'para.xml',
      });
      const deadline = Date.now() + 20_000;
      while ((await hub.store.getJob(victimJob))?.state !== 'assigned' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(await d.mirror.call('jobdirbuild_1', 'do', { job_id: victimJob, force: 0 })).toEqual([0, []]);
      // As a forged row would have it (the transition table allows built → built).
      await hub.store.transitionJob(victimJob, {
        from: ['built'],
        to: 'built',
        reason: 'forged',
        path: d.fixture.victim,
      });
      expect(await d.mirror.call('jobdelete_1', 'do', { job_id: victimJob, force: 0 })).toEqual([0, []]);
      expect(await hub.store.getJob(victimJob)).toBeUndefined();
      expect(await readFile(join(d.fixture.victim, 'keep', 'precious.txt'), 'utf8')).toBe(
        'root:x:0:0:precious\n',
      );
    });

    it('4. a multipart file name is judged whole: ../../para.xml is refused, sub/x.txt kept as named', async () => {
      const path = `/api/projects/${d.fixture.projectId}/files`;
      const upload = multipart({ '../../para.xml': '<Para/>' });
      await attempt(
        d,
        { method: 'POST', path, headers: { ...asUser, 'content-type': upload.type }, body: upload.body },
        {
          status: 400,
          code: 'PATH_INVALID',
          message: 'project file "../../para.xml": path leaves its directory',
        },
      );
      const nested = multipart({ 'sub/x.txt': 'kept\n' });
      const res = await rawRequest(d.port, {
        method: 'POST',
        path,
        headers: { ...asUser, 'content-type': nested.type },
        body: nested.body,
      });
      expect(res.status).toBe(201);
      expect((JSON.parse(res.text) as { files: { name: string }[] }).files.map((f) => f.name)).toEqual([
        'sub/x.txt',
      ]);
      await d.mirror.hub.projects.deleteFile(d.fixture.projectId, 'sub/x.txt');
    });

    it('5. an upload of a form or JSON type is refused (415), never stored empty; bytes without a type are stored whole', async () => {
      const path = `/api/projects/${d.fixture.projectId}/files/data.bin`;
      for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
        const hint =
          type === 'application/x-www-form-urlencoded'
            ? " (curl's --data-binary sends a form type: add -H 'content-type: application/octet-stream', or use -T FILE)"
            : '';
        await attempt(
          d,
          { method: 'PUT', path, headers: { ...asUser, 'content-type': type }, body: '{"a": 1}' },
          {
            status: 415,
            code: 'MEDIA_TYPE_REFUSED',
            message: `PUT ${path} takes application/octet-stream, not ${type}${hint}`,
          },
        );
      }
      const res = await rawRequest(d.port, { method: 'PUT', path, headers: asUser, body: 'raw\u0000bytes' });
      expect(res.status).toBe(200);
      expect((await d.mirror.hub.projects.readFile(d.fixture.projectId, 'data.bin')).toString()).toBe(
        'raw\u0000bytes',
      );
      await d.mirror.hub.projects.deleteFile(d.fixture.projectId, 'data.bin');
    });

    it('6. a package of 1,000 entries over one 1 MiB of data is refused before a byte is written', async () => {
      const adapter =
        '<Adapter name="bomb" version="1"><ExeArgument id="a" type="shell" value="true" priority="1"/></Adapter>';
      const entries: RawEntry[] = [
        { name: 'adapter.xml', data: adapter },
        ...Array.from({ length: 1000 }, (_, i): RawEntry => ({
          name: `template/p${String(i).padStart(4, '0')}`,
          data: Buffer.alloc(MiB),
          ...(i === 0 ? {} : { at: { entry: 1 } }),
        })),
      ];
      const zip = rawZip(entries);
      expect(zip.length).toBeLessThan(100_000);
      await attempt(
        d,
        {
          method: 'POST',
          path: '/api/packages',
          headers: { ...asUser, 'content-type': 'application/zip' },
          body: zip,
        },
        {
          status: 400,
          code: 'ARCHIVE_DATA_OVERLAP',
          message:
            'package.zip entry "template/p0001": overlaps the data of entry "template/p0000" in the zip file (entries may not share data)',
        },
      );
    });

    it('7a. a stored .svg is downloaded, sandboxed and nosniff; pages cannot be framed', async () => {
      const { hub } = d.mirror;
      const svg = await hub.fileStore.putBytes(
        new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      );
      await hub.store.transaction(async (tx) => {
        await tx.recordStoredFile(svg);
        await tx.putJobItems(d.fixture.jobId, [
          {
            section: 'result',
            key: 'picture',
            kind: 'file',
            value: 'POST/picture.svg',
            sha256: svg.sha256,
            size: svg.size,
          },
        ]);
      });
      const res = await rawRequest(d.port, {
        method: 'GET',
        path: `/files/jobs/${d.fixture.jobId}/result/picture`,
        headers: asUser,
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="picture.svg"; filename*=UTF-8''picture.svg`,
      );
      expect(String(res.headers['content-security-policy']).split(/;\s*/)).toEqual(
        expect.arrayContaining(['sandbox', "default-src 'none'"]),
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      for (const page of ['/', '/api/docs']) {
        const opened = await rawRequest(d.port, { method: 'GET', path: page, headers: asUser });
        expect(String(opened.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
        expect(opened.headers['x-frame-options']).toBe('DENY');
      }
    });

    it('7b. a Host the hub does not serve is refused (DNS rebinding)', async () => {
      await attempt(
        d,
        { method: 'GET', path: '/api/projects', headers: { ...asUser, host: `attacker.example:${d.port}` } },
        {
          status: 421,
          code: 'HOST_REFUSED',
          message: `host "attacker.example:${d.port}" is not one this hub serves (add it to http.allowedHosts if it should be)`,
        },
      );
    });

    it('7c. a 900,000-character package name and file names with bidi overrides or zero-width characters are refused', async () => {
      const adapter = `<Adapter name="${'n'.repeat(900_000)}" version="1"><ExeArgument id="a" type="shell" value="true" priority="1"/></Adapter>`;
      const zip = rawZip([{ name: 'adapter.xml', data: adapter }]);
      const before = await everything(d.mirror.hub, d.fixture.victim);
      const res = await rawRequest(d.port, {
        method: 'POST',
        path: '/api/packages',
        headers: { ...asUser, 'content-type': 'application/zip' },
        body: zip,
      });
      expect(res.status).toBe(400);
      expect((JSON.parse(res.text) as { error: { message: string } }).error.message).toMatch(
        /^adapter\.xml line 1: <Adapter> name="n{80}…": longer than 200 characters$/,
      );
      await expectUnchanged(d, before);
      for (const [name, reason] of [
        ['evil\u202Etxt.exe', 'path contains a bidirectional control character U+202E'],
        ['a\u200Bb.txt', 'path contains a zero-width or invisible character U+200B'],
        ['   ', 'path has a component that is only spaces'],
      ] as const) {
        const shown = JSON.stringify(name).replace(
          /[\u200b\u202e]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
        await attempt(
          d,
          {
            method: 'PUT',
            path: `/api/projects/${d.fixture.projectId}/files/${encodeURIComponent(name)}`,
            headers: { ...asUser, 'content-type': 'application/octet-stream' },
            body: 'x',
          },
          { status: 400, code: 'PATH_INVALID', message: `project file ${shown}: ${reason}` },
        );
      }
    });

    it('7d. a JSON body with __proto__ on /proxy answers [-1, ...] like every /proxy failure', async () => {
      await attempt(
        d,
        {
          method: 'POST',
          path: '/proxy/job-getrid',
          headers: { ...asUser, 'content-type': 'application/json' },
          body: '{"__proto__": {"job_id": 1}}',
        },
        { status: 200, code: '', message: 'argument __proto__: {"job_id":1} is not text or a number' },
      );
    });
  });
}
