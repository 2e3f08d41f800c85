import { describe, expect, it } from 'vitest';
import { bindArgs, type ParamSpec } from '../../src/core/index.js';
import { errorOf } from '../support/error-of.js';

const dispatchParams: ParamSpec[] = [
  { name: 'p_id', type: 'id' },
  { name: 'c_id', type: 'id' },
  { name: 'para_name', type: 'string', default: 'para.xml' },
];

describe('bindArgs', () => {
  it('fills defaults and keeps JSON values', () => {
    expect(bindArgs(dispatchParams, { p_id: 2, c_id: 1 }, 'json')).toEqual({
      p_id: 2,
      c_id: 1,
      para_name: 'para.xml',
    });
  });

  it('parses text arguments by declared type', () => {
    expect(bindArgs(dispatchParams, { p_id: '2', c_id: '1', para_name: 'piflow.xml' }, 'text')).toEqual({
      p_id: 2,
      c_id: 1,
      para_name: 'piflow.xml',
    });
    expect(bindArgs([{ name: 'force', type: 'flag', default: 0 }], { force: '1' }, 'text')).toEqual({
      force: 1,
    });
  });

  it('takes a count from 0 (a byte offset), as JSON or text, and refuses a negative one', () => {
    const offset: ParamSpec[] = [{ name: 'offset', type: 'count', default: 0 }];
    expect(bindArgs(offset, {}, 'json')).toEqual({ offset: 0 });
    expect(bindArgs(offset, { offset: 0 }, 'json')).toEqual({ offset: 0 });
    expect(bindArgs(offset, { offset: '4096' }, 'text')).toEqual({ offset: 4096 });
    expect(errorOf(() => bindArgs(offset, { offset: -1 }, 'json'))).toBe(
      'argument offset: -1 is not an integer from 0',
    );
    expect(errorOf(() => bindArgs(offset, { offset: '-1' }, 'text'))).toBe(
      'argument offset: "-1" is not an integer from 0',
    );
  });

  it('names a missing, unknown or malformed argument', () => {
    expect(errorOf(() => bindArgs(dispatchParams, { c_id: 1 }, 'json'))).toBe('missing argument p_id');
    expect(errorOf(() => bindArgs(dispatchParams, { p_id: 1, c_id: 1, x: 1 }, 'json'))).toBe(
      'unknown argument x',
    );
    expect(errorOf(() => bindArgs(dispatchParams, { p_id: '1', c_id: 1 }, 'json'))).toBe(
      'argument p_id: "1" is not a positive integer',
    );
    expect(errorOf(() => bindArgs(dispatchParams, { p_id: 1.5, c_id: 1 }, 'json'))).toBe(
      'argument p_id: 1.5 is not a positive integer',
    );
    expect(errorOf(() => bindArgs(dispatchParams, { p_id: '-1', c_id: '1' }, 'text'))).toBe(
      'argument p_id: "-1" is not a positive integer',
    );
    expect(errorOf(() => bindArgs(dispatchParams, { p_id: '0', c_id: '1' }, 'text'))).toBe(
      'argument p_id: "0" is not a positive integer',
    );
    expect(errorOf(() => bindArgs([{ name: 'force', type: 'flag', default: 0 }], { force: 2 }, 'json'))).toBe(
      'argument force: 2 is not 0 or 1',
    );
    expect(errorOf(() => bindArgs(dispatchParams, { p_id: 1, c_id: 1, para_name: 5 }, 'json'))).toBe(
      'argument para_name: 5 is not a string',
    );
  });

  it('does not treat inherited names as arguments', () => {
    expect(
      errorOf(() =>
        bindArgs(
          dispatchParams,
          JSON.parse('{"__proto__": 1, "c_id": 1}') as Record<string, unknown>,
          'json',
        ),
      ),
    ).toBe('unknown argument __proto__');
  });
});
