// What the guards must not break: the original's clients and scripts, which send no
// browser headers. curl and Python's requests, run as real programs against the hub,
// call /proxy (GET and a POSTed form), read the API and upload a file as curl -T does,
// with the token; RPC callers use prototype names and get "unknown", like any name.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { describeIfAvailable } from '../support/required.js';
import { scratchDir } from '../support/scratch.js';
import { PROTOTYPE_NAMES } from './attempt.js';
import { deploymentKinds, USER_TOKEN, type Deployment } from './deployments.js';

const run = promisify(execFile);
const kinds = await deploymentKinds();

const requestsMissing: string | undefined = await run('/usr/bin/python3', ['-c', 'import requests'])
  .then(() => undefined)
  .catch(() => "Debian's python3-requests is not installed (apt-get install python3-requests)");

/** A Python script using `requests` as the original's users do; prints one JSON line per call. */
const PYTHON = `
import json, sys, requests
base, token, job = sys.argv[1], sys.argv[2], sys.argv[3]
print(json.dumps(requests.get(f'{base}/proxy/job-getrid', params={'job_id': 'abc', 'token': token}).json()))
print(json.dumps(requests.post(f'{base}/proxy/job-getrid?token={token}', data={'job_id': 'abc'}).json()))
print(json.dumps(requests.get(f'{base}/api/jobs/{job}', headers={'Authorization': f'Bearer {token}'}).status_code))
`;

for (const kind of kinds) {
  describeIfAvailable(
    `the original's clients and scripts, ${kind.name}`,
    requestsMissing ?? kind.unavailable,
    () => {
      let d: Deployment;
      beforeAll(async () => {
        d = await kind.open();
      }, 60_000);
      // Reaching the seed verb, which answers for itself (the same on every bus).
      const verbAnswer = [-1, 'argument job_id: "abc" is not a positive integer'];

      it('curl reaches /proxy by GET and by a posted form, and uploads a file with -T', async () => {
        const get = await run('curl', ['-sS', `${d.base}/proxy/job-getrid?job_id=abc&token=${USER_TOKEN}`]);
        expect(JSON.parse(get.stdout)).toEqual(verbAnswer);
        const form = await run('curl', [
          '-sS',
          '-d',
          'job_id=abc',
          `${d.base}/proxy/job-getrid?token=${USER_TOKEN}`,
        ]);
        expect(JSON.parse(form.stdout)).toEqual(verbAnswer);
        const file = join(await scratchDir('mirror-curl-'), 'mesh.dat');
        await writeFile(file, 'nodes 4\n\u0000binary tail');
        const url = `${d.base}/api/projects/${d.fixture.projectId}/files/mesh.dat`;
        const put = await run('curl', [
          '-sS',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-T',
          file,
          '-H',
          `Authorization: Bearer ${USER_TOKEN}`,
          url,
        ]);
        expect(put.stdout).toBe('200');
        expect((await d.mirror.hub.projects.readFile(d.fixture.projectId, 'mesh.dat')).toString()).toBe(
          'nodes 4\n\u0000binary tail',
        );
        await d.mirror.hub.projects.deleteFile(d.fixture.projectId, 'mesh.dat');
      });

      it('Python requests reaches /proxy by GET and by a posted form, and reads the API', async () => {
        const { stdout } = await run('/usr/bin/python3', [
          '-c',
          PYTHON,
          d.base,
          USER_TOKEN,
          String(d.fixture.jobId),
        ]);
        expect(
          stdout
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as unknown),
        ).toEqual([verbAnswer, verbAnswer, 200]);
      });

      it('RPC callers naming prototype properties as service, method or argument get "unknown"', async () => {
        for (const name of PROTOTYPE_NAMES) {
          expect(await d.mirror.call(name, 'do', {})).toEqual([-1, `unknown service ${name}`]);
          expect(await d.mirror.call('job', name, {})).toEqual([-1, `unknown method ${name} of service job`]);
          const kwargs = { job_id: d.fixture.jobId, [name]: 1 };
          expect(await d.mirror.call('job', 'getrid', kwargs)).toEqual([-1, `unknown argument ${name}`]);
        }
      });
    },
  );
}
