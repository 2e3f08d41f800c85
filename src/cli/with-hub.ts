import type { MirrorConfig } from '../config/index.js';
import { createHub, type Hub } from '../hub/index.js';

/** Runs `fn` with an embedded hub over the configured store, stopping it afterwards. */
export async function withHub<T>(config: MirrorConfig, fn: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await createHub(config);
  try {
    await hub.start();
    return await fn(hub);
  } finally {
    await hub.stop();
  }
}
