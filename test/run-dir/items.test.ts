import { stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listItemFiles, readOutputs } from '../../src/run-dir/index.js';
import { parseAdapter } from '../../src/calc-package/index.js';
import { adapterXml, makeRunDir, type RunDir } from './run-dir.js';

let run: RunDir;
beforeEach(async () => {
  run = await makeRunDir();
});
afterEach(async () => {
  await run.remove();
});

describe('readOutputs', () => {
  const adapter = parseAdapter(
    adapterXml(`
  <Output key="cd" file="POST/forces.txt" pattern="Cd\\s*=\\s*(\\S+)"/>
  <Output key="cl" file="POST/forces.txt" pattern="Cl\\s*=\\s*(\\S+)"/>
  <Output key="cm" file="POST/forces.txt" pattern="Cm\\s*=\\s*(\\S+)"/>
  <Output key="stress" file="POST/{case}-stress.txt" pattern="max (\\S+) MPa"/>
  <Output key="mass" file="POST/mass.txt" pattern="mass (\\S+)"/>`),
  );

  it('parses the last match of each item as a string, warning about the rest', async () => {
    await run.write('POST/forces.txt', 'Cd = 0.31\nCl = 1.20\nCd = 0.0297\n');
    await run.write('POST/wing-stress.txt', 'max 210.5 MPa\n');
    expect(await readOutputs(run.dir, adapter, { case: 'wing' })).toEqual({
      values: { cd: '0.0297', cl: '1.20', stress: '210.5' },
      warnings: [
        'Output cm file "POST/forces.txt": no line matches "Cm\\\\s*=\\\\s*(\\\\S+)"',
        'Output mass file "POST/mass.txt": no such file yet',
      ],
    });
  });

  it('warns once for a file several items read', async () => {
    await run.link('POST/forces.txt', '/etc/passwd');
    const { values, warnings } = await readOutputs(run.dir, adapter, {});
    expect(values).toEqual({});
    expect(warnings).toEqual([
      'Output stress file: unknown placeholder {case}',
      'Output cd, cl, cm file "POST/forces.txt" skipped: "POST/forces.txt" is a symbolic link leading out of the run directory',
      'Output mass file "POST/mass.txt": no such file yet',
    ]);
  });
});

describe('listItemFiles', () => {
  const adapter = parseAdapter(
    adapterXml(`
  <Process key="log" file=".mirror/logs/flow.log"/>
  <Process key="chart" file="FLOW/residuals.dat"/>
  <Result key="time" file="FLOW/{time}"/>
  <Result key="mesh" file="GRID/mesh.dat"/>
  <Result key="leak" file="POST/leak"/>
  <Result key="pipe" file="POST/pipe"/>`),
  );

  it('reports files, directories, missing and skipped items', async () => {
    await run.write('.mirror/logs/flow.log', 'running\n');
    await run.write('FLOW/residuals.dat', '1 0.5\n2 0.25\n');
    await run.write('FLOW/0.5/U', 'field');
    await run.link('POST/leak', '/etc/passwd');
    await run.fifo('POST/pipe');
    const items = [...adapter.process, ...adapter.results];
    expect(await listItemFiles(run.dir, items, { time: '0.5' })).toEqual([
      {
        key: 'log',
        file: '.mirror/logs/flow.log',
        kind: 'file',
        path: `${run.dir}/.mirror/logs/flow.log`,
        size: 8,
        mtimeMs: (await stat(`${run.dir}/.mirror/logs/flow.log`)).mtimeMs,
      },
      {
        key: 'chart',
        file: 'FLOW/residuals.dat',
        kind: 'file',
        path: `${run.dir}/FLOW/residuals.dat`,
        size: 13,
        mtimeMs: (await stat(`${run.dir}/FLOW/residuals.dat`)).mtimeMs,
      },
      { key: 'time', file: 'FLOW/0.5', kind: 'directory', path: `${run.dir}/FLOW/0.5` },
      { key: 'mesh', file: 'GRID/mesh.dat', kind: 'missing' },
      {
        key: 'leak',
        file: 'POST/leak',
        kind: 'skipped',
        warning:
          'item leak file "POST/leak" skipped: "POST/leak" is a symbolic link leading out of the run directory',
      },
      {
        key: 'pipe',
        file: 'POST/pipe',
        kind: 'skipped',
        warning: 'item pipe file "POST/pipe" skipped: is a FIFO',
      },
    ]);
  });

  it('skips an item whose path cannot be rendered or leaves the run directory', async () => {
    const [time] = adapter.results;
    if (time === undefined) throw new Error('no items');
    expect(await listItemFiles(run.dir, [time], {})).toEqual([
      {
        key: 'time',
        file: 'FLOW/{time}',
        kind: 'skipped',
        warning: 'item time file: unknown placeholder {time}',
      },
    ]);
    expect(await listItemFiles(run.dir, [time], { time: '../../etc' })).toEqual([
      {
        key: 'time',
        file: 'FLOW/../../etc',
        kind: 'skipped',
        warning: 'item time file "FLOW/../../etc" skipped: path has a ".." component',
      },
    ]);
  });
});
