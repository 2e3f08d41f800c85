// From a solver writing a line to a watcher receiving it: a real `mirror serve` (hub and
// agent, autorun) runs a one-step job whose program appends `line <i> <epoch ns>` to a
// `Process` file every 47 ms (not a divisor of the agent's 100 ms tail, so the phase
// drifts); this process watches `/api/events` through the SDK and takes, for each line,
// the time it arrived minus the time stamped in it. p50/p95.
import { createClient } from '../../src/sdk/index.js';
import type { Figure } from '../lib/figure.js';
import { calcPackageDir } from '../lib/fixtures.js';
import { startHubProcess } from '../lib/hub-process.js';
import { judge } from '../lib/report.js';
import { fmtMs, summarize } from '../lib/stats.js';

const WRITER = `#!/bin/sh
# Appends "line <i> <epoch ns>" to lines.log n times, pausing between lines.
n=$1
pause=$2
i=1
while [ "$i" -le "$n" ]; do
  echo "line $i $(date +%s%N)" >> lines.log
  sleep "$pause"
  i=$((i + 1))
done
`;

const ADAPTER = [
  '<ExeArgument id="write" type="shell" value="write-lines {n} {pause}" priority="1"/>',
  '<Process key="lines" file="lines.log"/>',
].join('\n');

export const sseLatency: Figure = {
  name: 'sse-latency',
  async run({ quick, scope, log }) {
    const lines = quick ? 40 : 200;
    const packageDir = await calcPackageDir(scope, ADAPTER, { 'write-lines': WRITER });
    const hub = await startHubProcess(scope, {
      jobs: 0,
      withAgent: true,
      sets: { 'packages.allowDirectories': 'true' },
    });
    const client = createClient({ baseUrl: hub.url });
    const pkg = await client.packages.registerDirectory(packageDir);
    const { project } = await client.projects.create('sse');
    const para = `<Para><Param name="n" value="${lines}"/><Param name="pause" value="0.047"/></Para>`;
    await client.projects.putFile(project.id, 'para.xml', new TextEncoder().encode(para));

    const abort = new AbortController();
    scope.defer(() => abort.abort());
    const events = await client.events({ project: project.id }, abort.signal);
    const { jobIds } = await client.dispatch(project.id, pkg.id);
    const latencies: number[] = [];
    let ended = '';
    for await (const event of events) {
      if (event.type === 'line') {
        const now = performance.timeOrigin + performance.now();
        for (const line of event.lines) {
          const stamp = /^line \d+ (\d+)$/.exec(line)?.[1];
          if (stamp !== undefined) latencies.push(now - Number(BigInt(stamp) / 1000n) / 1000);
        }
      }
      if (event.type === 'state' && ['finished', 'failed', 'killed'].includes(event.state)) {
        ended = `${event.state} (${event.reason})`;
        break;
      }
    }
    abort.abort();
    log(`  job ${jobIds.join(',')} ${ended}; ${latencies.length} of ${lines} lines seen`);
    const s = summarize(latencies);
    const complete = latencies.length === lines && ended.startsWith('finished');
    return [
      {
        figure: 'solver line written → event received on SSE (p50/p95), embedded `mirror serve`',
        mirror: `${fmtMs(s.p50)} / ${fmtMs(s.p95)}`,
        baseline: '-',
        ratio: '-',
        target: 'p95 ≤ 250 ms',
        verdict: complete ? judge(s.p95, '<=', 250) : 'error',
        ...(complete ? {} : { note: `job ${ended}; ${latencies.length} of ${lines} lines received` }),
        data: { lines, received: latencies.length, latency: s },
      },
    ];
  },
};
