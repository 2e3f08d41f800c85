import { describe, expect, it } from 'vitest';
import { displayNameProblem } from '../../src/archive/index.js';

describe('displayNameProblem', () => {
  it('accepts ordinary names of 1 to 200 characters, counted as code points', () => {
    for (const name of ['x', 'heat 2D', 'Wärmeleitung (v2)', 'مرحبا', 'x'.repeat(200), '😀'.repeat(200)]) {
      expect(displayNameProblem(name)).toBeUndefined();
    }
  });

  it('refuses each breach, naming the rule', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      [' ', 'only spaces'],
      ['\u00a0\u3000', 'only spaces'],
      ['x'.repeat(201), 'longer than 200 characters'],
      ['x'.repeat(900_000), 'longer than 200 characters'],
      ['a\nb', 'contains a control character'],
      ['a\u0085b', 'contains a control character'],
      ['abc\u202eexe.txt', 'contains a bidirectional control character U+202E'],
      ['\u2066x', 'contains a bidirectional control character U+2066'],
      ['pay\u200bpal', 'contains a zero-width or invisible character U+200B'],
      ['\ufeffname', 'contains a zero-width or invisible character U+FEFF'],
      ['\u200b', 'contains a zero-width or invisible character U+200B'],
    ];
    for (const [name, reason] of cases) expect(displayNameProblem(name)).toBe(reason);
  });
});
