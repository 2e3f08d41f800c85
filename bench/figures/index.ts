// Every figure of the suite, in the order they run.
import type { Figure } from '../lib/figure.js';
import { dispatch } from './dispatch.js';
import { listJobs } from './list-jobs.js';
import { overheadGrowth } from './overhead-growth.js';
import { proxyHttp } from './proxy-http.js';
import { rpc } from './rpc.js';
import { rss } from './rss.js';
import { scaledOut } from './scaled-out.js';
import { sseLatency } from './sse-latency.js';
import { trivialJobs } from './trivial-jobs.js';

export const figures: readonly Figure[] = [
  dispatch,
  trivialJobs,
  scaledOut,
  proxyHttp,
  rpc,
  sseLatency,
  listJobs,
  overheadGrowth,
  rss,
];
