// The Python client written to nameko's protocol on Debian's kombu
// (test/fixtures/nameko/standalone_client.py), run as a subprocess: the test process
// must stay free to answer the calls it makes.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON_CLIENT = fileURLToPath(new URL('../fixtures/nameko/standalone_client.py', import.meta.url));

/** Why the Python client cannot run here, or undefined when it can. */
export const kombuMissing: string | undefined = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import kombu, amqp'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return "Debian's python3-kombu is not installed (apt-get install python3-kombu)";
  }
})();

export interface PythonCall {
  readonly service: string;
  readonly method: string;
  readonly args?: readonly unknown[];
  readonly kwargs?: Readonly<Record<string, unknown>>;
}

/**
 * Makes `calls` in order through the Python client on `url` and `exchange`; answers one
 * outcome per call: `{result}` or `{raised, args}` as nameko's proxy would raise it.
 */
export function pythonCalls(
  url: string,
  exchange: string,
  calls: readonly PythonCall[],
  timeoutSeconds = 5,
): Promise<unknown[]> {
  return new Promise<unknown[]>((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [PYTHON_CLIENT, url, exchange, String(timeoutSeconds)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`python client exited with ${code}`));
      else
        resolve(
          out
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as unknown),
        );
    });
    child.stdin.end(calls.map((c) => JSON.stringify({ args: [], kwargs: {}, ...c })).join('\n'));
  });
}
