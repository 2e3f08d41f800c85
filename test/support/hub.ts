// A hub for tests: a temporary workdir, the given store backend, the in-process queue.
// Every hub made here is stopped and its workdir removed after the test file.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { scratchDir } from './scratch.js';
import { loadConfig } from '../../src/config/index.js';
import { createHub, type Hub } from '../../src/hub/index.js';
import type { StoreBackend } from './stores.js';

export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
export const HEAT2D = join(EXAMPLES, 'calc-packages', 'heat2d');
export const PLATE = join(EXAMPLES, 'projects', 'plate');

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A hub on a fresh database of `backend`, with config `flags` on top of the defaults. */
export async function openTestHub(backend: StoreBackend, flags: Record<string, unknown> = {}): Promise<Hub> {
  const workdir = await scratchDir('mirror-hub-');
  const config = loadConfig({ env: {}, flags: { workdir, store: await backend.freshUrl(), ...flags } });
  const hub = await createHub(config);
  cleanups.push(() => hub.stop());
  await hub.start();
  return hub;
}
