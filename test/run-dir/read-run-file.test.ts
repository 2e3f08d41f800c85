import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastMatch, openRunFile, readRunFile } from '../../src/run-dir/index.js';
import { compilePattern } from '../../src/calc-package/index.js';
import { makeRunDir, type RunDir } from './run-dir.js';

let run: RunDir;
beforeEach(async () => {
  run = await makeRunDir();
});
afterEach(async () => {
  await run.remove();
});

describe('readRunFile', () => {
  it('reads a file whole, or says it is missing', async () => {
    await run.write('FLOW/solver.log', 'a\nb\n');
    expect(await readRunFile(run.dir, 'FLOW/solver.log', 'Progress file', { mode: 'full' })).toEqual({
      kind: 'read',
      path: `${run.dir}/FLOW/solver.log`,
      text: 'a\nb\n',
      size: 4,
      truncated: false,
    });
    expect(await readRunFile(run.dir, 'FLOW/none.log', 'Progress file')).toEqual({
      kind: 'missing',
      path: `${run.dir}/FLOW/none.log`,
    });
    expect((await readRunFile(run.dir, 'NOPE/x.log', 'Progress file')).kind).toBe('missing');
  });

  it('reads only the tail, whole lines only', async () => {
    await run.write('log', 'first line\nsecond line\nthird\n');
    const tail = await readRunFile(run.dir, 'log', 'Progress file', { mode: 'tail', bytes: 15 });
    expect(tail).toMatchObject({ kind: 'read', text: 'third\n', size: 29, truncated: true });
    // A cut right after a newline keeps the line that follows it.
    const exact = await readRunFile(run.dir, 'log', 'Progress file', { mode: 'tail', bytes: 18 });
    expect(exact).toMatchObject({ text: 'second line\nthird\n' });
  });

  it('skips a full read over its limit', async () => {
    await run.write('big', 'x'.repeat(100));
    expect(await readRunFile(run.dir, 'big', 'Output cd file', { mode: 'full', maxBytes: 99 })).toEqual({
      kind: 'skipped',
      warning: 'Output cd file "big" skipped: is 100 bytes, over the limit of 99',
    });
  });

  it('reads .mirror/logs/ but nothing else of .mirror/, nor outside', async () => {
    await run.write('.mirror/logs/flow.log', 'ok\n');
    await run.write('.mirror/calc/adapter.xml', '<Adapter/>');
    expect((await readRunFile(run.dir, '.mirror/logs/flow.log', 'Process log file')).kind).toBe('read');
    expect(await readRunFile(run.dir, '.mirror/calc/adapter.xml', 'Process x file')).toEqual({
      kind: 'skipped',
      warning:
        'Process x file ".mirror/calc/adapter.xml" skipped: path points into .mirror/ (only .mirror/logs/ may be read)',
    });
    expect(await readRunFile(run.dir, '../etc/passwd', 'Process x file')).toMatchObject({ kind: 'skipped' });
  });

  it('follows links that stay inside, refuses those leading out', async () => {
    await run.write('FLOW/solver.log', 'inside\n');
    await run.link('latest.log', 'FLOW/solver.log');
    await run.link('FLOWLINK', 'FLOW');
    await run.link('passwd', '/etc/passwd');
    await run.link('ETC', '/etc');
    await run.link('calc', '.mirror/calc/adapter.xml');
    await run.write('.mirror/calc/adapter.xml', '<Adapter/>');
    await run.link('gone', '/nonexistent/file');
    await run.link('later', 'FLOW/later.log');
    await run.link('loop', 'loop');
    expect(await readRunFile(run.dir, 'latest.log', 'Process info file')).toMatchObject({
      kind: 'read',
      path: `${run.dir}/FLOW/solver.log`,
      text: 'inside\n',
    });
    expect((await readRunFile(run.dir, 'FLOWLINK/solver.log', 'Process info file')).kind).toBe('read');
    expect(await readRunFile(run.dir, 'passwd', 'Result leak file')).toEqual({
      kind: 'skipped',
      warning:
        'Result leak file "passwd" skipped: "passwd" is a symbolic link leading out of the run directory',
    });
    expect(await readRunFile(run.dir, 'ETC/passwd', 'Result leak file')).toEqual({
      kind: 'skipped',
      warning:
        'Result leak file "ETC/passwd" skipped: "ETC" is a symbolic link leading out of the run directory',
    });
    expect(await readRunFile(run.dir, 'calc', 'Result x file')).toMatchObject({
      kind: 'skipped',
      warning: expect.stringContaining('leads into .mirror/') as unknown,
    });
    expect((await readRunFile(run.dir, 'gone', 'Result x file')).kind).toBe('skipped');
    expect((await readRunFile(run.dir, 'later', 'Result x file')).kind).toBe('missing');
    expect(await readRunFile(run.dir, 'loop', 'Result x file')).toMatchObject({
      kind: 'skipped',
      warning: 'Result x file "loop" skipped: "loop" is a symbolic link loop',
    });
  });

  it('skips a FIFO without blocking, and a directory', async () => {
    await run.fifo('FLOW/pipe');
    const started = Date.now();
    expect(await readRunFile(run.dir, 'FLOW/pipe', 'Progress file')).toEqual({
      kind: 'skipped',
      warning: 'Progress file "FLOW/pipe" skipped: is a FIFO, not a regular file',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await readRunFile(run.dir, 'FLOW', 'Progress file')).toMatchObject({
      kind: 'skipped',
      warning: 'Progress file "FLOW" skipped: is a directory, not a regular file',
    });
    expect((await readRunFile(run.dir, '.', 'Progress file')).kind).toBe('skipped');
  });

  it('hands out an open file the caller closes', async () => {
    await run.write('r.dat', '12345');
    const opened = await openRunFile(run.dir, 'r.dat', 'Result r file');
    if (opened.kind !== 'opened') throw new Error(opened.kind);
    try {
      expect(opened.size).toBe(5);
      expect((await opened.handle.readFile()).toString()).toBe('12345');
    } finally {
      await opened.handle.close();
    }
  });
});

describe('lastMatch', () => {
  const iter = compilePattern('^Iter (\\d+) of (\\d+)');

  it('finds the last matching line and its groups', () => {
    const text = 'Iter 1 of 10\nnoise\nIter 2 of 10\r\nIter 3 of 10\nend\n';
    expect(lastMatch(text, iter)).toEqual({
      line: 'Iter 3 of 10',
      lineNumber: 4,
      groups: ['Iter 3 of 10', '3', '10'],
    });
    expect(lastMatch('nothing here\n', iter)).toBeUndefined();
    expect(lastMatch('', iter)).toBeUndefined();
  });

  it('does not match lines over 64 KiB', () => {
    const long = `Iter 99 of 100 ${'x'.repeat(70 * 1024)}`;
    expect(lastMatch(`Iter 5 of 100\n${long}\n`, iter)?.groups[1]).toBe('5');
    // Counted in UTF-8 bytes: 30,000 three-byte characters are 90,000 bytes.
    expect(lastMatch(`Iter 7 of 9 ${'€'.repeat(30_000)}`, iter)).toBeUndefined();
    expect(lastMatch(`Iter 7 of 9 ${'x'.repeat(60_000)}`, iter)?.groups[1]).toBe('7');
  });

  it('can require groups to have taken part', () => {
    const optional = compilePattern('^step (\\d+)(?: of (\\d+))?');
    const text = 'step 1 of 4\nstep 2\n';
    expect(lastMatch(text, optional)?.groups).toEqual(['step 2', '2', undefined]);
    expect(lastMatch(text, optional, 2)?.groups).toEqual(['step 1 of 4', '1', '4']);
  });
});
