// The baseline of the trivial-jobs figures: a bash loop doing, per job, the file work
// Mirror does for a one-step `true` job — make the run directory, copy the template
// into it, write params.json, run /bin/true in it, write its log — and nothing else.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Scope } from './scope.js';

const run = promisify(execFile);

const SCRIPT = `#!/bin/bash
set -euo pipefail
n=$1 root=$2 template=$3
for ((i = 1; i <= n; i++)); do
  d="$root/$i"
  mkdir -p "$d/.mirror/logs"
  cp -R "$template/." "$d/"
  printf '{\\n  "i": "%s"\\n}\\n' "$i" > "$d/params.json"
  (cd "$d" && /bin/true) > "$d/.mirror/logs/s.log" 2>&1
done
`;

/** Runs the loop for `n` jobs copying `templateDir`; answers its wall time, ms. */
export async function shellJobLoop(scope: Scope, n: number, templateDir: string): Promise<number> {
  const dir = await scope.tempDir('shell');
  const script = join(dir, 'jobs.sh');
  await writeFile(script, SCRIPT, { mode: 0o755 });
  const start = performance.now();
  await run('/bin/bash', [script, String(n), join(dir, 'jobs'), templateDir]);
  return performance.now() - start;
}
