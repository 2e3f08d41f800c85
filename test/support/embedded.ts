// An embedded Mirror (hub + one agent, SQLite, in-process bus) for lifecycle tests, and
// small calc packages built from the fixture programs. Everything made here is stopped
// and removed after the test file.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { scratchDir } from './scratch.js';
import { createAgent, type Agent } from '../../src/agent/index.js';
import { loadConfig } from '../../src/config/index.js';
export { scratchDir } from './scratch.js';
import { createEmbedded, type Embedded } from '../../src/embedded/index.js';
import { createLocalHubLink, type ProjectFileSource } from '../../src/hub/index.js';

export const PROGRAMS = fileURLToPath(new URL('../fixtures/programs/', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A started embedded Mirror in a fresh workdir; `flags` on top of the defaults. */
export async function openEmbedded(flags: Record<string, unknown> = {}): Promise<Embedded> {
  const workdir = await scratchDir('mirror-embedded-');
  const config = loadConfig({
    env: {},
    flags: { workdir, 'timing.killGraceMs': '300', 'timing.monitorMs': '50', ...flags },
  });
  const mirror = await createEmbedded(config, { baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  cleanups.push(() => mirror.stop());
  await mirror.start();
  return mirror;
}

/** A second agent on the same hub and bus, for another rid. */
export async function addAgent(mirror: Embedded, rid: number, autorun = false): Promise<Agent> {
  const config = { ...mirror.hub.config, rid, autorun };
  const agent = createAgent({
    config,
    hub: createLocalHubLink(mirror.hub, { seesRunDirs: true }),
    queue: mirror.hub.queue,
    rpc: mirror.hub.rpc,
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  cleanups.unshift(() => agent.stop());
  await agent.start();
  return agent;
}

/**
 * A calc package whose `bin/` holds the fixture programs, with the given adapter body
 * (the elements inside `<Adapter>`) and optional hooks module.
 */
export async function fixturePackage(body: string, hooks?: string): Promise<string> {
  const dir = await scratchDir('mirror-fixture-package-');
  await cp(PROGRAMS, join(dir, 'bin'), { recursive: true });
  await mkdir(join(dir, 'template'));
  await writeFile(join(dir, 'template', 'README'), 'run directory of a fixture job\n');
  await writeFile(join(dir, 'adapter.xml'), `<Adapter name="fixture" version="1">\n${body}\n</Adapter>\n`);
  if (hooks !== undefined) await writeFile(join(dir, 'hooks.mjs'), hooks);
  return dir;
}

/** Registers a package and a one-state project, dispatches, answers the job id. */
export async function dispatchOne(
  mirror: Embedded,
  packageDir: string,
  params: Record<string, string> = {},
  files: readonly ProjectFileSource[] = [],
): Promise<number> {
  const c = (await mirror.hub.calcPackages.add({ dir: packageDir })).id;
  const defaults = Object.entries(params)
    .map(([name, value]) => `<Param name="${name}" value="${value}"/>`)
    .join('');
  const { project } = await mirror.hub.projects.create('fixture', [
    { name: 'para.xml', data: new TextEncoder().encode(`<Para>${defaults}</Para>`) },
    ...files,
  ]);
  const reply = await mirror.call('jobdispatch', 'do', { p_id: project.id, c_id: c });
  if (reply[0] !== 0) throw new Error(`dispatch failed: ${String(reply[1])}`);
  const job = (reply[1] as number[])[0] ?? 0;
  await until(
    () => stateOf(mirror, job),
    (s) => s !== 'queued',
  );
  return job;
}

/** Polls `probe` until `done` holds of its value (or fails after `timeoutMs`). */
export async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The job's state, read from the store. */
export async function stateOf(mirror: Embedded, jobId: number): Promise<string | undefined> {
  return (await mirror.hub.store.getJob(jobId))?.state;
}

/** True while a process with this pid exists and is not a zombie. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== '' && state !== 'Z';
}
