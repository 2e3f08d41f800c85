// A page of 50 jobs filtered by state (`failed`, 5 % of them), newest first, with
// 100,000 jobs in the store: Mirror's `store.listJobs` (Kysely, rows mapped to jobs)
// against the same SQL run directly with the same driver (a statement prepared once on
// better-sqlite3; a pg client). Sequential calls, alternating in blocks; p50/p99. Also
// the page over HTTP (`GET /api/jobs?state=failed&limit=50`) from the embedded gateway.
import { request, Agent } from 'node:http';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { createHub } from '../../src/hub/index.js';
import { createGateway } from '../../src/hub/http/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { skipped, type BenchContext, type Figure } from '../lib/figure.js';
import { fillJobs } from '../lib/fixtures.js';
import { both, fmtRatio, judge, type Row } from '../lib/report.js';
import { freshDatabase } from '../lib/services.js';
import { fmtMs, summarize, type Summary } from '../lib/stats.js';

const PAGE = 50;
const STATE = 'failed';
const TARGET = '≤ 1.5×, p50 ≤ 10 ms';
const SQL_SQLITE = 'select * from "jobs" where "state" = ? order by "id" desc limit ?';
const SQL_POSTGRES = 'select * from "jobs" where "state" = $1 order by "id" desc limit $2';

export const listJobs: Figure = {
  name: 'list-jobs',
  async run(ctx) {
    const jobs = ctx.quick ? 20_000 : 100_000;
    const calls = ctx.quick ? 300 : 3000;
    const rows = await sqliteRows(ctx, jobs, calls);
    const figure = `list ${PAGE} jobs by state, ${jobs.toLocaleString('en-US')} stored, PostgreSQL`;
    if (!('url' in ctx.services.postgres)) rows.push(skipped(figure, TARGET, ctx.services.postgres.missing));
    else rows.push(await postgresRow(ctx, ctx.services.postgres, jobs, calls));
    return rows;
  },
};

async function sqliteRows(ctx: BenchContext, jobs: number, calls: number): Promise<Row[]> {
  const dir = await ctx.scope.tempDir('list');
  const url = `sqlite:${join(dir, 'mirror.db')}`;
  const filling = await openStore(url);
  await fillJobs(filling, url, jobs);
  await filling.close();

  const hub = await createHub(loadConfig({ env: {}, flags: { workdir: dir, store: url } }));
  ctx.scope.defer(() => hub.stop());
  await hub.start();
  const db = new SqliteDatabase(join(dir, 'mirror.db'), { readonly: true });
  ctx.scope.defer(() => void db.close());
  const statement = db.prepare(SQL_SQLITE);
  const [mirror, baseline] = await alternate(
    calls,
    () => hub.store.listJobs({ state: STATE, limit: PAGE }),
    () => Promise.resolve(statement.all(STATE, PAGE)),
  );
  const storeRow = row(
    `list ${PAGE} jobs by state, ${jobs.toLocaleString('en-US')} stored, SQLite`,
    mirror,
    baseline,
  );

  const gateway = await createGateway(hub);
  ctx.scope.defer(() => gateway.close());
  const address = await gateway.listen({ host: '127.0.0.1', port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  ctx.scope.defer(() => agent.destroy());
  const path = `/api/jobs?state=${STATE}&limit=${PAGE}`;
  const [http] = await alternate(calls, () => get(agent, address, path));
  const httpRow: Row = {
    figure: `… the same page over HTTP (\`GET /api/jobs?state=${STATE}&limit=${PAGE}\`), SQLite`,
    mirror: `p50 ${fmtMs(http.p50)}, p99 ${fmtMs(http.p99)}`,
    baseline: '-',
    ratio: '-',
    target: 'p50 ≤ 10 ms',
    verdict: judge(http.p50, '<=', 10),
    data: { http },
  };
  return [storeRow, httpRow];
}

async function postgresRow(
  ctx: BenchContext,
  service: { url: string },
  jobs: number,
  calls: number,
): Promise<Row> {
  const url = await freshDatabase(service, ctx.scope);
  const store: Store = await openStore(url);
  ctx.scope.defer(() => store.close());
  await fillJobs(store, url, jobs);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  ctx.scope.defer(() => client.end());
  const [mirror, baseline] = await alternate(
    calls,
    () => store.listJobs({ state: STATE, limit: PAGE }),
    () => client.query(SQL_POSTGRES, [STATE, PAGE]),
  );
  return row(
    `list ${PAGE} jobs by state, ${jobs.toLocaleString('en-US')} stored, PostgreSQL`,
    mirror,
    baseline,
  );
}

function row(figure: string, mirror: Summary, baseline: Summary): Row {
  const ratio = mirror.p50 / baseline.p50;
  return {
    figure,
    mirror: `p50 ${fmtMs(mirror.p50)}, p99 ${fmtMs(mirror.p99)}`,
    baseline: `p50 ${fmtMs(baseline.p50)}, p99 ${fmtMs(baseline.p99)}`,
    ratio: fmtRatio(ratio),
    target: TARGET,
    verdict: both(judge(ratio, '<=', 1.5), judge(mirror.p50, '<=', 10)),
    data: { mirror, baseline, ratio },
  };
}

/**
 * Calls each function `calls` times one after the other, alternating between them in
 * blocks of 100 (so both meet the same noise), after a warm-up; answers each one's summary.
 */
async function alternate<const F extends readonly (() => Promise<unknown>)[]>(
  calls: number,
  ...fns: F
): Promise<{ [K in keyof F]: Summary }> {
  const samples = fns.map((): number[] => []);
  for (const fn of fns) for (let i = 0; i < 50; i++) await fn();
  for (let done = 0; done < calls; done += 100) {
    for (const [k, fn] of fns.entries()) {
      for (let i = 0; i < Math.min(100, calls - done); i++) {
        const start = performance.now();
        await fn();
        samples[k]?.push(performance.now() - start);
      }
    }
  }
  return samples.map(summarize) as { [K in keyof F]: Summary };
}

/** GET `path` on `base` through a keep-alive agent; rejects unless 200. */
function get(agent: Agent, base: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}
