import { openEvents, type StreamEvent } from './events.js';
import { hubHttp } from './http.js';
import { withQuery } from './query.js';
import type {
  BulkOutcome,
  BulkRequest,
  CalcPackage,
  DispatchFilter,
  DispatchList,
  DispatchMade,
  DispatchPreview,
  DispatchRequest,
  Job,
  JobCounts,
  JobCountsFilter,
  JobDetail,
  JobFilter,
  JobPage,
  MachineList,
  PackageList,
  ProjectFile,
  ProjectList,
  ProjectWithFiles,
  SeedReply,
  Series,
  SweepResults,
  UploadedFiles,
} from './types.js';

export type * from './types.js';

export interface MirrorClientOptions {
  /**
   * The hub's address, e.g. `http://127.0.0.1:8000`; '' in a page the hub served (the
   * dashboard), for the page's own origin.
   */
  readonly baseUrl: string;
  /** The hub's token, when it has one. */
  readonly token?: string;
}

/** A file to upload into a project: its bytes and its name there (a browser's File is one). */
export type UploadFile = Blob & { readonly name: string };

type Ok = { ok: true };

const dispatchOf = (projectId: number, packageId: number, paraName: string): DispatchRequest => ({
  projectId,
  packageId,
  paraName,
});

/**
 * The typed client of a Mirror hub: the seed verbs through `/proxy` (`call`) and the REST
 * API, in Node and in a browser. Failures of the REST API throw MirrorApiError; seed verbs
 * answer `[code, value]`.
 */
export function createClient(options: MirrorClientOptions) {
  const base = options.baseUrl.replace(/\/$/, '');
  const http = hubHttp(base, options.token);
  const { json, request } = http;
  const enc = encodeURIComponent;
  const filePath = (id: number, name: string) =>
    `/api/projects/${id}/files/${name.split('/').map(enc).join('/')}`;
  const force = (yes: boolean) => (yes ? '?force=1' : '');

  return {
    baseUrl: base,
    /** `path` on the hub as a link a browser follows by itself: the token rides as `?token=`. */
    link: http.link,
    /** A seed verb, as the original's `/proxy` takes it: `call('jobrun_1', 'do', { job_id: 7 })`. */
    async call(
      service: string,
      method: string,
      kwargs: Record<string, string | number | null> = {},
    ): Promise<SeedReply> {
      const res = await request('POST', `/proxy/${enc(service)}-${enc(method)}`, { json: kwargs });
      return (await res.json()) as SeedReply;
    },
    projects: {
      list: async () => (await json<ProjectList>('GET', '/api/projects')).projects,
      create: (name: string) => json<ProjectWithFiles>('POST', '/api/projects', { name }),
      get: (id: number) => json<ProjectWithFiles>('GET', `/api/projects/${id}`),
      /** Deletes a project; one that jobs use only with `force`. */
      delete: (id: number, yes = false) => json<Ok>('DELETE', `/api/projects/${id}${force(yes)}`),
      putFile: async (id: number, name: string, bytes: Uint8Array) =>
        (
          await request('PUT', filePath(id, name), { bytes, type: 'application/octet-stream' })
        ).json() as Promise<ProjectFile>,
      /** Uploads files in one multipart request, each under its own name (all or none). */
      upload: async (id: number, files: readonly UploadFile[]) => {
        const form = new FormData();
        for (const file of files) form.append('file', file, file.name);
        return (
          (await (await request('POST', `/api/projects/${id}/files`, { form })).json()) as UploadedFiles
        ).files;
      },
      readFile: async (id: number, name: string) =>
        new Uint8Array(await (await request('GET', filePath(id, name))).arrayBuffer()),
      /** A project file as a link a browser can open. */
      fileLink: (id: number, name: string) => http.link(filePath(id, name)),
      deleteFile: (id: number, name: string) => json<Ok>('DELETE', filePath(id, name)),
    },
    packages: {
      list: async () => (await json<PackageList>('GET', '/api/packages')).packages,
      /** Registers a calc package from its zip. */
      upload: async (zip: Uint8Array | Blob) =>
        (
          await request('POST', '/api/packages', { bytes: zip, type: 'application/zip' })
        ).json() as Promise<CalcPackage>,
      /** Registers a directory on the hub's own disk (the hub must allow it: packages.allowDirectories). */
      registerDirectory: (dir: string) => json<CalcPackage>('POST', '/api/packages/directory', { dir }),
      get: (id: number) => json<CalcPackage>('GET', `/api/packages/${id}`),
      /** Deletes a calc package; one that jobs use only with `force`. */
      delete: (id: number, yes = false) => json<Ok>('DELETE', `/api/packages/${id}${force(yes)}`),
    },
    machines: async () => (await json<MachineList>('GET', '/api/machines')).machines,
    /** One queued job per para state of the project's para file (all or nothing). */
    dispatch: (projectId: number, packageId: number, paraName = 'para.xml') =>
      json<DispatchMade>('POST', '/api/dispatch', dispatchOf(projectId, packageId, paraName)),
    /** What a dispatch would make (how many jobs, which parameters vary), changing nothing. */
    previewDispatch: (projectId: number, packageId: number, paraName = 'para.xml') =>
      json<DispatchPreview>('POST', '/api/dispatch/preview', dispatchOf(projectId, packageId, paraName)),
    dispatches: {
      list: async (filter: DispatchFilter = {}) =>
        (await json<DispatchList>('GET', withQuery('/api/dispatches', filter))).dispatches,
      /** Every job of the dispatch with its varied parameters and Output scalars. */
      results: (id: number) => json<SweepResults>('GET', `/api/dispatches/${id}/results`),
      /** The same results as CSV text. */
      resultsCsv: async (id: number) => (await request('GET', `/api/dispatches/${id}/results.csv`)).text(),
      /** The CSV as a link a browser can download. */
      resultsCsvLink: (id: number) => http.link(`/api/dispatches/${id}/results.csv`),
    },
    jobs: {
      list: (filter: JobFilter = {}) => json<JobPage>('GET', withQuery('/api/jobs', filter)),
      get: (id: number) => json<JobDetail>('GET', `/api/jobs/${id}`),
      /** How many jobs are in each state, of a project, a dispatch or all. */
      counts: async (filter: JobCountsFilter = {}) =>
        (await json<JobCounts>('GET', withQuery('/api/jobs/counts', filter))).counts,
      /** A process file as numeric series: column names, rows (the first column is x). */
      series: (id: number, key: string) => json<Series>('GET', `/api/jobs/${id}/series/${enc(key)}`),
      rerun: (id: number) => json<Job>('POST', `/api/jobs/${id}/rerun`),
      kill: (id: number) => json<Ok>('POST', `/api/jobs/${id}/kill`),
      delete: (id: number, yes = false) => json<Ok>('DELETE', `/api/jobs/${id}?force=${yes ? 1 : 0}`),
      editParams: (id: number, params: Record<string, string>) =>
        json<Job>('PUT', `/api/jobs/${id}/params`, { params }),
      /** Kill, delete or rerun jobs by id or by a selector; answers which were done and which failed. */
      bulk: (what: BulkRequest) => json<BulkOutcome>('POST', '/api/jobs/bulk', what),
      /** A step's log from byte `offset`; `next` is where the following call starts. */
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
    ): Promise<AsyncIterable<StreamEvent>> => openEvents(http, filter, signal),
    /** The event stream's address, for a browser's EventSource (which resumes by itself). */
    eventsLink: (filter: { job?: number; project?: number } = {}) => http.link('/api/events', filter),
  };
}

export type MirrorClient = ReturnType<typeof createClient>;
