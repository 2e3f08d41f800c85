import { openEventStream, type EventHandlers, type EventScope, type StreamStatus } from './events.js';
import { createHttp } from './http.js';
import type {
  CalcPackage,
  Dispatch,
  DispatchPreview,
  Job,
  JobDetail,
  JobFilter,
  JobPage,
  JobState,
  Machine,
  Project,
  ProjectFile,
  SeedReply,
  Series,
  SweepResults,
} from './types.js';

/** What a dispatch names: a project, a calc package and one of the project's para files. */
export interface DispatchRequest {
  readonly projectId: number;
  readonly packageId: number;
  readonly paraName: string;
}

export type BulkAction = 'kill' | 'delete' | 'rerun';

/** The query string of the defined values of `params`, with its `?` ('' when empty). */
function query(params: object): string {
  const pairs = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]): [string, string] => [k, String(v)]);
  const text = new URLSearchParams(pairs).toString();
  return text === '' ? '' : `?${text}`;
}

const enc = encodeURIComponent;

/**
 * The hub as the dashboard sees it: its REST API, the seed verbs through `/proxy` and
 * the event stream, all on the page's own origin with the page's token.
 */
export function createHubApi(token: string, onStreamStatus?: (status: StreamStatus) => void) {
  const http = createHttp(token);
  const { json } = http;
  return {
    link: http.link,
    projects: {
      list: async () => (await json<{ projects: Project[] }>('GET', '/api/projects')).projects,
      create: (name: string) =>
        json<{ project: Project; files: ProjectFile[] }>('POST', '/api/projects', { name }),
      get: (id: number) => json<{ project: Project; files: ProjectFile[] }>('GET', `/api/projects/${id}`),
      /** Uploads files into a project (multipart), each under its own name. */
      upload: async (id: number, files: readonly File[]) => {
        const form = new FormData();
        for (const file of files) form.append('file', file, file.name);
        const res = await http.request('POST', `/api/projects/${id}/files`, form);
        return ((await res.json()) as { files: ProjectFile[] }).files;
      },
      fileLink: (id: number, name: string) =>
        http.link(`/api/projects/${id}/files/${name.split('/').map(enc).join('/')}`),
    },
    packages: {
      list: async () => (await json<{ packages: CalcPackage[] }>('GET', '/api/packages')).packages,
      /** Registers a calc package from its zip. */
      upload: async (zip: Blob) =>
        (await (await http.request('POST', '/api/packages', zip, 'application/zip')).json()) as CalcPackage,
    },
    machines: async () => (await json<{ machines: Machine[] }>('GET', '/api/machines')).machines,
    dispatches: {
      preview: (request: DispatchRequest) => json<DispatchPreview>('POST', '/api/dispatch/preview', request),
      create: (request: DispatchRequest) => json<{ jobIds: number[] }>('POST', '/api/dispatch', request),
      list: async (filter: { project?: number; limit?: number } = {}) =>
        (await json<{ dispatches: Dispatch[] }>('GET', `/api/dispatches${query(filter)}`)).dispatches,
      results: (id: number) => json<SweepResults>('GET', `/api/dispatches/${id}/results`),
      csvLink: (id: number) => http.link(`/api/dispatches/${id}/results.csv`),
    },
    jobs: {
      list: (filter: JobFilter & { order?: 'newest' | 'oldest'; cursor?: number; limit?: number }) =>
        json<JobPage>('GET', `/api/jobs${query(filter)}`),
      counts: async (filter: { project?: number; dispatch?: number } = {}) =>
        (await json<{ counts: Record<JobState, number> }>('GET', `/api/jobs/counts${query(filter)}`)).counts,
      get: (id: number) => json<JobDetail>('GET', `/api/jobs/${id}`),
      series: (id: number, key: string) => json<Series>('GET', `/api/jobs/${id}/series/${enc(key)}`),
      /** A step's log from byte `offset`; `next` is where the following read starts. */
      log: async (id: number, step: string, offset: number) => {
        const res = await http.request('GET', `/api/jobs/${id}/logs/${enc(step)}?offset=${offset}`);
        return { text: await res.text(), next: Number(res.headers.get('x-next-offset') ?? offset) };
      },
      bulk: (request: { action: BulkAction; ids: readonly number[]; force?: boolean }) =>
        json<{ done: number[]; failed: { id: number; message: string }[] }>(
          'POST',
          '/api/jobs/bulk',
          request,
        ),
      rerun: (id: number) => json<Job>('POST', `/api/jobs/${id}/rerun`),
    },
    /** A seed verb through `/proxy`: `seed('jobrun_1', 'do', { job_id: 7 })` → `[code, value]`. */
    seed: async (service: string, method: string, kwargs: Record<string, string | number>) => {
      const res = await fetch(`/proxy/${enc(service)}-${enc(method)}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(kwargs),
      });
      return (await res.json()) as SeedReply;
    },
    /** Live events of a scope until the answered function is called. */
    events: (scope: EventScope, handlers: EventHandlers) =>
      openEventStream(http.link('/api/events', { ...scope }), handlers, onStreamStatus),
  };
}

export type HubApi = ReturnType<typeof createHubApi>;
