// heat2d-post: reads the field of heat2d-solve and writes summary.txt, one `name = value`
// line per quantity: Tmax, Tmin, Tmean, Tcenter, flux.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, fmtNum, fsReason, parseArgs, writeFileAtomic } from './common.mjs';

const USAGE = `usage: heat2d-post [--field ../SOLVE/field.dat] [--out summary.txt]`;

/** Parses a field file: its `# key value` header and the node temperatures. */
export function readField(text, file) {
  const header = {};
  const values = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*(\w+)\s+(.*)$/.exec(line);
      if (m && !(m[1] in header)) header[m[1]] = m[2].trim();
      continue;
    }
    const cols = line.split(/\s+/).map(Number);
    if (cols.length !== 3 || !cols.every(Number.isFinite)) {
      throw new InputError(`${file} line ${n + 1}: expected 'x y T', got '${line.slice(0, 80)}'`);
    }
    values.push(cols[2]);
  }
  const cells = Number(header.cells);
  const length = Number(header.length);
  const conductivity = Number(header.conductivity);
  if (!Number.isInteger(cells) || cells < 2)
    throw new InputError(`${file}: header '# cells' is missing or invalid`);
  if (!(length > 0)) throw new InputError(`${file}: header '# length' is missing or invalid`);
  if (!(conductivity > 0)) throw new InputError(`${file}: header '# conductivity' is missing or invalid`);
  const M = cells + 1;
  if (values.length !== M * M) {
    throw new InputError(
      `${file}: expected ${M * M} nodes for ${cells} x ${cells} cells, found ${values.length}`,
    );
  }
  return { header, cells, length, conductivity, T: Float64Array.from(values) };
}

/**
 * Tmax, Tmin: extremes over the interior nodes (the edge nodes hold the boundary values);
 * Tmean: area-weighted (trapezoidal) mean over the plate; Tcenter: at the plate's centre;
 * flux: heat leaving through the bottom edge, k * integral of dT/dy over it, in W per metre
 * of depth (positive when heat flows out of the plate).
 */
export function summarize(field) {
  const { cells: N, length, conductivity: k, T } = field;
  const M = N + 1;
  const h = length / N;
  const at = (i, j) => T[j * M + i];

  let Tmax = -Infinity;
  let Tmin = Infinity;
  for (let j = 1; j < N; j++) {
    for (let i = 1; i < N; i++) {
      const t = at(i, j);
      if (t > Tmax) Tmax = t;
      if (t < Tmin) Tmin = t;
    }
  }

  const w = (i) => (i === 0 || i === N ? 0.5 : 1);
  let sum = 0;
  for (let j = 0; j <= N; j++) for (let i = 0; i <= N; i++) sum += w(i) * w(j) * at(i, j);
  const Tmean = sum / (N * N);

  const c = N >> 1;
  const Tcenter = N % 2 === 0 ? at(c, c) : (at(c, c) + at(c + 1, c) + at(c, c + 1) + at(c + 1, c + 1)) / 4;

  // Second-order one-sided dT/dy at y = 0, integrated along the edge by the trapezoidal rule.
  let flux = 0;
  for (let i = 0; i <= N; i++) {
    const dTdy = (-3 * at(i, 0) + 4 * at(i, 1) - at(i, 2)) / (2 * h);
    flux += w(i) * h * k * dTdy;
  }
  return { Tmax, Tmin, Tmean, Tcenter, flux };
}

export async function main(argv) {
  const args = parseArgs(argv, ['field', 'out'], USAGE);
  if (args === null) return 0;
  if (args.positional.length > 0)
    throw new InputError(`unexpected argument '${args.positional[0]}'\n${USAGE}`, 2);
  const fieldFile = args.options.field ?? '../SOLVE/field.dat';
  const outFile = resolve(args.options.out ?? 'summary.txt');
  let text;
  try {
    text = readFileSync(fieldFile, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read field file ${fieldFile}: ${fsReason(err)}`);
  }
  const field = readField(text, fieldFile);
  const s = summarize(field);
  const hd = field.header;
  const summary = [
    `# heat2d summary: ${field.cells} x ${field.cells} cells, ${field.length} m plate, ` +
      `k = ${field.conductivity} W/(m K), scheme ${hd.scheme ?? '?'}`,
    '# Tmax, Tmin: extreme temperatures of the interior nodes (the edges hold the boundary values)',
    '# Tmean: area-weighted mean temperature of the plate; Tcenter: at its centre',
    '# flux: heat leaving the plate through its bottom edge, W per metre of depth',
    `iterations = ${hd.iterations ?? '?'}`,
    `residual = ${hd.residual ?? '?'}`,
    `converged = ${hd.converged ?? '?'}`,
    `Tmax = ${fmtNum(s.Tmax)}`,
    `Tmin = ${fmtNum(s.Tmin)}`,
    `Tmean = ${fmtNum(s.Tmean)}`,
    `Tcenter = ${fmtNum(s.Tcenter)}`,
    `flux = ${fmtNum(s.flux)}`,
    '',
  ].join('\n');
  writeFileAtomic(outFile, summary);
  process.stdout.write(summary.replace(/^#.*\n/gm, ''));
  process.stdout.write(`heat2d-post: wrote ${outFile}\n`);
  return 0;
}
