// heat2d-solve: 2-D heat conduction on a square plate, finite differences on the grid of
// heat2d-mesh. Solves k (T_xx + T_yy) + q = 0 by Jacobi, Gauss-Seidel or SOR iteration, or
// marches rho c T_t = k (T_xx + T_yy) + q in time with the explicit (FTCS) scheme until
// steady. Sides are fixedValue (Dirichlet) or zeroGradient (insulated).
//
// Reads the input dictionary (default solver.in), the grid and the material it names.
// Prints `Iter i of n  residual r` as it goes, appends `iter residual` lines to
// residuals.dat, and writes the final field to field.dat.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDict } from './dict.mjs';
import { readGrid } from './mesh.mjs';
import { InputError, fmtExp, fmtNum, fsReason, parseArgs, sleep, writeFileAtomic } from './common.mjs';

export const SCHEMES = ['explicit', 'jacobi', 'gauss-seidel', 'sor'];
const SIDES = ['top', 'bottom', 'left', 'right'];
const BOUNDARY_TYPES = ['fixedValue', 'zeroGradient'];

const USAGE = `usage: heat2d-solve [solver.in]
  Reads the input dictionary (default solver.in) and writes residuals.dat and field.dat
  next to it.`;

function readText(file, what, given = file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const where = given === file ? '' : ` (${file})`;
    throw new InputError(`cannot read ${what} ${given}${where}: ${fsReason(err)}`);
  }
}

/** The solver settings of an input dictionary. */
export function readConfig(d) {
  const solver = d.dict('solver');
  const scheme = solver.choice('scheme', SCHEMES);
  const iterations = solver.number('iterations', { integer: true, min: 1, max: 10_000_000 });
  const tolerance = solver.number('tolerance', { min: 0, fallback: 0 });
  const omegaRaw = solver.string('omega', 'auto');
  const omega = omegaRaw === 'auto' ? 'auto' : solver.number('omega', { above: 0, below: 2 });
  const fourier = solver.number('fourier', { above: 0, max: 0.25, fallback: 0.2 });
  const writeEvery = solver.number('writeEvery', { integer: true, min: 1, fallback: 1 });
  const delayMs = solver.number('delayMs', { min: 0, max: 60_000, fallback: 0 });

  const plate = d.dict('plate');
  const mesh = plate.string('mesh');
  const material = plate.string('material');
  const source = plate.number('source', { fallback: 0 });
  const initial = plate.has('initial') ? plate.number('initial') : undefined;

  const bdict = d.dict('boundary');
  const boundary = {};
  for (const side of SIDES) {
    const s = bdict.dict(side);
    const type = s.choice('type', BOUNDARY_TYPES);
    boundary[side] = { type, value: type === 'fixedValue' ? s.number('value') : undefined };
  }
  const unknown = bdict.keys().filter((k) => !SIDES.includes(k));
  if (unknown.length > 0) {
    throw new InputError(`${d.file}: unknown side 'boundary.${unknown[0]}' (sides are ${SIDES.join(', ')})`);
  }
  if (!SIDES.some((side) => boundary[side].type === 'fixedValue')) {
    throw new InputError(
      `${d.file}: at least one side must be fixedValue (an insulated plate has no steady state)`,
    );
  }

  return {
    title: d.string('title', 'heat2d'),
    banner: d.string('banner', ''),
    scheme,
    iterations,
    tolerance,
    omega,
    fourier,
    writeEvery,
    delayMs,
    mesh,
    material,
    source,
    initial,
    boundary,
  };
}

/** Conductivity (W/(m K)), density (kg/m^3), specific heat (J/(kg K)) of a material file. */
export function readMaterial(text, file, needsCapacity) {
  const d = parseDict(text, file);
  const conductivity = d.number('conductivity', { above: 0 });
  const density = needsCapacity || d.has('density') ? d.number('density', { above: 0 }) : undefined;
  const specificHeat =
    needsCapacity || d.has('specificHeat') ? d.number('specificHeat', { above: 0 }) : undefined;
  return { name: d.string('name', file), conductivity, density, specificHeat };
}

/**
 * The discrete problem: node temperatures T (index j * M + i, j = 0 the bottom row), the
 * unknown nodes, and for each unknown its four neighbours (mirrored across insulated sides).
 */
