/**
 * The config schema: every key Mirror reads, its type, default and meaning. One flat
 * table keyed by dotted names (`http.port`); the nested, typed `MirrorConfig` is derived
 * from it. Durations are in milliseconds, sizes in bytes.
 */
interface KeySpec<T> {
  readonly kind: 'string' | 'path' | 'url' | 'int' | 'boolean' | 'list';
  readonly default: T;
  readonly doc: string;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values, for a string key with a closed set. */
  readonly oneOf?: readonly string[];
}

const text = (value: string, doc: string): KeySpec<string> => ({ kind: 'string', default: value, doc });
/** A string from a closed set; the first value is the default. */
const oneOf = <const T extends string>(values: readonly [T, ...T[]], doc: string): KeySpec<T> => ({
  kind: 'string',
  default: values[0],
  doc,
  oneOf: values,
});
const optionalUrl = (doc: string): KeySpec<string | null> => ({ kind: 'url', default: null, doc });
const path = (value: string, doc: string): KeySpec<string> => ({ kind: 'path', default: value, doc });
/** A list of strings: a JSON array in a config file, comma-separated in env and flags. */
const list = (doc: string): KeySpec<readonly string[]> => ({ kind: 'list', default: [], doc });
const flag = (value: boolean, doc: string): KeySpec<boolean> => ({ kind: 'boolean', default: value, doc });
const int = (value: number, doc: string, min = 0, max = Number.MAX_SAFE_INTEGER): KeySpec<number> => ({
  kind: 'int',
  default: value,
  doc,
  min,
  max,
});

const MiB = 1024 * 1024;

