import type { Reply } from '../core/index.js';
import type { JobState } from '../job/index.js';
import { MirrorApiError } from './errors.js';
import { openEvents, type StreamEvent } from './events.js';
import { queryOf } from './query.js';
import type {
  CalcPackage,
  Dispatch,
  DispatchPreview,
  Job,
  JobDetail,
  JobFilter,
  Machine,
  Project,
  ProjectFile,
  SweepResults,
} from './types.js';

export type * from './types.js';

export interface MirrorClientOptions {
  /** The hub's address, e.g. `http://127.0.0.1:8000`. */
  readonly baseUrl: string;
  /** The hub's token, when it has one. */
  readonly token?: string;
}

/**
 * The typed client of a Mirror hub: the seed verbs through `/proxy` (`call`) and the REST
 * API. Failures of the REST API throw MirrorApiError; seed verbs answer `[code, value]`.
 */
export function createClient(options: MirrorClientOptions) {
  const base = options.baseUrl.replace(/\/$/, '');
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};

  async function request(
    method: string,
    path: string,
    body?: { json: unknown } | { bytes: Uint8Array; type: string },
  ): Promise<Response> {
    const headers: Record<string, string> = { ...auth };
    let payload: string | Uint8Array | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = body.type;
      payload = body.bytes;
    }
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    if (!res.ok) {
      const text = await res.text();
      let error: { code?: string; message?: string } = {};
      try {
        error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
      } catch {
        error = { message: text };
      }
      throw new MirrorApiError(res.status, error.code ?? 'HTTP', error.message ?? `HTTP ${res.status}`);
    }
    return res;
  }
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
    (await request(method, path, body === undefined ? undefined : { json: body })).json() as Promise<T>;
  const enc = encodeURIComponent;
  const filePath = (name: string) => name.split('/').map(enc).join('/');

  return {
    baseUrl: base,
    /** A seed verb, as the original's `/proxy` takes it: `call('jobrun_1', 'do', { job_id: 7 })`. */
    async call(
      service: string,
      method: string,
      kwargs: Record<string, string | number | null> = {},
    ): Promise<Reply<unknown>> {
      const res = await request('POST', `/proxy/${enc(service)}-${enc(method)}`, { json: kwargs });
      return (await res.json()) as Reply<unknown>;
    },
    projects: {
      list: async () => (await json<{ projects: Project[] }>('GET', '/api/projects')).projects,
      create: (name: string) =>
        json<{ project: Project; files: ProjectFile[] }>('POST', '/api/projects', { name }),
      get: (id: number) => json<{ project: Project; files: ProjectFile[] }>('GET', `/api/projects/${id}`),
      /** Deletes a project; one that jobs use only with `force`. */
      delete: (id: number, force = false) =>
        json<{ ok: true }>('DELETE', `/api/projects/${id}${force ? '?force=1' : ''}`),
      putFile: async (id: number, name: string, bytes: Uint8Array) =>
        (
          await request('PUT', `/api/projects/${id}/files/${filePath(name)}`, {
            bytes,
            type: 'application/octet-stream',
          })
        ).json() as Promise<ProjectFile>,
      readFile: async (id: number, name: string) =>
        new Uint8Array(
          await (await request('GET', `/api/projects/${id}/files/${filePath(name)}`)).arrayBuffer(),
        ),
      deleteFile: (id: number, name: string) =>
        json<{ ok: true }>('DELETE', `/api/projects/${id}/files/${filePath(name)}`),
    },
    packages: {
      list: async () => (await json<{ packages: CalcPackage[] }>('GET', '/api/packages')).packages,
      /** Registers a calc package from the bytes of its zip. */
      upload: async (zip: Uint8Array) =>
        (
          await request('POST', '/api/packages', { bytes: zip, type: 'application/zip' })
        ).json() as Promise<CalcPackage>,
      /** Registers a directory on the hub's own disk (the hub must allow it: packages.allowDirectories). */
      registerDirectory: (dir: string) => json<CalcPackage>('POST', '/api/packages/directory', { dir }),
      get: (id: number) => json<CalcPackage>('GET', `/api/packages/${id}`),
      /** Deletes a calc package; one that jobs use only with `force`. */
      delete: (id: number, force = false) =>
        json<{ ok: true }>('DELETE', `/api/packages/${id}${force ? '?force=1' : ''}`),
    },
    machines: async () => (await json<{ machines: Machine[] }>('GET', '/api/machines')).machines,
    dispatch: (projectId: number, packageId: number, paraName = 'para.xml') =>
      json<{ jobIds: number[] }>('POST', '/api/dispatch', { projectId, packageId, paraName }),
    /** What a dispatch would make (how many jobs, which parameters vary), changing nothing. */
    previewDispatch: (projectId: number, packageId: number, paraName = 'para.xml') =>
      json<DispatchPreview>('POST', '/api/dispatch/preview', { projectId, packageId, paraName }),
    dispatches: {
      list: async (filter: { project?: number; limit?: number } = {}) => {
        const query = queryOf(filter);
        return (await json<{ dispatches: Dispatch[] }>('GET', `/api/dispatches${query ? `?${query}` : ''}`))
          .dispatches;
      },
      /** Every job of the dispatch with its varied parameters and Output scalars. */
      results: (id: number) => json<SweepResults>('GET', `/api/dispatches/${id}/results`),
      /** The same results as CSV text. */
      resultsCsv: async (id: number) => (await request('GET', `/api/dispatches/${id}/results.csv`)).text(),
    },
    jobs: {
      list: (filter: JobFilter = {}) => {
        const query = queryOf(filter);
        return json<{ jobs: Job[]; next: number | null }>('GET', `/api/jobs${query ? `?${query}` : ''}`);
      },
      get: (id: number) => json<JobDetail>('GET', `/api/jobs/${id}`),
      /** How many jobs are in each state, of a project, a dispatch or all. */
      counts: async (filter: { project?: number; dispatch?: number } = {}) => {
        const query = queryOf(filter);
        return (
          await json<{ counts: Record<JobState, number> }>(
            'GET',
            `/api/jobs/counts${query ? `?${query}` : ''}`,
          )
        ).counts;
      },
      /** A process file as numeric series: column names, rows (the first column is x). */
      series: (id: number, key: string) =>
        json<{ key: string; columns: string[]; rows: number[][] }>(
          'GET',
          `/api/jobs/${id}/series/${enc(key)}`,
        ),
      rerun: (id: number) => json<Job>('POST', `/api/jobs/${id}/rerun`),
      kill: (id: number) => json<{ ok: true }>('POST', `/api/jobs/${id}/kill`),
      delete: (id: number, force = false) =>
        json<{ ok: true }>('DELETE', `/api/jobs/${id}?force=${force ? 1 : 0}`),
      editParams: (id: number, params: Record<string, string>) =>
        json<Job>('PUT', `/api/jobs/${id}/params`, { params }),
      /** Kill, delete or rerun jobs by id or by a selector; answers which were done and which failed. */
      bulk: (request: {
        action: 'kill' | 'delete' | 'rerun';
        force?: boolean;
        ids?: number[];
        selector?: Omit<JobFilter, 'order' | 'cursor' | 'limit'>;
      }) =>
        json<{ done: number[]; failed: { id: number; message: string }[] }>(
          'POST',
          '/api/jobs/bulk',
          request,
        ),
      /** A step's log from `offset`; `next` is where the following call starts. */
      log: async (id: number, step: string, offset = 0) => {
        const res = await request('GET', `/api/jobs/${id}/logs/${enc(step)}?offset=${offset}`);
        return { text: await res.text(), next: Number(res.headers.get('x-next-offset') ?? offset) };
      },
    },
    /**
     * Live events (filtered by job or project), until `signal` aborts. Resolves once the
     * hub is sending: what happens after that is not missed, or a `gap` event says so.
     */
    events: (
      filter: { job?: number; project?: number } = {},
      signal?: AbortSignal,
    ): Promise<AsyncIterable<StreamEvent>> => openEvents(base, auth, filter, signal),
  };
}

export type MirrorClient = ReturnType<typeof createClient>;
