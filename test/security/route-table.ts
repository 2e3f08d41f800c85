// Every route of the gateway, as the attacker's suite knows it: how to aim at it with the
// fixture's ids, what its path parameters are and how a hostile value in each is
// answered, what bodies it takes, how it treats unknown query keys. The suite fails when
// the running gateway has a route this table lacks (or the table one it lacks).
import type { Fixture } from './deployments.js';

/** A refusal as the route answers it: its status and catalog error (`[-1, message]` on /proxy). */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** How a path parameter answers a hostile value (a prototype name, a traversal), decoded. */
export type ParamKind = (value: string, f: Fixture) => Refusal;

export interface RouteCase {
  /** The route's path for the fixture; `p` replaces a parameter's value (raw, as sent). */
  readonly path: (f: Fixture, p?: Readonly<Record<string, string>>) => string;
  /** Its path parameters and how each answers a hostile value. */
  readonly params?: Readonly<Record<string, ParamKind>>;
  /** The media types it takes (default: JSON). */
  readonly accepts?: readonly string[];
  /** An HTML page: a link from elsewhere may open it. */
  readonly page?: true;
  /** Unknown query keys: refused like any bad input, or (links, files, agents) not read at all. */
  readonly query: 'refused' | 'not read' | 'arguments';
}

const apiId =
  (name: string): ParamKind =>
  () => ({
    status: 400,
    code: 'API_INVALID',
    message: `path parameter ${name}: expected a positive integer (decimal digits)`,
  });
const asset: ParamKind = (value) => ({
  status: 404,
  code: 'ASSET_NOT_FOUND',
  message: `no asset ${JSON.stringify(value)}`,
});
const sha256: ParamKind = () => ({
  status: 400,
  code: 'API_INVALID',
  message: 'path parameter sha256: expected a sha256 (64 lowercase hex digits)',
});
const projectFile: ParamKind = (value, f) => ({
  status: 404,
  code: 'PROJECT_FILE_NOT_FOUND',
  message: `project file ${value} is not in project ${f.projectId}`,
});
const noFileBytes: ParamKind = () => ({
  status: 400,
  code: 'BAD_REQUEST',
  message: 'bad request: the body is not the file’s bytes',
});
const noStepPatch: ParamKind = () => ({
  status: 400,
  code: 'BAD_REQUEST',
  message: 'bad request: body: Invalid input: expected object, received undefined',
});
const stepNotRun: ParamKind = (value, f) => ({
  status: 404,
  code: 'FILE_ITEM_GONE',
  message: `job ${f.jobId} log file ${value} (.mirror/logs/${value}.log) cannot be served: the step has not run`,
});
const seriesKey: ParamKind = (value, f) => ({
  status: 404,
  code: 'FILE_ITEM_NOT_FOUND',
  message: `job ${f.jobId} has no "process" file ${JSON.stringify(value)}`,
});
const fileJob: ParamKind = (value) => ({
  status: 404,
  code: 'JOB_NOT_FOUND',
  message: `job is not existed , job : ${value}`,
});
const fileSection: ParamKind = (value, f) => ({
  status: 404,
  code: 'FILE_ITEM_NOT_FOUND',
  message: `job ${f.jobId} has no ${JSON.stringify(value)} file "summary"`,
});
const fileKey: ParamKind = (value, f) => ({
  status: 404,
  code: 'FILE_ITEM_NOT_FOUND',
  message: `job ${f.jobId} has no "result" file ${JSON.stringify(value)}`,
});
/** `/proxy/<call>`: a name with no `-<method>` is not a call at all. */
const proxyCall: ParamKind = (value) => {
  const dash = value.lastIndexOf('-');
  if (dash < 1 || dash === value.length - 1) {
    return {
      status: 200,
      code: 'PROXY_PATH',
      message: `/proxy path must be <service>-<method>, got ${JSON.stringify(value)}`,
    };
  }
  const service = value.slice(0, dash);
  if (service === 'job') {
    const method = value.slice(dash + 1);
    return { status: 200, code: 'METHOD_UNKNOWN', message: `unknown method ${method} of service job` };
  }
  return { status: 200, code: 'SERVICE_UNKNOWN', message: `unknown service ${service}` };
};

const id = (name: string) => ({ [name]: apiId(name) });
const at = (p: Readonly<Record<string, string>> | undefined, name: string, value: number | string) =>
  p?.[name] ?? String(value);

