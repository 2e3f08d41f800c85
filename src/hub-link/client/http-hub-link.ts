import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { toMirrorError } from '../../core/index.js';
import type { CalcPackage, Job, JobStep, JobTransition, ProjectFile } from '../../store/index.js';
import type { HubLink } from '../hub-link.js';
import { createBlobCache, hashFile } from './blob-cache.js';
import { hubFetch, hubJson, RetryableFailure, type HubAddress } from './hub-requests.js';
import { createLineBatches } from './line-batches.js';

export interface HttpHubLinkOptions extends HubAddress {
  /** This machine's directory for cached blobs and upload snapshots. */
  readonly cacheDir: string;
  /** How often buffered process-file lines are sent, ms. */
  readonly linesEveryMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * The hub over its HTTP address, for an agent on another host (`mirror agent --hub`):
 * no database access, blobs fetched by sha256 and cached, process and result files
 * uploaded, lines of process files sent in batches. A hub that is down or restarting
 * is retried (see hubFetch); a state change whose reply was lost is checked against
 * the job before it is sent again, so it is never applied twice.
 */
export function createHttpHubLink(options: HttpHubLinkOptions): HubLink {
  const hub: HubAddress = {
    url: options.url.replace(/\/+$/, ''),
    credential: options.credential,
    retryMs: options.retryMs,
  };
  const log = options.log ?? (() => {});
  const blobs = createBlobCache(hub, join(options.cacheDir, 'blobs'));
  const json = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
    hubJson<T>(hub, { method, path, ...(body !== undefined ? { json: body } : {}) });
  const getJob = async (jobId: number) =>
    (await json<{ job: Job | null }>('GET', `/jobs/${jobId}`)).job ?? undefined;

  let linesFailing = false;
  const lines = createLineBatches((events) =>
    json('POST', '/lines', { events }).then(
      () => {
        linesFailing = false;
      },
      (err: unknown) => {
        // Lines are for live watchers: ones the hub could not take are dropped.
        if (!linesFailing) log(`process-file lines not delivered: ${toMirrorError(err).message}`);
        linesFailing = true;
      },
    ),
  );
  const timer = setInterval(() => void lines.flush(), options.linesEveryMs ?? 50);
  timer.unref();

  return {
    seesRunDirs: false,
    getJob,
    async transitionJob(jobId, t) {
      const deadline = Date.now() + hub.retryMs;
      for (let attempt = 0; ; attempt++) {
        try {
          const reply = await hubJson<{ job: Job | null }>(hub, {
            method: 'POST',
            path: `/jobs/${jobId}/transition`,
            json: t,
            once: true,
          });
          return reply.job ?? undefined;
        } catch (err) {
          if (!(err instanceof RetryableFailure)) throw err;
          // The change may have been applied before the reply was lost: ask the job.
          const job = await getJob(jobId);
          if (job && appliedAlready(job, t)) return job;
          if (!job || !t.from.includes(job.state)) return undefined;
          if (Date.now() >= deadline) throw err.error;
          log(`job ${jobId}: ${err.message}; trying the change to ${t.to} again`);
          await sleep(Math.min(2000, 100 * 2 ** attempt));
        }
      }
    },
    listJobsOnRid: async (rid, states) =>
      (await json<{ jobs: Job[] }>('GET', `/machines/${rid}/jobs?states=${states.join(',')}`)).jobs,
    listJobSteps: async (jobId) => (await json<{ steps: JobStep[] }>('GET', `/jobs/${jobId}/steps`)).steps,
    resetJobSteps: async (jobId, steps) => {
      await json('PUT', `/jobs/${jobId}/steps`, { steps });
    },
    updateJobStep: async (jobId, stepId, patch) => {
      await json('PATCH', `/jobs/${jobId}/steps/${encodeURIComponent(stepId)}`, patch);
    },
    putJobItems: async (jobId, items) => {
      await json('PUT', `/jobs/${jobId}/items`, { items });
    },
    deleteJobRecords: async (jobId) => {
      await json('DELETE', `/jobs/${jobId}`);
    },
    getCalcPackage: async (packageId) =>
      (await json<{ calcPackage: CalcPackage | null }>('GET', `/calc-packages/${packageId}`)).calcPackage ??
      undefined,
    listProjectFiles: async (projectId) =>
      (await json<{ files: ProjectFile[] }>('GET', `/projects/${projectId}/files`)).files,
    blobPath: (sha256) => blobs.pathOf(sha256),

    // A snapshot first: a process file may grow while it is sent.
    async putFile(path) {
      const tmpDir = join(options.cacheDir, 'uploads');
      await mkdir(tmpDir, { recursive: true });
      const snapshot = join(tmpDir, randomBytes(8).toString('hex'));
      try {
        await copyFile(path, snapshot);
        const { sha256, size } = await hashFile(snapshot);
        const known = await hubFetch(hub, { method: 'HEAD', path: `/blobs/${sha256}` }).then(
          () => true,
          () => false,
        );
        if (!known) {
          await hubFetch(hub, {
            method: 'PUT',
            path: `/blobs/${sha256}`,
            body: () => ({
              stream: Readable.toWeb(createReadStream(snapshot)),
              length: size,
            }),
          });
        }
        return { sha256, size };
      } finally {
        await rm(snapshot, { force: true });
      }
    },

    heartbeat: async (report) => {
      await json('POST', '/heartbeat', report);
    },
    publishLines(event) {
      lines.add(event);
    },
    async close() {
      clearInterval(timer);
      await lines.drain();
    },
  };
}

/** True when the job already shows the change `t` would make. */
function appliedAlready(job: Job, t: JobTransition): boolean {
  if (job.state !== t.to) return false;
  if (t.rid !== undefined && job.rid !== t.rid) return false;
  if (t.onRid !== undefined && job.rid !== t.onRid) return false;
  return t.path === undefined || job.path === t.path;
}
