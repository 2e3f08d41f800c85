// Per-job overhead as the store grows: two real `mirror serve` processes (hub and agent,
// autorun, SQLite), one on a store already holding 1,000 jobs and one on a store holding
// 100,000, each given the same sweep of trivial jobs at the same moment, several rounds.
// Running side by side, both meet the same load from the rest of the machine, which
// shifts far more over a run than anything the store's size does; each round gives a
// ratio of the two processes' CPU time (from /proc) per job, and the median is judged.
// Wall time per job is reported beside it.
import { createClient } from '../../src/sdk/index.js';
import type { Figure } from '../lib/figure.js';
import { calcPackageDir, paraOfStates, TRIVIAL_ADAPTER } from '../lib/fixtures.js';
import { startHubProcess, type HubProcess } from '../lib/hub-process.js';
import { cpuSeconds } from '../lib/processes.js';
import { fmtRatio, judge } from '../lib/report.js';
import { median } from '../lib/stats.js';

const TERMINAL = ['finished', 'failed', 'killed'];

/** One round on one process: CPU seconds and wall ms it took, jobs that did not finish. */
interface Round {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly failed: number;
}

export const overheadGrowth: Figure = {
  name: 'overhead-growth',
  async run({ quick, scope, log }) {
    const small = 1000;
    const large = quick ? 20_000 : 100_000;
    const jobs = quick ? 40 : 150;
    const rounds = quick ? 2 : 5;
    const packageDir = await calcPackageDir(scope, TRIVIAL_ADAPTER);
    const sets = { 'packages.allowDirectories': 'true' };
    const hubs = [
      await startHubProcess(scope, { jobs: small, withAgent: true, sets }),
      await startHubProcess(scope, { jobs: large, withAgent: true, sets }),
    ] as const;
    const sweeps = await Promise.all(hubs.map((hub) => prepare(hub, packageDir, jobs)));
    const results: [Round[], Round[]] = [[], []];
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [s, l] = await Promise.all(sweeps.map((sweep) => sweep()));
      if (!s || !l) throw new Error('a sweep answered nothing');
      results[0].push(s);
      results[1].push(l);
      ratios.push(l.cpuMs / s.cpuMs);
      log(`  round ${i + 1}: CPU ${s.cpuMs.toFixed(0)} ms vs ${l.cpuMs.toFixed(0)} ms (${jobs} jobs each)`);
    }
    const ratio = median(ratios);
    const show = (xs: Round[]) =>
      `${median(xs.map((x) => x.cpuMs / jobs)).toFixed(1)} ms CPU/job ` +
      `(${median(xs.map((x) => x.wallMs / jobs)).toFixed(1)} ms wall)`;
    const failed = [...results[0], ...results[1]].reduce((sum, r) => sum + r.failed, 0);
    return [
      {
        figure:
          `per-job overhead, ${large.toLocaleString('en-US')} stored jobs vs ${small.toLocaleString('en-US')} ` +
          `(trivial jobs, two \`mirror serve\` side by side, median of ${rounds} rounds)`,
        mirror: show(results[1]),
        baseline: show(results[0]),
        ratio: fmtRatio(ratio),
        target: 'ratio ≤ 1.2',
        verdict: failed > 0 ? 'error' : judge(ratio, '<=', 1.2),
        note: `round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}${failed > 0 ? `; ${failed} jobs did not finish` : ''}`,
        data: { small, large, jobs, rounds, ratios, results, ratio },
      },
    ];
  },
};

/**
 * Registers the package and a project of `jobs` states on the hub; answers a function
 * that dispatches the sweep once more and resolves when all its jobs have ended.
 */
async function prepare(hub: HubProcess, packageDir: string, jobs: number): Promise<() => Promise<Round>> {
  const client = createClient({ baseUrl: hub.url });
  const pkg = await client.packages.registerDirectory(packageDir);
  const { project } = await client.projects.create('growth');
  await client.projects.putFile(project.id, 'para.xml', new TextEncoder().encode(paraOfStates(jobs)));
  return async () => {
    const abort = new AbortController();
    try {
      const events = await client.events({ project: project.id }, abort.signal);
      const cpuBefore = await cpuSeconds(hub.process.pid);
      const start = performance.now();
      const { jobIds } = await client.dispatch(project.id, pkg.id);
      const mine = new Set(jobIds);
      const ended = new Map<number, string>();
      for await (const event of events) {
        if (event.type === 'state' && mine.has(event.jobId) && TERMINAL.includes(event.state)) {
          ended.set(event.jobId, event.state);
          if (ended.size === mine.size) break;
        }
      }
      const wallMs = performance.now() - start;
      const cpuMs = ((await cpuSeconds(hub.process.pid)) - cpuBefore) * 1000;
      const failed = [...ended.values()].filter((s) => s !== 'finished').length;
      return { cpuMs, wallMs, failed };
    } finally {
      abort.abort();
    }
  };
}
