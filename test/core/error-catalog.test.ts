import { describe, expect, it } from 'vitest';
import {
  errorCatalog,
  fail,
  formatMessage,
  mirrorError,
  MirrorError,
  ok,
  reply,
} from '../../src/core/index.js';

describe('error catalog', () => {
  it('keeps the three seed messages byte for byte', () => {
    expect(mirrorError('JOB_NOT_FOUND', { job: 1 }).message).toBe('job is not existed , job : 1');
    expect(mirrorError('PACKAGE_NOT_FOUND', { calcpackage: 1 }).message).toBe(
      'calcpackage is not existed , calcpackage : 1',
    );
    expect(mirrorError('JOB_NOT_RUNNING', { jobid: 1 }).message).toBe('job not running , jobid : 1');
  });

  it('words project-not-found and job-is-running in the same shape', () => {
    expect(mirrorError('PROJECT_NOT_FOUND', { project: 2 }).message).toBe(
      'project is not existed , project : 2',
    );
    expect(mirrorError('JOB_IS_RUNNING', { jobid: 7 }).message).toBe('job is running , jobid : 7');
  });

  it('gives every entry an HTTP status and a non-empty message', () => {
    for (const [code, entry] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.message.length).toBeGreaterThan(0);
    }
  });

  it('leaves a missing param visible instead of dropping it', () => {
    expect(formatMessage('JOB_NOT_FOUND', {})).toBe('job is not existed , job : {job}');
  });

  it('crosses a process boundary as plain data and comes back as the same error', () => {
    const err = mirrorError('JOB_NOT_FOUND', { job: 42 });
    const back = MirrorError.fromJSON(JSON.parse(JSON.stringify(err)) as ReturnType<MirrorError['toJSON']>);
    expect(back).toBeInstanceOf(MirrorError);
    expect(back.code).toBe('JOB_NOT_FOUND');
    expect(back.message).toBe('job is not existed , job : 42');
    expect(back.status).toBe(404);
  });
});

describe('replies', () => {
  it('builds [0, value] and [-1, message]', async () => {
    expect(ok([])).toEqual([0, []]);
    expect(fail(mirrorError('JOB_NOT_FOUND', { job: 3 }))).toEqual([-1, 'job is not existed , job : 3']);
    expect(await reply(() => [7, 8])).toEqual([0, [7, 8]]);
    expect(
      await reply(() => {
        throw mirrorError('JOB_NOT_RUNNING', { jobid: 9 });
      }),
    ).toEqual([-1, 'job not running , jobid : 9']);
  });

  it('turns an unexpected exception into an internal error reply', async () => {
    expect(
      await reply(() => {
        throw new TypeError('boom');
      }),
    ).toEqual([-1, 'internal error: boom']);
  });
});
