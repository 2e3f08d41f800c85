import { configSchema, envName, type ConfigKey } from '../config/index.js';
/**
 * Waits for SIGINT or SIGTERM, for a long-running command (serve, agent). A second
 * signal while the command stops leaves at once.
 */
export function untilStopSignal(out: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        out(`mirror: ${signal} again, leaving now`);
        process.exit(130);
      }
      stopping = true;
      out(`mirror: ${signal}, stopping (again to force)`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** A URL with its password hidden, for messages. */
export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * The environment steps start from: this process's, as the command was started, without
 * Mirror's own configuration (`MIRROR_CONFIG` and every `MIRROR_<KEY>` the config reads).
 * Those hold the agent credential, the user token and store and broker URLs with their
 * passwords; a step is a calc package's code and gets none of them (a Slurm step's
 * environment is also written into its batch script).
 */
export function processEnv(): Record<string, string> {
  const config = new Set([
    'MIRROR_CONFIG',
    ...Object.keys(configSchema).map((key) => envName(key as ConfigKey)),
  ]);
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !config.has(e[0])),
  );
}
