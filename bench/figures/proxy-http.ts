// `/proxy/job-getrid?job_id=1` on a real hub process (`mirror serve --no-agent`, SQLite
// store of 1,000 jobs) against a bare Fastify route answering a constant, each in its own
// process: autocannon from this process, 50 connections for 10 s (after a 1 s warm-up),
// requests/s and latency p50/p99 of every response; then the latency of one request at
// a time (no queueing), p50/p99.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import type { Figure } from '../lib/figure.js';
import { startHubProcess } from '../lib/hub-process.js';
import { startServer } from '../lib/processes.js';
import { both, fmtRatio, judge, type Row } from '../lib/report.js';
import { fmtMs, fmtRate, summarize, type Summary } from '../lib/stats.js';

const PATH = '/proxy/job-getrid?job_id=1';
const CONNECTIONS = 50;

interface Load {
  readonly perSecond: number;
  readonly latency: Summary;
  readonly errors: number;
}

export const proxyHttp: Figure = {
  name: 'proxy-http',
  async run({ quick, scope, log }) {
    const seconds = quick ? 2 : 10;
    const hub = await startHubProcess(scope, { jobs: 1000 });
    const bare = startServer(scope, 'bare-fastify', []);
    const bareUrl = (await bare.waitFor(/listening on (http:\/\/\S+)/))[1] ?? '';
    const answer = await getText(new Agent(), `${hub.url}${PATH}`);
    if (answer !== '[0,1]') throw new Error(`job.getrid answered ${answer}`);

    const mirrorLoad = await load(`${hub.url}${PATH}`, seconds);
    const bareLoad = await load(`${bareUrl}${PATH}`, seconds);
    log(
      `  Mirror ${mirrorLoad.perSecond.toFixed(0)} req/s, bare Fastify ${bareLoad.perSecond.toFixed(0)} req/s`,
    );
    const calls = quick ? 500 : 3000;
    const mirrorOne = await oneAtATime(`${hub.url}${PATH}`, calls);
    const bareOne = await oneAtATime(`${bareUrl}${PATH}`, calls);

    const ratio = mirrorLoad.perSecond / bareLoad.perSecond;
    const errors = mirrorLoad.errors + bareLoad.errors;
    const loadRow: Row = {
      figure: `\`${PATH}\`, ${CONNECTIONS} connections, ${seconds} s (req/s; p50/p99)`,
      mirror: `${fmtRate(mirrorLoad.perSecond, 'req/s')}; ${fmtMs(mirrorLoad.latency.p50)} / ${fmtMs(mirrorLoad.latency.p99)}`,
      baseline: `${fmtRate(bareLoad.perSecond, 'req/s')}; ${fmtMs(bareLoad.latency.p50)} / ${fmtMs(bareLoad.latency.p99)}`,
      ratio: fmtRatio(ratio),
      target: '≥ 0.6×, p50 < 1 ms',
      verdict: errors > 0 ? 'error' : both(judge(ratio, '>=', 0.6), judge(mirrorLoad.latency.p50, '<', 1)),
      note:
        `with ${CONNECTIONS} connections kept busy, a request waits for those queued before it: ` +
        `p50 ≈ ${CONNECTIONS} / throughput (${fmtMs((CONNECTIONS * 1000) / mirrorLoad.perSecond)} for Mirror, ` +
        `${fmtMs((CONNECTIONS * 1000) / bareLoad.perSecond)} for bare Fastify), so p50 < 1 ms needs over ` +
        `${(CONNECTIONS * 1000).toLocaleString('en-US')} req/s; the load generator shares the 2 cores` +
        (errors > 0 ? `; ${errors} errors or non-2xx answers` : ''),
      data: { seconds, connections: CONNECTIONS, mirror: mirrorLoad, baseline: bareLoad, ratio },
    };
    const oneRow: Row = {
      figure: `\`${PATH}\`, one request at a time (p50/p99)`,
      mirror: `${fmtMs(mirrorOne.p50)} / ${fmtMs(mirrorOne.p99)}`,
      baseline: `${fmtMs(bareOne.p50)} / ${fmtMs(bareOne.p99)}`,
      ratio: fmtRatio(mirrorOne.p50 / bareOne.p50),
      target: 'p50 < 1 ms',
      verdict: judge(mirrorOne.p50, '<', 1),
      data: { calls, mirror: mirrorOne, baseline: bareOne },
    };
    return [loadRow, oneRow];
  },
};

/** autocannon at `url` for a 1 s warm-up, then `seconds`; every response's latency kept. */
async function load(url: string, seconds: number): Promise<Load> {
  await autocannon({ url, connections: CONNECTIONS, duration: 1 });
  const latencies: number[] = [];
  const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
  });
  const result = await instance;
  return {
    perSecond: result['2xx'] / (result.duration || seconds),
    latency: summarize(latencies),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** `calls` GETs one after the other over one kept-alive connection; their latencies. */
async function oneAtATime(url: string, calls: number): Promise<Summary> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < 100; i++) await getText(agent, url);
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      await getText(agent, url);
      samples.push(performance.now() - start);
    }
    return summarize(samples);
  } finally {
    agent.destroy();
  }
}

function getText(agent: Agent, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}