/** The table: one entry per `METHOD /url` the gateway registers. */
export const ROUTES: Readonly<Record<string, RouteCase>> = {
  'GET /proxy/:call': {
    path: (f, p) => `/proxy/${at(p, 'call', 'job-getrid')}?job_id=${f.jobId}`,
    params: { call: proxyCall },
    query: 'arguments',
  },
  'POST /proxy/:call': {
    path: (f, p) => `/proxy/${at(p, 'call', 'job-getrid')}?job_id=${f.jobId}`,
    params: { call: proxyCall },
    accepts: ['application/x-www-form-urlencoded', 'application/json'],
    query: 'arguments',
  },
  'GET /files/jobs/:jobId/:section/:key': {
    path: (f, p) =>
      `/files/jobs/${at(p, 'jobId', f.jobId)}/${at(p, 'section', 'result')}/${at(p, 'key', 'summary')}`,
    params: { jobId: fileJob, section: fileSection, key: fileKey },
    query: 'not read',
  },
  'GET /api/events': { path: (f) => `/api/events?job=${f.jobId}`, query: 'refused' },
  'GET /api/projects': { path: () => '/api/projects', query: 'refused' },
  'POST /api/projects': { path: () => '/api/projects', query: 'refused' },
  'GET /api/projects/:id': {
    path: (f, p) => `/api/projects/${at(p, 'id', f.projectId)}`,
    params: id('id'),
    query: 'refused',
  },
  'DELETE /api/projects/:id': {
    path: (f, p) => `/api/projects/${at(p, 'id', f.projectId)}`,
    params: id('id'),
    query: 'refused',
  },
  'PUT /api/projects/:id/files/*': {
    path: (f, p) => `/api/projects/${f.projectId}/files/${at(p, '*', 'para.xml')}`,
    params: { '*': noFileBytes },
    accepts: ['application/octet-stream'],
    query: 'refused',
  },
  'POST /api/projects/:id/files': {
    path: (f, p) => `/api/projects/${at(p, 'id', f.projectId)}/files`,
    params: id('id'),
    accepts: ['multipart/form-data'],
    query: 'refused',
  },
  'GET /api/projects/:id/files/*': {
    path: (f, p) => `/api/projects/${f.projectId}/files/${at(p, '*', 'para.xml')}`,
    params: { '*': projectFile },
    query: 'refused',
  },
  'DELETE /api/projects/:id/files/*': {
    path: (f, p) => `/api/projects/${f.projectId}/files/${at(p, '*', 'para.xml')}`,
    params: { '*': projectFile },
    query: 'refused',
  },
  'GET /api/packages': { path: () => '/api/packages', query: 'refused' },
  'POST /api/packages': {
    path: () => '/api/packages',
    accepts: ['application/zip', 'application/octet-stream'],
    query: 'refused',
  },
  'POST /api/packages/directory': { path: () => '/api/packages/directory', query: 'refused' },
  'GET /api/packages/:id': {
    path: (f, p) => `/api/packages/${at(p, 'id', f.packageId)}`,
    params: id('id'),
    query: 'refused',
  },
  'DELETE /api/packages/:id': {
    path: (f, p) => `/api/packages/${at(p, 'id', f.packageId)}`,
    params: id('id'),
    query: 'refused',
  },
  'POST /api/dispatch': { path: () => '/api/dispatch', query: 'refused' },
  'POST /api/dispatch/preview': { path: () => '/api/dispatch/preview', query: 'refused' },
  'GET /api/dispatches': { path: () => '/api/dispatches', query: 'refused' },
  'GET /api/dispatches/:id/results': {
    path: (f, p) => `/api/dispatches/${at(p, 'id', f.dispatchId)}/results`,
    params: id('id'),
    query: 'refused',
  },
  'GET /api/dispatches/:id/results.csv': {
    path: (f, p) => `/api/dispatches/${at(p, 'id', f.dispatchId)}/results.csv`,
    params: id('id'),
    query: 'refused',
  },
  'GET /api/jobs': { path: () => '/api/jobs', query: 'refused' },
  'GET /api/jobs/counts': { path: () => '/api/jobs/counts', query: 'refused' },
  'GET /api/jobs/:id': {
    path: (f, p) => `/api/jobs/${at(p, 'id', f.jobId)}`,
    params: id('id'),
    query: 'refused',
  },
  'GET /api/jobs/:id/logs/:step': {
    path: (f, p) => `/api/jobs/${f.jobId}/logs/${at(p, 'step', 'mesh')}`,
    params: { step: stepNotRun },
    query: 'refused',
  },
  'GET /api/jobs/:id/series/:key': {
    path: (f, p) => `/api/jobs/${f.jobId}/series/${at(p, 'key', 'residuals')}`,
    params: { key: seriesKey },
    query: 'refused',
  },
  'POST /api/jobs/:id/rerun': {
    path: (f, p) => `/api/jobs/${at(p, 'id', f.jobId)}/rerun`,
    params: id('id'),
    query: 'refused',
  },
  'POST /api/jobs/:id/kill': {
    path: (f, p) => `/api/jobs/${at(p, 'id', f.jobId)}/kill`,
    params: id('id'),
    query: 'refused',
  },
  'DELETE /api/jobs/:id': {
    path: (f, p) => `/api/jobs/${at(p, 'id', f.jobId)}`,
    params: id('id'),
    query: 'refused',
  },
  'PUT /api/jobs/:id/params': {
    path: (f, p) => `/api/jobs/${at(p, 'id', f.jobId)}/params`,
    params: id('id'),
    query: 'refused',
  },
  'POST /api/jobs/bulk': { path: () => '/api/jobs/bulk', query: 'refused' },
  'GET /api/machines': { path: () => '/api/machines', query: 'refused' },
  'GET /api/openapi.json': { path: () => '/api/openapi.json', query: 'not read' },
  'GET /api/docs': { path: () => '/api/docs', page: true, query: 'not read' },
  'GET /api/docs/:asset': {
    path: (_f, p) => `/api/docs/${at(p, 'asset', 'init.js')}`,
    params: { asset },
    query: 'not read',
  },
  'GET /': { path: () => '/', page: true, query: 'not read' },
  'GET /dashboard/:asset': {
    path: (_f, p) => `/dashboard/${at(p, 'asset', 'app.css')}`,
    params: { asset },
    query: 'not read',
  },
  'GET /agent/blobs/:sha256': {
    path: (f, p) => `/agent/blobs/${at(p, 'sha256', f.blob)}`,
    params: { sha256 },
    query: 'not read',
  },
  'PUT /agent/blobs/:sha256': {
    path: (f, p) => `/agent/blobs/${at(p, 'sha256', f.blob)}`,
    params: { sha256 },
    accepts: ['application/octet-stream'],
    query: 'not read',
  },
  'GET /agent/jobs/:jobId': {
    path: (f, p) => `/agent/jobs/${at(p, 'jobId', f.jobId)}`,
    params: id('jobId'),
    query: 'not read',
  },
  'POST /agent/jobs/:jobId/transition': {
    path: (f, p) => `/agent/jobs/${at(p, 'jobId', f.jobId)}/transition`,
    params: id('jobId'),
    query: 'not read',
  },
  'GET /agent/machines/:rid/jobs': {
    path: (_f, p) => `/agent/machines/${at(p, 'rid', 1)}/jobs?states=running`,
    params: id('rid'),
    query: 'not read',
  },
  'GET /agent/jobs/:jobId/steps': {
    path: (f, p) => `/agent/jobs/${at(p, 'jobId', f.jobId)}/steps`,
    params: id('jobId'),
    query: 'not read',
  },
  'PUT /agent/jobs/:jobId/steps': {
    path: (f, p) => `/agent/jobs/${at(p, 'jobId', f.jobId)}/steps`,
    params: id('jobId'),
    query: 'not read',
  },
  'PATCH /agent/jobs/:jobId/steps/:stepId': {
    path: (f, p) => `/agent/jobs/${at(p, 'jobId', f.jobId)}/steps/${at(p, 'stepId', 'mesh')}`,
    params: { ...id('jobId'), stepId: noStepPatch },
    query: 'not read',
  },
  'PUT /agent/jobs/:jobId/items': {
    path: (f, p) => `/agent/jobs/${at(p, 'jobId', f.jobId)}/items`,
    params: id('jobId'),
    query: 'not read',
  },
  'DELETE /agent/jobs/:jobId': {
    path: (f, p) => `/agent/jobs/${at(p, 'jobId', f.jobId)}`,
    params: id('jobId'),
    query: 'not read',
  },
  'GET /agent/calc-packages/:id': {
    path: (f, p) => `/agent/calc-packages/${at(p, 'id', f.packageId)}`,
    params: id('id'),
    query: 'not read',
  },
  'GET /agent/projects/:id/files': {
    path: (f, p) => `/agent/projects/${at(p, 'id', f.projectId)}/files`,
    params: id('id'),
    query: 'not read',
  },
  'POST /agent/heartbeat': { path: () => '/agent/heartbeat', query: 'not read' },
  'POST /agent/lines': { path: () => '/agent/lines', query: 'not read' },
};
