// What the figures run: a trivial calc package (one `true` step), para files of N
// states, stores filled with N jobs of history, and an embedded Mirror in this process.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { createEmbedded, type Embedded } from '../../src/embedded/index.js';
import type { EventLog } from '../../src/hub/index.js';
import { connectStore, type Store } from '../../src/store/index.js';
import { childEnv } from './processes.js';
import type { Scope } from './scope.js';

/** The adapter of the trivial package: one step that runs `true`. */
export const TRIVIAL_ADAPTER = '<ExeArgument id="s" type="shell" value="true" priority="1"/>';

/** A calc package directory with `adapter` as the adapter's body and a one-file template. */
export async function calcPackageDir(
  scope: Scope,
  adapter: string,
  bin: Readonly<Record<string, string>> = {},
): Promise<string> {
  const dir = await scope.tempDir('package');
  await mkdir(join(dir, 'template'));
  await writeFile(join(dir, 'template', 'README'), 'run directory of a benchmark job\n');
  await writeFile(join(dir, 'adapter.xml'), `<Adapter name="bench" version="1">\n${adapter}\n</Adapter>\n`);
  if (Object.keys(bin).length > 0) await mkdir(join(dir, 'bin'));
  for (const [name, text] of Object.entries(bin)) {
    await writeFile(join(dir, 'bin', name), text, { mode: 0o755 });
  }
  return dir;
}

/** A para file of `n` states: one parameter `i` = 1..n. */
export function paraOfStates(n: number): string {
  const values = Array.from({ length: n }, (_, k) => String(k + 1)).join(' ');
  return `<Para>\n  <States>\n    <Param name="i" values="${values}"/>\n  </States>\n</Para>\n`;
}

/** A para file of a `side` × `side` grid: the product of two parameters, side² states. */
export function paraOfGrid(side: number): string {
  const values = Array.from({ length: side }, (_, k) => String(k)).join(' ');
  return `<Para>\n  <States>\n    <Param name="x" values="${values}"/>\n    <Param name="y" values="${values}"/>\n  </States>\n</Para>\n`;
}

/**
 * Fills a store with `n` jobs of history (one dispatch): 90 % finished, 5 % failed,
 * 5 % killed, all on rid 1. Answers the first and last job ids.
 */
export async function fillJobs(
  store: Store,
  storeUrl: string,
  n: number,
): Promise<{ first: number; last: number }> {
  const jobs = Array.from({ length: n }, (_, k) => ({
    stateIndex: k,
    label: `i=${k + 1}`,
    params: { i: String(k + 1), tag: 'history' },
  }));
  const { jobIds } = await store.insertDispatch({ projectId: 1, packageId: 1, paraName: 'para.xml', jobs });
  const first = jobIds[0] ?? 0;
  const last = jobIds[jobIds.length - 1] ?? 0;
  // States are set on a second connection: the Store offers no bulk change, by design.
  const { db } = await connectStore(storeUrl);
  try {
    await sql`UPDATE jobs SET rid = 1, state = CASE WHEN id % 20 = 0 THEN 'failed' WHEN id % 20 = 1
      THEN 'killed' ELSE 'finished' END WHERE id BETWEEN ${first} AND ${last}`.execute(db);
    await sql`ANALYZE`.execute(db);
  } finally {
    await db.destroy();
  }
  return { first, last };
}

/** A started embedded Mirror (hub and agent, in-process bus) in `workdir`, stopped with `scope`. */
export async function startEmbedded(
  scope: Scope,
  workdir: string,
  flags: Readonly<Record<string, unknown>> = {},
): Promise<Embedded> {
  const config = loadConfig({ env: {}, flags: { workdir, ...flags } });
  const mirror = await createEmbedded(config, { baseEnv: childEnv() });
  scope.defer(() => mirror.stop());
  await mirror.start();
  return mirror;
}

/** Registers the package directory and a project holding `para.xml`; answers their ids. */
export async function registerSweep(
  mirror: Embedded,
  packageDir: string,
  para: string,
): Promise<{ projectId: number; packageId: number }> {
  const packageId = (await mirror.hub.calcPackages.add({ dir: packageDir })).id;
  const { project } = await mirror.hub.projects.create('bench', [
    { name: 'para.xml', data: new TextEncoder().encode(para) },
  ]);
  return { projectId: project.id, packageId };
}

const TERMINAL = new Set(['finished', 'failed', 'killed']);

export interface EndWatch {
  /** Resolves when every job of `ids` has ended; answers how many did not finish. */
  until(ids: readonly number[], timeoutMs: number): Promise<{ failed: number; reasons: string[] }>;
  stop(): void;
}

/** Watches the hub's events for jobs ending; start it before dispatching. */
export function watchEnds(events: EventLog): EndWatch {
  const ended = new Map<number, { state: string; reason: string }>();
  let wake = () => {};
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'state' && TERMINAL.has(event.state)) {
      ended.set(event.jobId, { state: event.state, reason: event.reason });
      wake();
    }
  });
  return {
    until(ids, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const left = ids.filter((id) => !ended.has(id)).length;
          reject(new Error(`${left} of ${ids.length} jobs had not ended after ${timeoutMs} ms`));
        }, timeoutMs);
        wake = () => {
          if (!ids.every((id) => ended.has(id))) return;
          clearTimeout(timer);
          const bad = ids.map((id) => ended.get(id)).filter((e) => e !== undefined && e.state !== 'finished');
          resolve({ failed: bad.length, reasons: [...new Set(bad.map((e) => e?.reason ?? ''))].slice(0, 3) });
        };
        wake();
      });
    },
    stop: unsubscribe,
  };
}
