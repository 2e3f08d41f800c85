// An agent that reaches its hub only through the hub's HTTP address: the whole
// lifecycle of the heat2d sweep, blobs fetched and checked, files uploaded.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../../../src/agent/index.js';
import { createHttpHubLink } from '../../../src/hub-link/client/http-hub-link.js';
import { loadConfig } from '../../../src/config/index.js';
import { createEmbedded, type Embedded } from '../../../src/embedded/index.js';
import { createGateway } from '../../../src/hub/http/index.js';
import { scratchDir, until } from '../../support/embedded.js';
import { HEAT2D, PLATE } from '../../support/hub.js';

const PATH = process.env.PATH ?? '/usr/bin:/bin';
let mirror: Embedded;
let gateway: FastifyInstance;
let base: string;
let agentWorkdir: string;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const workdir = await scratchDir('mirror-remote-hub-');
  const config = loadConfig({
    env: {},
    flags: { workdir, 'http.token': 'remote-secret', 'timing.monitorMs': '50', 'timing.heartbeatMs': '100' },
  });
  mirror = await createEmbedded(config, { withAgent: false, duties: true });
  await mirror.start();
  gateway = await createGateway(mirror.hub);
  base = await gateway.listen({ host: '127.0.0.1', port: 0 });
  agentWorkdir = await scratchDir('mirror-remote-agent-');
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await gateway.close();
  await mirror.stop();
});

/** An agent on rid 5 in its own workdir, linked to the hub by HTTP only. */
async function startRemoteAgent(): Promise<Agent> {
  const config = { ...mirror.hub.config, rid: 5, workdir: agentWorkdir };
  const credential = mirror.hub.agentCredential;
  const hub = createHttpHubLink({
    url: base,
    credential,
    retryMs: 2000,
    cacheDir: join(agentWorkdir, 'cache'),
  });
  const agent = createAgent({ config, hub, queue: mirror.hub.queue, rpc: mirror.hub.rpc, baseEnv: { PATH } });
  stops.push(() => agent.stop().then(() => hub.close()));
  await agent.start();
  return agent;
}