export function setup(cfg, grid, mat) {
  const N = grid.cells;
  const M = N + 1;
  const T = new Float64Array(M * M);
  const fixed = new Uint8Array(M * M);
  const bc = cfg.boundary;
  const fixedValues = SIDES.filter((s) => bc[s].type === 'fixedValue').map((s) => bc[s].value);
  const initial = cfg.initial ?? fixedValues.reduce((a, b) => a + b, 0) / fixedValues.length;
  T.fill(initial);

  // A node on a side takes that side's fixed value; a corner between two fixed sides the mean.
  const sidesOf = (i, j) => [
    ...(j === N ? ['top'] : []),
    ...(j === 0 ? ['bottom'] : []),
    ...(i === 0 ? ['left'] : []),
    ...(i === N ? ['right'] : []),
  ];
  for (let j = 0; j <= N; j++) {
    for (let i = 0; i <= N; i++) {
      if (i !== 0 && i !== N && j !== 0 && j !== N) continue;
      const values = sidesOf(i, j)
        .filter((s) => bc[s].type === 'fixedValue')
        .map((s) => bc[s].value);
      if (values.length > 0) {
        T[j * M + i] = values.reduce((a, b) => a + b, 0) / values.length;
        fixed[j * M + i] = 1;
      }
    }
  }

  const count = fixed.reduce((n, f) => n + (f ? 0 : 1), 0);
  const nodes = new Int32Array(count);
  const east = new Int32Array(count);
  const west = new Int32Array(count);
  const north = new Int32Array(count);
  const south = new Int32Array(count);
  let u = 0;
  for (let j = 0; j <= N; j++) {
    for (let i = 0; i <= N; i++) {
      const p = j * M + i;
      if (fixed[p]) continue;
      nodes[u] = p;
      // Across an insulated side the ghost node mirrors the first interior one (dT/dn = 0).
      east[u] = j * M + (i === N ? N - 1 : i + 1);
      west[u] = j * M + (i === 0 ? 1 : i - 1);
      north[u] = (j === N ? N - 1 : j + 1) * M + i;
      south[u] = (j === 0 ? 1 : j - 1) * M + i;
      u++;
    }
  }

  const h = grid.spacing;
  const k = mat.conductivity;
  const b = (h * h * cfg.source) / k; // the source term of a node's equation, in kelvin
  const range = Math.max(...fixedValues) - Math.min(...fixedValues);
  const scale = Math.max(range, (Math.abs(cfg.source) * grid.length * grid.length) / (8 * k), 1);
  return { N, M, T, nodes, east, west, north, south, b, scale, h };
}

/**
 * The residual of the node equations T_p = (T_E + T_W + T_N + T_S + b) / 4: the root mean
 * square of their imbalance in kelvin, divided by the problem's temperature scale.
 */
export function residual(P) {
  const { T, nodes, east, west, north, south, b } = P;
  let sum = 0;
  for (let u = 0; u < nodes.length; u++) {
    const r = (T[east[u]] + T[west[u]] + T[north[u]] + T[south[u]] + b) * 0.25 - T[nodes[u]];
    sum += r * r;
  }
  return nodes.length === 0 ? 0 : Math.sqrt(sum / nodes.length) / P.scale;
}

/** One sweep of `scheme` over the unknowns; `factor` is omega (sor) or the Fourier number (explicit). */
export function makeSweep(P, scheme, factor) {
  const { T, nodes, east, west, north, south, b } = P;
  const n = nodes.length;
  if (scheme === 'gauss-seidel' || scheme === 'sor') {
    const w = scheme === 'sor' ? factor : 1;
    return () => {
      for (let u = 0; u < n; u++) {
        const p = nodes[u];
        const gs = (T[east[u]] + T[west[u]] + T[north[u]] + T[south[u]] + b) * 0.25;
        T[p] += w * (gs - T[p]);
      }
    };
  }
  // Jacobi and explicit need the old field while the new one is computed.
  const next = new Float64Array(n);
  const fo = factor;
  return () => {
    for (let u = 0; u < n; u++) {
      const p = nodes[u];
      const sum = T[east[u]] + T[west[u]] + T[north[u]] + T[south[u]];
      next[u] = scheme === 'jacobi' ? (sum + b) * 0.25 : T[p] + fo * (sum - 4 * T[p] + b);
    }
    for (let u = 0; u < n; u++) T[nodes[u]] = next[u];
  };
}

/** SOR's optimal relaxation factor for the Laplacian on an N x N grid. */
export function optimalOmega(N) {
  return 2 / (1 + Math.sin(Math.PI / N));
}

function expandBanner(banner, vars) {
  return banner.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : all,
  );
}

