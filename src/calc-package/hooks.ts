import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { mirrorError } from '../core/index.js';
import type { Adapter } from './types.js';

/** How long importing `hooks.mjs` to list its exports may take, by default: 10 s. */
export const DEFAULT_HOOKS_LOAD_TIMEOUT_MS = 10_000;

/** Marks the child's answer among whatever the module itself prints. */
const MARKER = '@@mirror-hook-exports@@';

// Runs in the child: import the module, print its exported function names, exit (a
// module may leave timers or sockets behind; they must not keep the child alive).
const LISTER = `
const m = await import(process.argv[1]);
const names = Object.keys(m).filter((k) => typeof m[k] === 'function');
process.stdout.write('\\n${MARKER}' + JSON.stringify(names) + '\\n', () => process.exit(0));
`;

/** The hooks named by an adapter's steps, with where each is named. */
export function namedHooks(
  adapter: Adapter,
): { step: string; attribute: string; name: string; line: number }[] {
  return adapter.steps.flatMap((step) =>
    (['premethod', 'postmethod'] as const).flatMap((attribute) => {
      const name = step[attribute];
      return name === undefined ? [] : [{ step: step.id, attribute, name, line: step.line }];
    }),
  );
}

/**
 * The names of the functions a `hooks.mjs` exports, found by importing it in a child
 * node process (package authors are trusted to run code; Mirror's own process is kept
 * out of its reach) with a timeout. Failure to load is PACKAGE_HOOKS_UNLOADABLE.
 */
export function listHookExports(
  hooksFile: string,
  packageName: string,
  timeoutMs = DEFAULT_HOOKS_LOAD_TIMEOUT_MS,
): Promise<string[]> {
  const args = ['--input-type=module', '-e', LISTER, pathToFileURL(hooksFile).href];
  return new Promise((resolve, reject) => {
    const options = { timeout: timeoutMs, killSignal: 'SIGKILL' as const, maxBuffer: 4 * 1024 * 1024 };
    execFile(process.execPath, args, options, (err, stdout, stderr) => {
      const unloadable = (reason: string): void =>
        reject(mirrorError('PACKAGE_HOOKS_UNLOADABLE', { package: packageName, reason }));
      if (err !== null) {
        if (err.killed || err.signal === 'SIGKILL') {
          unloadable(`it did not load within ${timeoutMs / 1000} s`);
        } else {
          unloadable(errorLine(stderr) ?? err.message);
        }
        return;
      }
      const answer = stdout.split('\n').findLast((line) => line.startsWith(MARKER));
      if (answer === undefined) {
        unloadable('the module exited while loading');
        return;
      }
      // The module may have written to stdout itself: its answer is judged, never trusted.
      let names: unknown;
      try {
        names = JSON.parse(answer.slice(MARKER.length));
      } catch {
        unloadable('its list of exports is malformed (does the module write to stdout while loading?)');
        return;
      }
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
        unloadable('its list of exports is not a list of names');
        return;
      }
      resolve(names);
    });
  });
}

/** The `SomeError: message` line of a child's stderr, clipped. */
function errorLine(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => /^[A-Za-z]*Error\b/.test(l));
  return line === undefined ? undefined : line.slice(0, 300);
}
