import { describe, expect, it } from 'vitest';
import { checkRelativePath, relativePathProblem } from '../../src/archive/index.js';
import { errorOf } from '../support/error-of.js';

describe('checkRelativePath', () => {
  it('accepts relative /-separated names and returns them in NFC', () => {
    expect(checkRelativePath('GRID/mesh.dat', 'file')).toBe('GRID/mesh.dat');
    expect(checkRelativePath('.hidden/a..b/...', 'file')).toBe('.hidden/a..b/...');
    const nfd = 'cafe\u0301/x';
    expect(checkRelativePath(nfd, 'file')).toBe('caf\u00e9/x');
  });

  it('refuses each breach of the Names rules, naming what and the JSON-quoted value', () => {
    const cases: [string, string][] = [
      ['', 'file "": path is empty'],
      ['../x', 'file "../x": path leaves its directory'],
      ['a/../b', 'file "a/../b": path has a ".." component'],
      ['/etc/passwd', 'file "/etc/passwd": path is absolute'],
      ['C:/x', 'file "C:/x": path starts with a drive letter'],
      ['c:x', 'file "c:x": path starts with a drive letter'],
      ['a\\b', 'file "a\\\\b": path contains a backslash'],
      ['a\u0000b', 'file "a\\u0000b": path contains a control character'],
      ['a\nb', 'file "a\\nb": path contains a control character'],
      ['a\u0085b', 'file "a\\u0085b": path contains a control character'],
      ['a//b', 'file "a//b": path has an empty component'],
      ['a/', 'file "a/": path has an empty component'],
      ['./a', 'file "./a": path has a "." component'],
      [
        `${'x'.repeat(256)}`,
        `file "${'x'.repeat(200)}…": path component of 256 bytes is over the limit of 255`,
      ],
    ];
    for (const [name, message] of cases) expect(errorOf(() => checkRelativePath(name, 'file'))).toBe(message);
  });

  it('counts component length in UTF-8 bytes', () => {
    expect(relativePathProblem('é'.repeat(127))).toBeUndefined();
    expect(relativePathProblem('é'.repeat(128))).toBe('path component of 256 bytes is over the limit of 255');
  });

  it("says what a climbing path leaves, in the caller's words", () => {
    expect(relativePathProblem('../x', 'the run directory')).toBe('path leaves the run directory');
  });
});
