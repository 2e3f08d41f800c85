// Hooks of the heat2d calc package, named by premethod/postmethod in adapter.xml.
// Mirror calls each as fn(ctx) in a child process whose working directory is the step's
// workpath; ctx = { jobId, projectId, packageId, rid, step: { id, workpath }, params,
// runDir, stepDir } with absolute paths. A hook returns { process?, result? } items to add
// to the job's data, or throws to fail the step.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The tolerance used when the job's parameters set none (or 0, "run every iteration"). */
export const DEFAULT_TOLERANCE = 1e-6;

/** Parses `iter residual` lines; blank lines and `#` comments are skipped. */
export function parseResiduals(text, file = 'residuals.dat') {
  const rows = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cols = line.split(/\s+/);
    const iter = Number(cols[0]);
    const residual = Number(cols[1]);
    if (cols.length !== 2 || !Number.isInteger(iter) || !Number.isFinite(residual)) {
      throw new Error(`${file} line ${n + 1}: expected 'iter residual', got '${line.slice(0, 80)}'`);
    }
    rows.push({ iter, residual });
  }
  return rows;
}

/**
 * Post-method of the solve step: reads SOLVE/residuals.dat and reports whether the solver
 * converged (its last residual at most the job's `tolerance`), after how many iterations,
 * and the last residual. Fails the step when the solver left no residuals.
 */
export async function solvePost(ctx) {
  const file = join(ctx.stepDir, 'residuals.dat');
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(
      `solvePost: cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
    );
  }
  const rows = parseResiduals(text, file);
  const last = rows.at(-1);
  if (last === undefined)
    throw new Error(`solvePost: ${file} holds no residuals: the solver did not iterate`);

  const raw = Number(ctx.params?.tolerance);
  const tolerance = Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_TOLERANCE;
  return {
    process: {
      converged: last.residual <= tolerance ? 'yes' : 'no',
      iterations: String(last.iter),
      final_residual: last.residual.toExponential(3),
    },
  };
}
