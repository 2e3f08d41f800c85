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

/** The environment steps start from: this process's, as the command was started. */
export function processEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}
