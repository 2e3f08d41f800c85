import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { HubLink } from '../hub-link.js';
import { isMirrorError, mirrorError } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import { agentBounds } from './agent-bounds.js';
import { registerBlobRoutes, type BlobDeps } from './blobs.js';
import {
  heartbeatBody,
  idParam,
  itemsBody,
  linesBody,
  statesQuery,
  stepPatchBody,
  stepsBody,
  transitionBody,
} from './schemas.js';

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string> }>;

/**
 * `/agent/...`: what a remote agent (`mirror agent --hub URL`) asks the hub, answered
 * through the same HubLink an agent in the hub's process uses, within the bounds of an
 * agent (agent-bounds.ts). Only the agent credential opens these routes (the gateway's
 * guards). Errors answer `{"error": {code, message, params}}`; one the hub could not
 * help (its store unreachable a moment) is a 503 the agent retries.
 */
/** The largest batch of process-file lines an agent may post (JSON), bytes. */
const LINES_BODY_BYTES = 8 * 1024 * 1024;

export function registerAgentLink(
  app: FastifyInstance,
  link: HubLink,
  deps: BlobDeps & { readonly store: Store },
): void {
  const bounds = agentBounds(deps);
  void app.register(
    (scope, _options, done) => {
      scope.setErrorHandler(async (err, req, reply) => {
        const request = `${req.method} ${req.url.split('?')[0] ?? ''}`;
        const failure = isMirrorError(err)
          ? err
          : err instanceof ZodError || isClientError(err)
            ? mirrorError('BAD_REQUEST', { reason: messageOf(err) })
            : mirrorError('HUB_BUSY', { request, reason: messageOf(err) });
        await reply.code(failure.status).send({ error: failure.toJSON() });
      });
      registerBlobRoutes(scope, deps);

      const jobId = (req: Req) => idParam(req.params, 'jobId');
      scope.get('/jobs/:jobId', async (req: Req) => ({ job: (await link.getJob(jobId(req))) ?? null }));
      scope.post('/jobs/:jobId/transition', async (req: Req) => {
        const id = jobId(req);
        const t = transitionBody.parse(req.body);
        await bounds.transition(id, t);
        return { job: (await link.transitionJob(id, t)) ?? null };
      });
      scope.get('/machines/:rid/jobs', async (req: Req) => ({
        jobs: await link.listJobsOnRid(
          idParam(req.params, 'rid'),
          statesQuery.parse(req.query['states'] ?? ''),
        ),
      }));
      scope.get('/jobs/:jobId/steps', async (req: Req) => ({ steps: await link.listJobSteps(jobId(req)) }));
      scope.put('/jobs/:jobId/steps', async (req: Req) => {
        await link.resetJobSteps(jobId(req), stepsBody.parse(req.body).steps);
        return {};
      });
      scope.patch('/jobs/:jobId/steps/:stepId', async (req: Req) => {
        await link.updateJobStep(jobId(req), req.params['stepId'] ?? '', stepPatchBody.parse(req.body));
        return {};
      });
      scope.put('/jobs/:jobId/items', async (req: Req) => {
        const id = jobId(req);
        const { items } = itemsBody.parse(req.body);
        await bounds.items(items);
        await link.putJobItems(id, items);
        return {};
      });
      scope.delete('/jobs/:jobId', async (req: Req) => {
        await link.deleteJobRecords(jobId(req));
        return {};
      });
      scope.get('/calc-packages/:id', async (req: Req) => ({
        calcPackage: (await link.getCalcPackage(idParam(req.params, 'id'))) ?? null,
      }));
      scope.get('/projects/:id/files', async (req: Req) => ({
        files: await link.listProjectFiles(idParam(req.params, 'id')),
      }));
      scope.post('/heartbeat', async (req: Req) => {
        const report = heartbeatBody.parse(req.body);
        bounds.jobsRoot(report.jobsRoot);
        await link.heartbeat(report);
        return {};
      });
      // An agent sends at most a MiB of lines at once (agent/remote/line-batches.ts), in JSON.
      scope.post('/lines', { bodyLimit: LINES_BODY_BYTES }, (req: Req) => {
        for (const event of linesBody.parse(req.body).events) link.publishLines(event);
        return Promise.resolve({});
      });
      done();
    },
    { prefix: '/agent' },
  );
}

function isClientError(err: unknown): boolean {
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function messageOf(err: unknown): string {
  if (err instanceof ZodError) {
    return err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}
