import { describe, expect, it } from 'vitest';
import { parseSeries } from '../../src/hub/series.js';

describe('numeric series of a process file', () => {
  it('reads a residual history: whitespace columns, no names', () => {
    expect(parseSeries('1 1.0e-1\n2 5.0e-2\n3 2.5e-2\n')).toEqual({
      columns: ['x', 'y1'],
      rows: [
        [1, 0.1],
        [2, 0.05],
        [3, 0.025],
      ],
    });
  });

  it('takes column names from a header line, commented or not, and skips comments and blanks', () => {
    const text = '# solver monitor\n# time Ux Uy\n\n0, 1, 2\n// restart\n0.5, 1.5, 2.5\n';
    expect(parseSeries(text)).toEqual({
      columns: ['time', 'Ux', 'Uy'],
      rows: [
        [0, 1, 2],
        [0.5, 1.5, 2.5],
      ],
    });
  });

  it('skips rows of another width or with a value that is not a number, and keeps the last maxRows', () => {
    expect(parseSeries('1 2\n3\n4 five\n6 7\n8 9\n', 2)).toEqual({
      columns: ['x', 'y1'],
      rows: [
        [6, 7],
        [8, 9],
      ],
    });
    expect(parseSeries('')).toEqual({ columns: [], rows: [] });
    expect(parseSeries('Iter 1 of 400  residual 1e-2\n')).toEqual({ columns: [], rows: [] });
  });
});
