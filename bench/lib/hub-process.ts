// A real hub process (`mirror serve --no-agent`) on an SQLite store filled beforehand
// with N jobs of history (all on rid 1), optionally with a broker; and remote agents.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { fillJobs } from './fixtures.js';
import { startMirror, type BenchProcess } from './processes.js';
import type { Scope } from './scope.js';

export interface HubProcess {
  readonly process: BenchProcess;
  /** Its HTTP address, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly workdir: string;
}

/**
 * Fills `<workdir>/mirror.db` with `jobs` jobs, then starts `mirror serve` on it (the
 * hub alone unless `withAgent`), listening on a free port; stopped with `scope`.
 */
export async function startHubProcess(
  scope: Scope,
  options: {
    jobs: number;
    broker?: string;
    store?: string;
    withAgent?: boolean;
    sets?: Readonly<Record<string, string>>;
    /** The CLI entry to run instead of bin/mirror.mjs (a compiled one). */
    entry?: string;
  },
): Promise<HubProcess> {
  const workdir = await scope.tempDir('hub');
  const store = options.store ?? `sqlite:${join(workdir, 'mirror.db')}`;
  if (options.jobs > 0) {
    const filling = await openStore(store);
    await fillJobs(filling, store, options.jobs);
    await filling.close();
  }
  const args = ['serve', ...(options.withAgent === true ? [] : ['--no-agent']), '--store', store];
  if (options.broker !== undefined) args.push('--broker', options.broker);
  const process = startMirror(scope, args, workdir, { 'http.port': '0', ...options.sets }, options.entry);
  const url = (await process.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
  return { process, url, workdir };
}

/**
 * Starts `mirror agent --rid <rid>` against the hub, in its own workdir, with the agent
 * credential the hub generated in its workdir; stopped with `scope`.
 */
export async function startAgentProcess(
  scope: Scope,
  hub: HubProcess,
  broker: string,
  rid: number,
  sets: Readonly<Record<string, string>> = {},
  entry?: string,
): Promise<BenchProcess> {
  const workdir = await scope.tempDir(`agent-${rid}`);
  const credential = (await readFile(join(hub.workdir, 'agent-credential'), 'utf8')).trim();
  const args = ['agent', '--rid', String(rid), '--hub', hub.url, '--broker', broker];
  const agent = startMirror(scope, args, workdir, { 'agent.credential': credential, ...sets }, entry);
  await agent.waitFor(new RegExp(`mirror: agent rid ${rid} `));
  return agent;
}
