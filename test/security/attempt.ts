// One hostile request and what must hold after it: the exact refusal, in the route's own
// shape; `nosniff` on the answer; nothing changed (store, blobs, the victim directory);
// the hub still answering.
import { expect } from 'vitest';
import { USER_TOKEN, type Deployment } from './deployments.js';
import { rawRequest, type RawRequest, type RawResponse } from './raw-request.js';
import type { Refusal } from './route-table.js';
import { everything } from './unchanged.js';

/** The names a lookup could find on Object.prototype. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
];

/** A user's credential, as scripts send it. */
export const asUser = { authorization: `Bearer ${USER_TOKEN}` };

/** The body a refusal has: `[-1, message]` on /proxy, `{error: {code, message}}` elsewhere. */
export function refusalBody(path: string, refusal: Refusal): unknown {
  return path.startsWith('/proxy/')
    ? [-1, refusal.message]
    : { code: refusal.code, message: refusal.message };
}

/** What a response says, in the shape `refusalBody` gives. */
function bodyOf(path: string, res: RawResponse): unknown {
  const parsed = JSON.parse(res.text) as unknown;
  if (path.startsWith('/proxy/')) return parsed;
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  return { code: error?.code, message: error?.message };
}

/** Sends `req`; asserts the exact refusal and that nothing changed. Answers the response. */
export async function attempt(d: Deployment, req: RawRequest, refusal: Refusal): Promise<RawResponse> {
  const before = await everything(d.mirror.hub, d.fixture.victim);
  const res = await rawRequest(d.port, req);
  const path = req.path.split('?')[0] ?? req.path;
  expect({ status: res.status, body: bodyOf(path, res) }).toEqual({
    status: refusal.status,
    body: refusalBody(path, refusal),
  });
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  await expectUnchanged(d, before);
  return res;
}

/** Asserts the hub is as `before` says and still answers. */
export async function expectUnchanged(d: Deployment, before: Record<string, unknown>): Promise<void> {
  expect(await everything(d.mirror.hub, d.fixture.victim)).toEqual(before);
  const alive = await rawRequest(d.port, { method: 'GET', path: '/api/machines', headers: asUser });
  expect(alive.status).toBe(200);
}
