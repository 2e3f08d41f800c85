// heat2d-mesh: writes the grid description of a square plate meshed with N x N uniform cells.
import { resolve } from 'node:path';
import { parseDict } from './dict.mjs';
import { InputError, fmtNum, parseArgs, writeFileAtomic } from './common.mjs';

export const MAX_CELLS = 1024;

const USAGE = `usage: heat2d-mesh --cells N [--length L] [--out grid.dat]
  --cells N     cells along each side of the plate, an integer from 2 to ${MAX_CELLS}
  --length L    side of the plate in metres (default 1)
  --out FILE    the grid file to write (default grid.dat)`;

function positiveCells(raw) {
  const n = /^\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 2 || n > MAX_CELLS) {
    throw new InputError(`--cells must be an integer from 2 to ${MAX_CELLS}, got '${raw}'`);
  }
  return n;
}

function positiveLength(raw) {
  const x = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(String(raw).trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(x) || x <= 0)
    throw new InputError(`--length must be a positive number of metres, got '${raw}'`);
  return x;
}

export async function main(argv) {
  const args = parseArgs(argv, ['cells', 'length', 'out'], USAGE);
  if (args === null) return 0;
  if (args.positional.length > 0)
    throw new InputError(`unexpected argument '${args.positional[0]}'\n${USAGE}`, 2);
  if (args.options.cells === undefined) throw new InputError(`--cells is required\n${USAGE}`, 2);
  const cells = positiveCells(args.options.cells);
  const length = positiveLength(args.options.length ?? '1');
  const out = resolve(args.options.out ?? 'grid.dat');
  const spacing = length / cells;

  const text = [
    '// heat2d grid: a square plate of uniform cells; nodes sit on the cell corners,',
    '// so each side has cells + 1 nodes and the outermost nodes carry the boundary values.',
    `cells    ${cells};`,
    `nodes    ${cells + 1};`,
    `length   ${length};        // m`,
    `spacing  ${spacing};       // m`,
    '',
  ].join('\n');
  writeFileAtomic(out, text);
  process.stdout.write(
    `heat2d-mesh: ${cells} x ${cells} cells, ${(cells + 1) ** 2} nodes, ` +
      `h = ${fmtNum(spacing)} m on a ${fmtNum(length)} m plate -> ${out}\n`,
  );
  return 0;
}

/** Reads and checks a grid file written by heat2d-mesh. */
export function readGrid(text, file) {
  const d = parseDict(text, file);
  const cells = d.number('cells', { integer: true, min: 2, max: MAX_CELLS });
  const nodes = d.number('nodes', { integer: true });
  const length = d.number('length', { above: 0 });
  if (nodes !== cells + 1) throw new InputError(`${file}: nodes (${nodes}) must be cells + 1 (${cells + 1})`);
  return { cells, nodes, length, spacing: length / cells };
}