export const configSchema = {
  workdir: path('mirror-work', 'Run directories, the file store and the default SQLite store live here.'),
  store: text('', 'Store URL: `sqlite:<path>` or `postgres://…`; empty means `sqlite:<workdir>/mirror.db`.'),
  autorun: flag(
    true,
    "The agent drives every claimed job through the whole lifecycle (the original's DEBUG->autorun_job).",
  ),
  rid: int(1, 'This resource machine’s id (the agent’s rid).', 1, 2_147_483_647),
  slots: int(0, 'Step chains that may run at once on this resource machine; 0 means one per CPU.', 0, 4096),
  'http.host': text('127.0.0.1', 'Address the HTTP gateway listens on.'),
  'http.port': int(8000, 'Port of the HTTP gateway (0 picks a free one).', 0, 65535),
  'http.token': text('', 'Token every HTTP call must carry; empty means none (loopback only).'),
  'http.allowInsecure': flag(false, 'Listen on a non-loopback address without a token.'),
  'http.allowedHosts': list(
    'Host names (or host:port) requests may name in their Host header; empty means the addresses served ' +
      '(loopback names on a loopback address; every interface address, the host name and http.publicUrl’s ' +
      'host on a wildcard one). `*` allows any (DNS rebinding is then the proxy’s business).',
  ),
  'http.allowedOrigins': list(
    'Origins (`https://portal.example.org`) whose pages may call the hub from a browser; the hub’s own ' +
      'pages always may. Every other cross-site browser request is refused.',
  ),
  'http.requestTimeoutMs': int(
    600_000,
    'Time a client has to send a whole request (headers and body); a slower one is cut off.',
    100,
  ),
  'http.headersTimeoutMs': int(30_000, 'Time a client has to send a request’s headers.', 100),
  'http.idleTimeoutMs': int(120_000, 'A connection on which nothing moves for this long is closed.', 100),
  'http.publicUrl': text(
    '',
    'Base URL of the hub as clients reach it (file URLs of jobgetdata); empty means http://<host>:<port>.',
  ),
  'agent.credential': text(
    '',
    'The credential agents present at the hub’s /agent routes (never a user token). Empty: the hub ' +
      'generates one in <workdir>/agent-credential on first start; give it to remote agents ' +
      '(`mirror agent --agent-credential`, MIRROR_AGENT_CREDENTIAL).',
  ),
  hubUrl: text('http://127.0.0.1:8000', 'The hub the CLI talks to (unless told --embedded).'),
  'packages.allowDirectories': flag(
    false,
    'Let API callers register a calc package from a directory on the hub’s own disk (trusted callers only).',
  ),
  'rpc.exchange': text('mirror_com', 'The AMQP topic exchange for RPC, as the original `rpc_exchange`.'),
  broker: optionalUrl('AMQP URL of RabbitMQ; unset means the in-process bus (embedded).'),
  jobQueue: text('mirror-jobs', 'The durable RabbitMQ queue dispatched job ids wait in.'),
  'limits.maxStates': int(100_000, 'Jobs one dispatch may make.', 1),
  'limits.maxValues': int(10_000_000, 'Parameter values (states × parameters) one dispatch may make.', 1),
  'limits.adapterBytes': int(1 * MiB, 'Largest adapter.xml.', 1),
  'limits.paraBytes': int(16 * MiB, 'Largest para file.', 1),
  'limits.uploadBytes': int(1024 * MiB, 'Largest upload body.', 1),
  'limits.archiveBytes': int(2048 * MiB, 'Largest total uncompressed size of an archive.', 1),
  'limits.archiveRatio': int(200, 'Largest compression ratio of an archive entry.', 1),
  'limits.archiveEntries': int(100_000, 'Most entries in an archive.', 1),
  'limits.eventLogBytes': int(
    64 * MiB,
    'The most bytes of events the hub holds for watchers that resume (besides the newest 10,000 at most).',
    1024,
  ),
  'limits.eventStreamBytes': int(
    8 * MiB,
    'Bytes an event stream may have unsent (a client that reads too slowly); past it the hub drops it, and it resumes with Last-Event-ID.',
    1024,
  ),
  'limits.eventStreams': int(
    100,
    'Event streams (/api/events) open at once; one more is refused with 503.',
    1,
  ),
  'limits.jobOutputBytes': int(
    20 * 1024 * MiB,
    'Most bytes a job’s run directory may hold while its steps run (a step past it fails); 0 means no limit.',
    0,
  ),
  'timing.heartbeatMs': int(5_000, 'Interval of agent heartbeats.', 10),
  'timing.agentLostMs': int(30_000, 'Silence after which an agent counts as lost.', 100),
  'timing.requeueAfterMs': int(
    300_000,
    'A job still queued this long is enqueued again, in case its queue message was lost (a duplicate is harmless); waits double after each time.',
    100,
  ),
  'timing.killGraceMs': int(5_000, 'Time between SIGTERM and SIGKILL when a step is stopped.', 0),
  'timing.monitorMs': int(1_000, 'Interval at which autorun refreshes a running job’s progress.', 10),
  'timing.hookTimeoutMs': int(60_000, 'Default timeout of a pre/post method.', 1),
  'executor.kind': oneOf(
    ['local', 'slurm'],
    'How the agent runs steps: `local` as process trees on its host, `slurm` as batch jobs of the Slurm cluster it is on.',
  ),
  'slurm.partition': text(
    '',
    'The partition steps are submitted to (`sbatch --partition`); empty means the cluster’s default.',
  ),
  'slurm.account': text(
    '',
    'The account steps are charged to (`sbatch --account`); empty means the user’s default.',
  ),
  'slurm.extraArgs': list(
    'More `sbatch` options for every step, e.g. `--qos=long` (a JSON array in a config file).',
  ),
  'slurm.pollMs': int(
    5_000,
    'Interval of the one `squeue` call that asks after every step of the agent.',
    100,
  ),
  'slurm.exitReadMs': int(
    60_000,
    'How long a step Slurm no longer lists may take to show its exit status file (a shared file system’s delay) before it counts as lost.',
    0,
  ),
  'slurm.conf': text('', 'The slurm.conf the Slurm commands read (SLURM_CONF); empty means theirs.'),
  'timing.hubRetryMs': int(
    60_000,
    'How long a remote agent keeps asking a hub that cannot answer (down, restarting) before a call fails.',
    0,
  ),
} as const satisfies Record<string, KeySpec<unknown>>;

export type ConfigKey = keyof typeof configSchema;

type ValueOf<K extends ConfigKey> = (typeof configSchema)[K]['default'] extends infer D
  ? D extends readonly string[]
    ? readonly string[]
    : D extends boolean
      ? boolean
      : D extends number
        ? number
        : D extends string
          ? string
          : string | null
  : never;

/** The flat form: one entry per dotted key. */
export type FlatConfig = { readonly [K in ConfigKey]: ValueOf<K> };

/** Turns `{ 'http.port': number }` into `{ http: { port: number } }`. */
type Unflatten<T> = {
  readonly [
    K in keyof T as K extends `${infer Head}.${string}` ? Head : K
  ]: K extends `${infer Head}.${string}`
    ? Unflatten<{ [P in keyof T as P extends `${Head}.${infer Rest}` ? Rest : never]: T[P] }>
    : T[K];
};

/** Mirror's configuration, compiled once and frozen. */
export type MirrorConfig = Unflatten<FlatConfig>;

export function isConfigKey(key: string): key is ConfigKey {
  return Object.prototype.hasOwnProperty.call(configSchema, key);
}

export type { KeySpec };
