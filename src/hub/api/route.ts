import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import { mirrorError } from '../../core/index.js';
import { JSON_TYPE, type BodyTypes } from '../http/guards/index.js';

/** What a handler gets: the request's params, query and body, each parsed by its schema. */
export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * One `/api` route, declared once: its schemas give the handler's types, validate the
 * request, and write its OpenAPI entry. `response` documents the 200 body.
 */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: ZodType;
  readonly query?: ZodType;
  readonly body?: ZodType;
  /**
   * The media types of a raw body (an upload), exactly those taken (any other is a 415);
   * the body schema is then not used. Without it the route takes JSON only.
   */
  readonly rawBody?: readonly string[];
  readonly response: ZodType;
  /** The status of a success: 200, or 201 for a route that creates something. */
  readonly status?: 200 | 201;
  /** The media type of the 200 body, when it is not JSON (a file, a log). */
  readonly produces?: string;
  readonly handle: (input: RouteInput<unknown, unknown, unknown>) => Promise<unknown>;
}

/** A response type that readonly data (the store's rows) satisfies as well. */
type Frozen<T> = T extends Buffer
  ? T
  : T extends (infer U)[]
    ? readonly Frozen<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Frozen<T[K]> }
      : T;

/** Declares a route with its handler typed by its schemas. */
export function defineRoute<
  P extends ZodType = ZodType<Record<string, never>>,
  Q extends ZodType = ZodType<Record<string, never>>,
  B extends ZodType = ZodType<undefined>,
  R extends ZodType = ZodType,
>(spec: {
  method: ApiRoute['method'];
  url: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  rawBody?: readonly string[];
  response: R;
  status?: 200 | 201;
  produces?: string;
  handle: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Frozen<z.input<R>>>;
}): ApiRoute {
  return spec as unknown as ApiRoute;
}

/** Registers routes on Fastify, validating each part of the request by its schema. */
export function registerRoutes(app: FastifyInstance, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url.replace(/\{(\w+)\}/g, ':$1'),
      config: { accepts: route.rawBody ?? [JSON_TYPE] } satisfies BodyTypes,
      handler: async (request, reply) => {
        const params = parse(route.params, request.params, 'path parameter');
        // A route without a query schema takes no query: an unknown key is an error, never ignored.
        const query = parse(route.query ?? NO_QUERY, withoutToken(request.query), 'query parameter');
        const body =
          route.rawBody !== undefined ? request.body : parse(route.body, request.body, 'body field');
        reply.code(route.status ?? 200);
        return route.handle({ params, query, body, request, reply });
      },
    });
  }
}

const NO_QUERY = z.strictObject({});

/** The query without `token`, which authentication has already read. */
function withoutToken(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  const { token: _, ...rest } = query as Record<string, unknown>;
  return rest;
}

/** Parses one part of a request; the first problem is an API_INVALID naming the field. */
function parse(schema: ZodType | undefined, value: unknown, where: string): unknown {
  if (schema === undefined) return value ?? {};
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(all)';
  const reason =
    issue?.code === 'unrecognized_keys' ? `unknown ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
  throw mirrorError('API_INVALID', { where, field, reason });
}
