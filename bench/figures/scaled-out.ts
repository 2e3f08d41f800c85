// Trivial jobs end to end, scaled out: a hub process (`mirror serve --no-agent`) on
// PostgreSQL and RabbitMQ and two agent processes (`mirror agent`, rids 5 and 6, slots
// one per core each), the jobs dispatched over the hub's HTTP API and their ends watched
// on its event stream. Baseline: the bash loop of the embedded figure, before and after.
import { join } from 'node:path';
import { createClient } from '../../src/sdk/index.js';
import { skipped, type Figure } from '../lib/figure.js';
import { calcPackageDir, paraOfStates, TRIVIAL_ADAPTER } from '../lib/fixtures.js';
import { startAgentProcess, startHubProcess } from '../lib/hub-process.js';
import { cpuSeconds } from '../lib/processes.js';
import { fmtRatio, judge } from '../lib/report.js';
import { freshDatabase, freshVhost } from '../lib/services.js';
import { shellJobLoop } from '../lib/shell-baseline.js';
import { fmtRate } from '../lib/stats.js';

const TARGET = '≥ 0.4×';
const TERMINAL = ['finished', 'failed', 'killed'];

export const scaledOut: Figure = {
  name: 'scaled-out',
  async run({ quick, scope, services, log }) {
    const n = quick ? 100 : 1000;
    const figure = `trivial jobs end to end, scaled out (hub + 2 agents, PostgreSQL + RabbitMQ), ${n.toLocaleString('en-US')} jobs`;
    if (!('url' in services.postgres)) return [skipped(figure, TARGET, services.postgres.missing)];
    if (!('url' in services.rabbitmq)) return [skipped(figure, TARGET, services.rabbitmq.missing)];
    const packageDir = await calcPackageDir(scope, TRIVIAL_ADAPTER);
    const template = join(packageDir, 'template');
    const before = await shellJobLoop(scope, n, template);

    const store = await freshDatabase(services.postgres, scope);
    const broker = await freshVhost(services.rabbitmq, scope);
    const hub = await startHubProcess(scope, {
      jobs: 0,
      store,
      broker,
      sets: { 'packages.allowDirectories': 'true' },
    });
    const agents = [
      await startAgentProcess(scope, hub, broker, 5),
      await startAgentProcess(scope, hub, broker, 6),
    ];
    const pids = [hub.process.pid, ...agents.map((a) => a.pid)];
    const client = createClient({ baseUrl: hub.url });
    const pkg = await client.packages.registerDirectory(packageDir);
    const { project } = await client.projects.create('scaled-out');
    await client.projects.putFile(project.id, 'para.xml', new TextEncoder().encode(paraOfStates(n)));

    const abort = new AbortController();
    scope.defer(() => abort.abort());
    const events = await client.events({ project: project.id }, abort.signal);
    const cpuBefore = await Promise.all(pids.map(cpuSeconds));
    const start = performance.now();
    const { jobIds } = await client.dispatch(project.id, pkg.id);
    const ended = new Map<number, string>();
    for await (const event of events) {
      if (event.type === 'state' && TERMINAL.includes(event.state)) ended.set(event.jobId, event.state);
      if (ended.size === jobIds.length) break;
    }
    const wallMs = performance.now() - start;
    const cpu = (await Promise.all(pids.map(cpuSeconds))).map((s, i) => s - (cpuBefore[i] ?? 0));
    abort.abort();
    const failed = [...ended.values()].filter((s) => s !== 'finished').length;
    const after = await shellJobLoop(scope, n, template);
    log(`  bash loop ${before.toFixed(0)} ms, then ${after.toFixed(0)} ms; Mirror ${wallMs.toFixed(0)} ms`);

    const mirrorRate = (n * 1000) / wallMs;
    const baselineRate = (2 * n * 1000) / (before + after);
    const ratio = mirrorRate / baselineRate;
    const perJob = (seconds = NaN) => `${((seconds * 1000) / n).toFixed(1)} ms`;
    return [
      {
        figure,
        mirror: fmtRate(mirrorRate, 'jobs/s'),
        baseline: fmtRate(baselineRate, 'jobs/s'),
        ratio: fmtRatio(ratio),
        target: TARGET,
        verdict: failed > 0 ? 'error' : judge(ratio, '>=', 0.4),
        note:
          (failed > 0 ? `${failed} jobs did not finish; ` : '') +
          `CPU per job: hub ${perJob(cpu[0])}, agents ${perJob(cpu[1])} and ${perJob(cpu[2])}`,
        data: {
          jobs: n,
          wallMs,
          cpuSeconds: cpu,
          baselineMs: [before, after],
          mirrorRate,
          baselineRate,
          ratio,
          failed,
        },
      },
    ];
  },
};
