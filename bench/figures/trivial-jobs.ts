// Trivial jobs end to end, embedded: N jobs of one `true` step dispatched at once,
// autorun on (slots: one per core, the default), timed from the dispatch call until the
// last job has ended (hub events). Baseline: the same file work per job in a bash loop,
// run before and after Mirror (their mean).
import { join } from 'node:path';
import type { Figure } from '../lib/figure.js';
import { calcPackageDir, startEmbedded, TRIVIAL_ADAPTER } from '../lib/fixtures.js';
import { fmtRatio, judge } from '../lib/report.js';
import { shellJobLoop } from '../lib/shell-baseline.js';
import { fmtRate } from '../lib/stats.js';
import { runTrivialSweep } from '../lib/trivial.js';

export const trivialJobs: Figure = {
  name: 'trivial-jobs',
  async run({ quick, scope, log }) {
    const n = quick ? 100 : 1000;
    const packageDir = await calcPackageDir(scope, TRIVIAL_ADAPTER);
    const template = join(packageDir, 'template');
    const before = await shellJobLoop(scope, n, template);
    const mirror = await startEmbedded(scope, await scope.tempDir('trivial'));
    const sweep = await runTrivialSweep(mirror, packageDir, n);
    await mirror.stop();
    const after = await shellJobLoop(scope, n, template);
    log(
      `  bash loop ${before.toFixed(0)} ms, then ${after.toFixed(0)} ms; Mirror ${sweep.wallMs.toFixed(0)} ms`,
    );

    const mirrorRate = (n * 1000) / sweep.wallMs;
    const baselineRate = (2 * n * 1000) / (before + after);
    const ratio = mirrorRate / baselineRate;
    const cpuPerJob = sweep.cpuMs / n;
    return [
      {
        figure: `trivial jobs end to end, embedded (SQLite, autorun, one \`true\` step), ${n.toLocaleString('en-US')} jobs`,
        mirror: fmtRate(mirrorRate, 'jobs/s'),
        baseline: fmtRate(baselineRate, 'jobs/s'),
        ratio: fmtRatio(ratio),
        target: '≥ 0.7×',
        verdict: sweep.failed > 0 ? 'error' : judge(ratio, '>=', 0.7),
        note:
          sweep.failed > 0
            ? `${sweep.failed} jobs did not finish: ${sweep.reasons.join('; ')}`
            : `Mirror's process used ${cpuPerJob.toFixed(1)} ms of CPU per job`,
        data: { jobs: n, ...sweep, baselineMs: [before, after], mirrorRate, baselineRate, ratio, cpuPerJob },
      },
    ];
  },
};