const sha256Of = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('a remote agent over the hub’s HTTP address', () => {
  it('runs a sweep: blobs fetched by sha256 into its cache, process and result files uploaded, states reported', async () => {
    const { hub } = mirror;
    const c = (await hub.calcPackages.add({ dir: HEAT2D })).id;
    const p = (await hub.projects.createFromDirectory('plate', PLATE)).project.id;
    await startRemoteAgent();
    const ids = await hub.dispatch({ projectId: p, packageId: c, paraName: 'para.xml' });
    const jobs = await until(
      () => Promise.all(ids.map((id) => hub.store.getJob(id))),
      (js) => js.every((j) => j?.state === 'finished' || j?.state === 'failed'),
      60_000,
    );
    expect(jobs.map((j) => j?.state)).toEqual(ids.map(() => 'finished'));
    for (const job of jobs) {
      expect(job?.rid).toBe(5);
      expect(job?.path?.startsWith(join(agentWorkdir, 'jobs'))).toBe(true);
    }

    // The package and the project's files came once each, checked, into the agent's cache.
    const pkg = await hub.store.getCalcPackage(c);
    const cached = join(agentWorkdir, 'cache', 'blobs', pkg?.sha256.slice(0, 2) ?? '', pkg?.sha256 ?? '');
    expect(await sha256Of(cached)).toBe(pkg?.sha256);

    // Every file item is in the hub's file store, identical to the agent's run directory.
    const job = jobs[0];
    const items = await hub.store.listJobItems(job?.id ?? 0);
    const files = items.filter((i) => i.kind === 'file');
    expect(files.map((i) => `${i.section}/${i.key}`).sort()).toEqual([
      'process/log',
      'process/residuals',
      'result/field',
      'result/grid',
      'result/summary',
    ]);
    for (const item of files) {
      expect(item.sha256).not.toBeNull();
      const onAgent = join(job?.path ?? '', item.value);
      expect(await sha256Of(onAgent)).toBe(item.sha256);
    }
    expect(items.find((i) => i.key === 'Tmax')?.value).toMatch(/^\d/);

    // jobgetdata's URLs are answered by the hub from what was uploaded.
    const reply = await mirror.call('jobgetdata', 'do', { job_id: job?.id ?? 0 });
    expect(reply[0]).toBe(0);
    const summaryUrl = (reply[1] as { result: Record<string, string> }).result['summary'] ?? '';
    const served = await fetch(summaryUrl.replace(hub.baseUrl, base), {
      headers: { authorization: 'Bearer remote-secret' },
    });
    expect(served.status).toBe(200);
    expect(await served.text()).toBe(await readFile(join(job?.path ?? '', 'POST/summary.txt'), 'utf8'));

    // Its step logs are read by it, for a hub that cannot see its disk (joblog_<rid>).
    const log = await mirror.call('joblog_5', 'do', { job_id: job?.id ?? 0, step: 'solve', offset: 0 });
    const onDisk = await readFile(join(job?.path ?? '', '.mirror/logs/solve.log'), 'utf8');
    const size = Buffer.byteLength(onDisk);
    expect(log).toEqual([0, { text: onDisk, next: size, size }]);
    expect(
      await mirror.call('joblog_5', 'do', { job_id: job?.id ?? 0, step: 'solve', offset: 10_000_000 }),
    ).toEqual([0, { text: '', next: size, size }]);
    expect(await mirror.call('joblog_5', 'do', { job_id: job?.id ?? 0, step: 'nope', offset: 0 })).toEqual([
      -1,
      expect.stringContaining('the step has not run') as unknown,
    ]);

    // Its heartbeat reached the store, as the lease on its jobs.
    const machines = await hub.machines.list();
    expect(machines.find((m) => m.rid === 5)).toMatchObject({ slots: hub.config.slots, alive: true });
  });

  it('refuses a blob whose content does not match its sha256, on download and on upload, and keeps nothing', async () => {
    const { hub } = mirror;
    const dir = await scratchDir('mirror-remote-pkg-');
    const stored = await hub.fileStore.putBytes(new TextEncoder().encode('the real bytes\n'));
    // The hub's copy is damaged on disk: the agent must not take it.
    await writeFile(hub.fileStore.pathOf(stored.sha256), 'damaged bytes\n');
    const link = createHttpHubLink({
      url: base,
      credential: hub.agentCredential,
      retryMs: 500,
      cacheDir: join(dir, 'cache'),
    });
    stops.push(() => link.close());
    await expect(link.blobPath(stored.sha256)).rejects.toThrow(
      `blob ${stored.sha256} from ${base}: its content hashes to ${createHash('sha256').update('damaged bytes\n').digest('hex')}`,
    );
    expect(await readdir(join(dir, 'cache', 'blobs', stored.sha256.slice(0, 2))).catch(() => [])).toEqual([]);

    // An upload under another file's name is refused and not stored.
    const claimed = createHash('sha256').update('something else').digest('hex');
    const put = await fetch(`${base}/agent/blobs/${claimed}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${hub.agentCredential}`, 'content-type': 'application/octet-stream' },
      body: 'not that',
    });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { error: { code: string } }).error.code).toBe('BLOB_MISMATCH');
    expect(await hub.fileStore.has(claimed)).toBe(false);
  });

  it('needs the agent credential, not the user token, and says which route refused it', async () => {
    const dir = await scratchDir('mirror-remote-token-');
    for (const credential of ['a-wrong-agent-credential', 'remote-secret']) {
      const link = createHttpHubLink({ url: base, credential, retryMs: 500, cacheDir: join(dir, 'cache') });
      stops.push(() => link.close());
      await expect(link.getJob(1)).rejects.toThrow(
        'missing or wrong agent credential for /agent/jobs/1 (agent routes take agent.credential, never a user token)',
      );
    }
    const res = await fetch(`${base}/agent/jobs/1`);
    expect(res.status).toBe(401);
  });

  it('answers a malformed request with the field at fault and changes nothing', async () => {
    const res = await fetch(`${base}/agent/jobs/1/transition`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mirror.hub.agentCredential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: ['queued'], to: 'exploded', reason: 'x' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toContain('to:');
  });
});
