// Resident memory of real idle processes: a hub (`mirror serve --no-agent`) on an SQLite
// store of 100,000 jobs, asked a few pages first so that what it serves is loaded, and an
// agent (`mirror agent`) attached to it over RabbitMQ. Each is left to settle, then VmRSS
// is read from /proc five times, 200 ms apart; the median. Measured as bin/mirror.mjs
// runs them (through tsx's loader), and again compiled to plain JavaScript (what tsx
// itself costs).
import { createClient } from '../../src/sdk/index.js';
import { skipped, type BenchContext, type Figure } from '../lib/figure.js';
import { compileMirror } from '../lib/compiled.js';
import { startAgentProcess, startHubProcess } from '../lib/hub-process.js';
import { rssMiB } from '../lib/processes.js';
import { judge, type Row } from '../lib/report.js';
import { freshVhost } from '../lib/services.js';
import { median, sleep } from '../lib/stats.js';

const HUB_TARGET_MB = 150;
const AGENT_TARGET_MB = 80;
const MB_PER_MIB = 1.048576;

export const rss: Figure = {
  name: 'rss',
  async run(ctx) {
    const jobs = ctx.quick ? 20_000 : 100_000;
    const rows = await measure(ctx, jobs, 'bin/mirror.mjs, through tsx', undefined);
    if (!ctx.quick) rows.push(...(await measure(ctx, jobs, 'compiled JS', await compileMirror(ctx.scope))));
    return rows;
  },
};

/** The hub's and the agent's idle RSS, run by `entry` (bin/mirror.mjs when undefined). */
async function measure(
  ctx: BenchContext,
  jobs: number,
  how: string,
  entry: string | undefined,
): Promise<Row[]> {
  const { services, scope } = ctx;
  const settleMs = ctx.quick ? 1000 : 5000;
  const broker = 'url' in services.rabbitmq ? await freshVhost(services.rabbitmq, scope) : undefined;
  const hub = await startHubProcess(scope, {
    jobs,
    ...(broker !== undefined ? { broker } : {}),
    ...(entry !== undefined ? { entry } : {}),
  });
  const client = createClient({ baseUrl: hub.url });
  for (const state of ['finished', 'failed', 'killed'] as const) await client.jobs.list({ state, limit: 50 });
  await client.jobs.counts();
  await client.jobs.get(1);
  await sleep(settleMs);
  const hubMiB = await sampleRss(hub.process.pid);
  ctx.log(`  hub (${how}) ${hubMiB.toFixed(0)} MiB`);
  const rows: Row[] = [
    {
      figure: `hub RSS idle, ${jobs.toLocaleString('en-US')} jobs stored (\`mirror serve --no-agent\`, SQLite; ${how})`,
      mirror: `${(hubMiB * MB_PER_MIB).toFixed(0)} MB`,
      baseline: '-',
      ratio: '-',
      target: `≤ ${HUB_TARGET_MB} MB`,
      verdict: judge(hubMiB * MB_PER_MIB, '<=', HUB_TARGET_MB),
      data: { jobs, hubMiB },
    },
  ];
  const agentFigure = `agent RSS idle (\`mirror agent\`; ${how})`;
  if (broker === undefined) {
    const why = 'missing' in services.rabbitmq ? services.rabbitmq.missing : 'no broker';
    return [...rows, skipped(agentFigure, `≤ ${AGENT_TARGET_MB} MB`, why)];
  }
  const agent = await startAgentProcess(scope, hub, broker, 7, {}, entry);
  await sleep(settleMs);
  const agentMiB = await sampleRss(agent.pid);
  ctx.log(`  agent (${how}) ${agentMiB.toFixed(0)} MiB`);
  await agent.stop();
  await hub.process.stop();
  rows.push({
    figure: agentFigure,
    mirror: `${(agentMiB * MB_PER_MIB).toFixed(0)} MB`,
    baseline: '-',
    ratio: '-',
    target: `≤ ${AGENT_TARGET_MB} MB`,
    verdict: judge(agentMiB * MB_PER_MIB, '<=', AGENT_TARGET_MB),
    data: { agentMiB },
  });
  return rows;
}

/** VmRSS five times, 200 ms apart; the median, MiB. */
async function sampleRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(await rssMiB(pid));
    await sleep(200);
  }
  return median(samples);
}
