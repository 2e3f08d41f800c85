import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProgress } from '../../src/run-dir/index.js';
import { parseAdapter } from '../../src/calc-package/index.js';
import { adapterXml, makeRunDir, type RunDir } from './run-dir.js';

let run: RunDir;
beforeEach(async () => {
  run = await makeRunDir();
});
afterEach(async () => {
  await run.remove();
});

const withTotal = parseAdapter(
  adapterXml('<Progress file="FLOW/solver.log" pattern="^Iter (\\d+) of (\\d+)"/>'),
);
const withAll = parseAdapter(
  adapterXml('<Progress file="FLOW/wing.log" pattern="^time step (\\d+)" all="{nsteps}"/>'),
);
const without = parseAdapter(adapterXml(''));

describe('readProgress', () => {
  it('takes the last matching line of the log, as strings', async () => {
    await run.write(
      'FLOW/solver.log',
      'start\nIter 1 of 10\nresidual 0.1\nIter 2 of 10\nIter 9 of 10\nwriting\n',
    );
    expect(await readProgress(run.dir, withTotal, {}, 0, 3)).toEqual({
      currentstep: '9',
      allstep: '10',
      source: 'file',
      warnings: [],
    });
  });

  it('takes the total from the all attribute, rendered', async () => {
    await run.write('FLOW/wing.log', 'time step 40\ntime step 41\n');
    const progress = await readProgress(run.dir, withAll, { nsteps: '500' }, 1, 3);
    expect(progress).toMatchObject({ currentstep: '41', allstep: '500', source: 'file' });
  });

  it('counts finished steps without a Progress rule, a file or a match', async () => {
    const byCount = { currentstep: '1', allstep: '3', source: 'steps', warnings: [] };
    expect(await readProgress(run.dir, without, {}, 1, 3)).toEqual(byCount);
    expect(await readProgress(run.dir, withTotal, {}, 1, 3)).toEqual(byCount);
    await run.write('FLOW/solver.log', 'meshing\n');
    expect(await readProgress(run.dir, withTotal, {}, 1, 3)).toEqual(byCount);
  });

  it('does not match a line over 64 KiB', async () => {
    await run.write('FLOW/solver.log', `Iter 4 of 10\nIter 5 of 10 ${'#'.repeat(70 * 1024)}\n`);
    expect(await readProgress(run.dir, withTotal, {}, 0, 3)).toMatchObject({
      currentstep: '4',
      allstep: '10',
    });
  });

  it('reads only the tail of a long log', async () => {
    await run.write('FLOW/solver.log', `Iter 1 of 10\n${'noise\n'.repeat(1000)}`);
    expect(await readProgress(run.dir, withTotal, {}, 0, 3, { tailBytes: 600 })).toMatchObject({
      source: 'steps',
    });
    expect(await readProgress(run.dir, withTotal, {}, 0, 3)).toMatchObject({
      source: 'file',
      currentstep: '1',
    });
  });

  it('warns and counts steps when the log is a FIFO or leads out of the run directory', async () => {
    await run.fifo('FLOW/solver.log');
    expect(await readProgress(run.dir, withTotal, {}, 2, 3)).toEqual({
      currentstep: '2',
      allstep: '3',
      source: 'steps',
      warnings: ['Progress file "FLOW/solver.log" skipped: is a FIFO, not a regular file'],
    });
    const other = await makeRunDir();
    try {
      await other.write('log', 'Iter 7 of 8\n');
      await run.link('FLOW2', other.dir);
      const linked = parseAdapter(
        adapterXml('<Progress file="FLOW2/log" pattern="^Iter (\\d+) of (\\d+)"/>'),
      );
      expect((await readProgress(run.dir, linked, {}, 2, 3)).warnings).toEqual([
        'Progress file "FLOW2/log" skipped: "FLOW2" is a symbolic link leading out of the run directory',
      ]);
    } finally {
      await other.remove();
    }
  });

  it('warns when a placeholder has no value', async () => {
    expect(await readProgress(run.dir, withAll, {}, 0, 3)).toEqual({
      currentstep: '0',
      allstep: '3',
      source: 'steps',
      warnings: ['Progress all: unknown placeholder {nsteps}'],
    });
  });
});
