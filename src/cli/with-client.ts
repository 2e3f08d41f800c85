import type { MirrorConfig } from '../config/index.js';
import { createEmbedded } from '../embedded/index.js';
import { createGateway } from '../hub/http/index.js';
import { createClient, type MirrorClient } from '../sdk/index.js';

/**
 * Runs `fn` with a client of the hub the CLI talks to: the running hub at
 * `config.hubUrl` (with `http.token`), or, with `embedded`, a hub (no agent) started in
 * this process on the configured workdir and a loopback port of its own, stopped after.
 */
export async function withClient<T>(
  config: MirrorConfig,
  embedded: boolean,
  fn: (client: MirrorClient) => Promise<T>,
): Promise<T> {
  const token = config.http.token === '' ? {} : { token: config.http.token };
  if (!embedded) return fn(createClient({ baseUrl: config.hubUrl, ...token }));
  // A one-shot command runs no agent: what it dispatches waits, queued, for `mirror serve`.
  const mirror = await createEmbedded(config, { withAgent: false });
  await mirror.start();
  const gateway = await createGateway(mirror.hub);
  try {
    const address = await gateway.listen({ host: '127.0.0.1', port: 0 });
    return await fn(createClient({ baseUrl: address, ...token }));
  } finally {
    await gateway.close();
    await mirror.stop();
  }
}
