import { describe, expect, it } from 'vitest';
import { rowsPerStatement, slices } from '../../src/store/engine.js';
import { postgresEngine } from '../../src/store/postgres/index.js';
import { sqliteEngine } from '../../src/store/sqlite/index.js';

describe('engine traits', () => {
  it('keep a multi-row INSERT within each engine bound on parameters', () => {
    expect(rowsPerStatement(sqliteEngine, 10)).toBe(3276);
    expect(rowsPerStatement(postgresEngine, 10)).toBe(6553);
    expect(rowsPerStatement(sqliteEngine, 5) * 5).toBeLessThanOrEqual(32_766);
    expect(rowsPerStatement(sqliteEngine, 100_000)).toBe(1);
  });

  it('slice a list into consecutive parts', () => {
    expect([...slices([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...slices([], 3)]).toEqual([]);
  });

  it('declare capabilities rather than a kind', () => {
    expect(sqliteEngine.capabilities).toEqual({ advisoryLocks: false, sharedAcrossHosts: false });
    expect(postgresEngine.capabilities).toEqual({ advisoryLocks: true, sharedAcrossHosts: true });
    expect([sqliteEngine.rowLocks, postgresEngine.rowLocks]).toEqual([false, true]);
  });
});
