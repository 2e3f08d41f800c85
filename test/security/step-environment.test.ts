// A calc package's step is code its author wrote: it must not see Mirror's secrets. A
// `mirror serve` whose token and agent credential come from its environment (as the README
// advises: they stay out of `ps`) runs a step that writes its whole environment into a
// result file, and the file, read back over HTTP, holds neither.
import { randomBytes } from 'node:crypto';
import { expect, it, describe } from 'vitest';
import { createClient } from '../../src/sdk/index.js';
import { startMirror } from '../support/cluster.js';
import { fixturePackage, until } from '../support/embedded.js';

describe('the environment of a step', () => {
  it('holds none of Mirror’s configuration: no token, no agent credential, no URL with its password', async () => {
    const token = `tok-${randomBytes(12).toString('hex')}`;
    const credential = `cred-${randomBytes(12).toString('hex')}`;
    const storePassword = `pw${randomBytes(8).toString('hex')}`;
    const serve = await startMirror(
      ['serve'],
      { 'http.port': '0', 'packages.allowDirectories': 'true' },
      undefined,
      {
        MIRROR_HTTP_TOKEN: token,
        MIRROR_AGENT_CREDENTIAL: credential,
        MIRROR_HUB_URL: `http://mirror:${storePassword}@127.0.0.1:1`,
        SOLVER_LICENSE: 'kept',
      },
    );
    try {
      const base = (await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
      const client = createClient({ baseUrl: base, token });
      const packageId = (
        await client.packages.registerDirectory(
          await fixturePackage(
            '<ExeArgument id="dump" type="shell" value="env > env.txt" priority="1"/><Result key="env" file="env.txt"/>',
          ),
        )
      ).id;
      const projectId = (await client.projects.create('env')).project.id;
      await client.projects.putFile(projectId, 'para.xml', new TextEncoder().encode('<Para/>'));
      const [job = 0] = (await client.dispatch(projectId, packageId)).jobIds;
      await until(
        async () => (await client.jobs.get(job)).job.state,
        (s) => s === 'finished',
        30_000,
      );
      const url = (await client.jobs.get(job)).data.result['env'] ?? '';
      const env = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text();
      expect(env).toMatch(new RegExp(`^MIRROR_JOB_ID=${job}$`, 'm'));
      expect(env).toMatch(/^SOLVER_LICENSE=kept$/m);
      for (const secret of [token, credential, storePassword]) expect(env).not.toContain(secret);
      expect(env).not.toMatch(/^MIRROR_(HTTP_TOKEN|AGENT_CREDENTIAL|HUB_URL)=/m);
    } finally {
      await serve.stop();
    }
  }, 60_000);
});
