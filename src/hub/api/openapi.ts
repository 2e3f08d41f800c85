import { z, type ZodType } from 'zod';
import type { ApiRoute } from './route.js';

type Json = Record<string, unknown>;

/** A schema as JSON Schema, as requests carry it (before transforms). */
function jsonSchema(schema: ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** Path and query parameters of an operation, from the object schemas that parse them. */
function parameters(schema: ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const object = jsonSchema(schema);
  const properties = (object['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((object['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name: name === '*' ? 'path' : name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

const errorBody = {
  description: 'A failure from the error catalog.',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};

/** The event stream is a stream, not a JSON reply: its entry is written out here. */
const EVENTS_OPERATION: Json = {
  summary:
    'Live events as Server-Sent Events: `state`, `progress` and `line` (appended lines of process files), each with an increasing id; resume with Last-Event-ID.',
  tags: ['events'],
  operationId: 'getApiEvents',
  parameters: [
    { name: 'job', in: 'query', required: false, schema: { type: 'string', pattern: '^[1-9]\\d{0,9}$' } },
    { name: 'project', in: 'query', required: false, schema: { type: 'string', pattern: '^[1-9]\\d{0,9}$' } },
    { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d+$' } },
    { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
  ],
  responses: {
    '200': {
      description: 'The event stream.',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    },
    default: errorBody,
  },
};

/** The OpenAPI 3.1 document of the `/api` routes, built from their declarations. */
export function openApiDocument(routes: readonly ApiRoute[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = route.url.replace('*', '{path}');
    const operation: Json = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      responses: {
        [String(route.status ?? 200)]: {
          description: 'Success.',
          content: { [route.produces ?? 'application/json']: { schema: jsonSchema(route.response) } },
        },
        default: errorBody,
      },
    };
    if (route.rawBody !== undefined) {
      operation['requestBody'] = {
        required: true,
        content: Object.fromEntries(
          route.rawBody.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
        ),
      };
    } else if (route.body) {
      operation['requestBody'] = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(route.body) } },
      };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  paths['/api/events'] = { get: EVENTS_OPERATION };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mirror',
      version,
      description: 'Mirror’s REST API. The original job API is at /proxy/<service>-<method>.',
    },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    security: [{ token: [] }],
    paths,
  };
}
