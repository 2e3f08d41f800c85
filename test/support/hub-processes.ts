// Mirror as real processes, in the two deployments whose hub is a process of its own: the
// embedded `mirror serve` (its agent in it) and scaled out (a `mirror serve --no-agent`
// hub on PostgreSQL and RabbitMQ with a remote `mirror agent` on rid 1, autorun on).
// For tests that look at the processes themselves: their memory, their signals.
// Everything is stopped after the file (cluster.ts).
// stores.js first: its databases are dropped after the processes (hooks run in reverse).
import { storeBackends } from './stores.js';
import { startCluster, startMirror, type MirrorProcess } from './cluster.js';
import { rabbitUnavailable } from './rabbit.js';
import { freshVhost } from './vhost.js';

export interface HubProcess {
  /** The hub's HTTP address. */
  readonly base: string;
  readonly hub: MirrorProcess;
  /** The process the agent runs in (the hub itself when embedded). */
  readonly agent: MirrorProcess;
  /** Stops every process. */
  readonly stop: () => Promise<void>;
}

export interface HubProcessKind {
  readonly name: string;
  /** Why it cannot run here, or undefined. */
  readonly unavailable: string | undefined;
  /** Starts it with `sets` on every process. */
  readonly open: (sets: Readonly<Record<string, string>>) => Promise<HubProcess>;
}

/** The two kinds (call at the top level of a test file). */
export async function hubProcessKinds(): Promise<HubProcessKind[]> {
  const postgres = (await storeBackends()).find((b) => b.name === 'postgres');
  const services = postgres?.unavailable ?? (await rabbitUnavailable());
  return [
    {
      name: 'embedded (mirror serve, its agent in it)',
      unavailable: undefined,
      async open(sets) {
        const hub = await startMirror(['serve'], { 'http.port': '0', ...sets });
        const base = (await hub.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
        return { base, hub, agent: hub, stop: () => hub.stop() };
      },
    },
    {
      name: 'scaled out (a hub process on PostgreSQL and RabbitMQ, a remote mirror agent)',
      unavailable: services,
      async open(sets) {
        const cluster = await startCluster({
          store: (await postgres?.freshUrl()) ?? '',
          broker: await freshVhost(),
          sets: { ...sets },
        });
        const agent = await cluster.startAgent(1, { autorun: 'true' });
        return { base: cluster.url, hub: cluster.hub, agent, stop: () => cluster.stop() };
      },
    },
  ];
}