export async function main(argv) {
  const args = parseArgs(argv, [], USAGE);
  if (args === null) return 0;
  if (args.positional.length > 1) throw new InputError(`too many arguments\n${USAGE}`, 2);
  const input = args.positional[0] ?? 'solver.in';
  const base = dirname(resolve(input));

  const cfg = readConfig(parseDict(readText(input, 'input file'), input));
  const gridFile = resolve(base, cfg.mesh);
  const grid = readGrid(readText(gridFile, 'grid file', cfg.mesh), cfg.mesh);
  const matFile = resolve(base, cfg.material);
  const mat = readMaterial(
    readText(matFile, 'material file', cfg.material),
    cfg.material,
    cfg.scheme === 'explicit',
  );

  const P = setup(cfg, grid, mat);
  const omega = cfg.omega === 'auto' ? optimalOmega(grid.cells) : cfg.omega;
  const factor = cfg.scheme === 'sor' ? omega : cfg.fourier;
  const sweep = makeSweep(P, cfg.scheme, factor);
  const explicit = cfg.scheme === 'explicit';
  const alpha = explicit ? mat.conductivity / (mat.density * mat.specificHeat) : 0;
  const dt = explicit ? (cfg.fourier * P.h * P.h) / alpha : 0;

  const out = (line) => process.stdout.write(`${line}\n`);
  out(cfg.title);
  if (cfg.banner) {
    out(
      expandBanner(cfg.banner, {
        scheme: cfg.scheme,
        cells: grid.cells,
        nodes: grid.nodes,
        length: grid.length,
        material: mat.name,
        iterations: cfg.iterations,
        tolerance: cfg.tolerance,
      }),
    );
  }
  out(
    `heat2d-solve: ${grid.cells} x ${grid.cells} cells, ${P.nodes.length} unknowns, scheme ${cfg.scheme}` +
      (cfg.scheme === 'sor' ? ` (omega ${fmtNum(omega, 4)})` : '') +
      (explicit ? ` (Fourier ${cfg.fourier}, dt ${fmtExp(dt)} s)` : '') +
      `, k = ${fmtNum(mat.conductivity)} W/(m K)`,
  );
  out(
    'boundary: ' +
      SIDES.map(
        (s) => `${s} ${cfg.boundary[s].type === 'fixedValue' ? cfg.boundary[s].value : 'insulated'}`,
      ).join(', '),
  );

  const resFile = resolve(base, 'residuals.dat');
  const resFd = openSync(resFile, 'w');
  const n = cfg.iterations;
  let iter = 0;
  let res = residual(P);
  let converged = false;
  const started = process.hrtime.bigint();
  try {
    while (iter < n) {
      sweep();
      iter++;
      res = residual(P);
      if (!Number.isFinite(res)) {
        throw new InputError(
          `the solution diverged at iteration ${iter} (residual ${res})` +
            (explicit ? '; keep fourier at most 0.25' : cfg.scheme === 'sor' ? '; keep omega below 2' : ''),
        );
      }
      converged = cfg.tolerance > 0 && res <= cfg.tolerance;
      if (iter % cfg.writeEvery === 0 || converged || iter === n) {
        const time = explicit ? `  time ${fmtExp(iter * dt)}` : '';
        out(`Iter ${iter} of ${n}  residual ${fmtExp(res)}${time}`);
        writeSync(resFd, `${iter} ${fmtExp(res, 6)}\n`);
        if (cfg.delayMs > 0) await sleep(cfg.delayMs);
      }
      if (converged) break;
    }
  } finally {
    closeSync(resFd);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  if (converged)
    out(`Converged in ${iter} iterations: residual ${fmtExp(res)} <= tolerance ${fmtExp(cfg.tolerance, 1)}`);
  else
    out(
      `Not converged after ${iter} iterations: residual ${fmtExp(res)} (tolerance ${fmtExp(cfg.tolerance, 1)})`,
    );

  const fieldFile = resolve(base, 'field.dat');
  writeFileAtomic(fieldFile, fieldText(P, grid, mat, cfg, { iter, res, converged, time: iter * dt }));
  out(`Wrote ${fieldFile} (${grid.nodes} x ${grid.nodes} nodes) in ${seconds.toFixed(3)} s of solving`);
  return 0;
}

/** The field file: `# key value` header lines, then `x y T` per node, rows of constant y. */
function fieldText(P, grid, mat, cfg, run) {
  const { M, T, h } = P;
  const lines = [
    '# heat2d field',
    `# title ${cfg.title.replace(/\n/g, ' ')}`,
    `# scheme ${cfg.scheme}`,
    `# cells ${grid.cells}`,
    `# nodes ${grid.nodes}`,
    `# length ${grid.length}`,
    `# conductivity ${mat.conductivity}`,
    `# source ${cfg.source}`,
    ...SIDES.map(
      (s) =>
        `# ${s} ${cfg.boundary[s].type === 'fixedValue' ? `fixedValue ${cfg.boundary[s].value}` : 'zeroGradient'}`,
    ),
    `# iterations ${run.iter}`,
    `# residual ${fmtExp(run.res, 6)}`,
    `# converged ${run.converged ? 'yes' : 'no'}`,
    ...(cfg.scheme === 'explicit' ? [`# time ${fmtExp(run.time, 6)}`] : []),
    '# columns x y T (one block per row of constant y, bottom to top)',
  ];
  for (let j = 0; j < M; j++) {
    lines.push('');
    const y = fmtNum(j * h, 8);
    for (let i = 0; i < M; i++) lines.push(`${fmtNum(i * h, 8)} ${y} ${fmtNum(T[j * M + i], 10)}`);
  }
  lines.push('');
  return lines.join('\n');
}
