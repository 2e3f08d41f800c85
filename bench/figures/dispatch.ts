// Dispatch of a 10,000-state para file (a 100 × 100 grid): `hub.dispatch` from the call
// to the commit with every id enqueued — para parsing, state expansion and the checks
// included. Baseline: the same rows (dispatch, jobs, `queued` events) inserted in one
// transaction directly with the same driver: better-sqlite3 prepared statements on
// SQLite; one unnest INSERT per table with pg on PostgreSQL. Runs alternate, each side
// in its own database, after one untimed round; medians.
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createAmqpJobQueue, type JobQueue } from '../../src/bus/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createHub, type Hub } from '../../src/hub/index.js';
import { openStore, type NewJob } from '../../src/store/index.js';
import { skipped, type BenchContext, type Figure } from '../lib/figure.js';
import { calcPackageDir, paraOfGrid, TRIVIAL_ADAPTER } from '../lib/fixtures.js';
import { fmtRatio, judge, type Row } from '../lib/report.js';
import { freshDatabase, freshVhost } from '../lib/services.js';
import { fmtMs, median } from '../lib/stats.js';

const TARGET = '≤ 2×';

/** One side's insertion of the planned jobs; answers its wall time, ms. */
type Insert = (jobs: readonly NewJob[]) => Promise<number>;

export const dispatch: Figure = {
  name: 'dispatch',
  async run(ctx) {
    const side = ctx.quick ? 30 : 100;
    const runs = ctx.quick ? 2 : 5;
    const rows: Row[] = [await sqliteRow(ctx, side, runs)];
    const figure = `dispatch of ${(side * side).toLocaleString('en-US')} states, PostgreSQL`;
    if (!('url' in ctx.services.postgres)) rows.push(skipped(figure, TARGET, ctx.services.postgres.missing));
    else rows.push(await postgresRow(ctx, ctx.services.postgres, side, runs));
    return rows;
  },
};

async function sqliteRow(ctx: BenchContext, side: number, runs: number): Promise<Row> {
  const dir = await ctx.scope.tempDir('dispatch');
  const hub = await startHub(ctx, join(dir, 'mirror'), `sqlite:${join(dir, 'mirror.db')}`);
  const basePath = join(dir, 'baseline.db');
  await (await openStore(`sqlite:${basePath}`)).close();
  const db = new SqliteDatabase(basePath);
  ctx.scope.defer(() => void db.close());
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const insertDispatch = db.prepare(
    'INSERT INTO dispatches (project_id, package_id, para_name, job_count, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertJob = db.prepare(
    `INSERT INTO jobs (dispatch_id, project_id, package_id, para_name, state_index, label, params, state,
      created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
  );
  const insertEvent = db.prepare(
    "INSERT INTO job_events (job_id, at, from_state, to_state, reason) VALUES (?, ?, NULL, 'queued', 'dispatched')",
  );
  const insertAll = db.transaction((jobs: readonly NewJob[]) => {
    const now = Date.now();
    const id = insertDispatch.run(1, 1, 'para.xml', jobs.length, now).lastInsertRowid;
    const ids = jobs.map(
      (j) =>
        insertJob.run(id, 1, 1, 'para.xml', j.stateIndex, j.label, JSON.stringify(j.params), now, now)
          .lastInsertRowid,
    );
    for (const jobId of ids) insertEvent.run(jobId, now);
  });
  const baseline: Insert = (jobs) => {
    const start = performance.now();
    insertAll(jobs);
    return Promise.resolve(performance.now() - start);
  };
  return measure(ctx, hub, side, runs, baseline, 'SQLite (embedded, in-process queue)');
}

async function postgresRow(
  ctx: BenchContext,
  service: { url: string },
  side: number,
  runs: number,
): Promise<Row> {
  const mirrorUrl = await freshDatabase(service, ctx.scope);
  const baseUrl = await freshDatabase(service, ctx.scope);
  await (await openStore(baseUrl)).close();
  let queue: JobQueue | undefined;
  let where = 'PostgreSQL, in-process queue (RabbitMQ absent)';
  if ('url' in ctx.services.rabbitmq) {
    const broker = await freshVhost(ctx.services.rabbitmq, ctx.scope);
    const amqp = await createAmqpJobQueue({ url: broker, consume: false });
    ctx.scope.defer(() => amqp.close());
    queue = amqp;
    where = 'PostgreSQL + RabbitMQ (scaled out; enqueue confirmed)';
  }
  const hub = await startHub(ctx, await ctx.scope.tempDir('dispatch-pg'), mirrorUrl, queue);
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  ctx.scope.defer(() => client.end());
  const baseline: Insert = async (jobs) => {
    const start = performance.now();
    const now = Date.now();
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO dispatches (project_id, package_id, para_name, job_count, created_at)
       VALUES (1, 1, 'para.xml', $1, $2) RETURNING id`,
      [jobs.length, now],
    );
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO jobs (dispatch_id, project_id, package_id, para_name, state_index, label, params, state,
         created_at, updated_at)
       SELECT $1, 1, 1, 'para.xml', s, l, p, 'queued', $2, $2
       FROM unnest($3::int[], $4::text[], $5::text[]) AS t(s, l, p) RETURNING id`,
      [
        rows[0]?.id,
        now,
        jobs.map((j) => j.stateIndex),
        jobs.map((j) => j.label),
        jobs.map((j) => JSON.stringify(j.params)),
      ],
    );
    await client.query(
      `INSERT INTO job_events (job_id, at, from_state, to_state, reason)
       SELECT unnest($1::bigint[]), $2, NULL, 'queued', 'dispatched'`,
      [inserted.rows.map((r) => r.id), now],
    );
    await client.query('COMMIT');
    return performance.now() - start;
  };
  return measure(ctx, hub, side, runs, baseline, where);
}

/** A hub alone (no agent, no duties) on `store`, stopped with the figure's scope. */
async function startHub(ctx: BenchContext, workdir: string, store: string, queue?: JobQueue): Promise<Hub> {
  const config = loadConfig({ env: {}, flags: { workdir, store } });
  const hub = await createHub(config, queue ? { queue } : {});
  ctx.scope.defer(() => hub.stop());
  await hub.start();
  return hub;
}

/** Registers the sweep, then alternates Mirror's dispatch with the baseline `runs` times. */
async function measure(
  ctx: BenchContext,
  hub: Hub,
  side: number,
  runs: number,
  baseline: Insert,
  where: string,
): Promise<Row> {
  const packageId = (await hub.calcPackages.add({ dir: await calcPackageDir(ctx.scope, TRIVIAL_ADAPTER) }))
    .id;
  const { project } = await hub.projects.create('dispatch', [
    { name: 'para.xml', data: new TextEncoder().encode(paraOfGrid(side)) },
  ]);
  const request = { projectId: project.id, packageId, paraName: 'para.xml' };
  const jobs = await hub.planDispatch(request);
  const mirrorMs: number[] = [];
  const baselineMs: number[] = [];
  // Parts of Mirror's time, measured apart after each run: planning (para parsing, state
  // expansion, checks) and enqueueing the same ids again (nobody consumes them here).
  const planMs: number[] = [];
  const enqueueMs: number[] = [];
  // One round untimed: the first run of each side also compiles its code paths.
  await hub.dispatch(request);
  await baseline(jobs);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const ids = await hub.dispatch(request);
    mirrorMs.push(performance.now() - start);
    if (ids.length !== jobs.length) throw new Error(`dispatch made ${ids.length} jobs, not ${jobs.length}`);
    baselineMs.push(await baseline(jobs));
    const planStart = performance.now();
    await hub.planDispatch(request);
    planMs.push(performance.now() - planStart);
    const enqueueStart = performance.now();
    await hub.queue.enqueue(ids);
    enqueueMs.push(performance.now() - enqueueStart);
  }
  const m = median(mirrorMs);
  const b = median(baselineMs);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  ctx.log(`  ${where}: Mirror ${list(mirrorMs)} ms; baseline ${list(baselineMs)} ms`);
  ctx.log(`    of which planning ${list(planMs)} ms, enqueueing ${list(enqueueMs)} ms`);
  const verdict = judge(m / b, '<=', 2);
  const parts = `of Mirror's ${fmtMs(m)}: planning ${fmtMs(median(planMs))}, enqueueing ${fmtMs(median(enqueueMs))}, the rest inserting and committing`;
  return {
    figure: `dispatch of ${jobs.length.toLocaleString('en-US')} states, ${where}`,
    mirror: fmtMs(m),
    baseline: fmtMs(b),
    ratio: fmtRatio(m / b),
    target: TARGET,
    verdict,
    note: parts,
    data: { states: jobs.length, runs, mirrorMs, baselineMs, planMs, enqueueMs, ratio: m / b },
  };
}
