import { describe, expect, it } from 'vitest';
import { checkRelativePath, quoteName, relativePathProblem } from '../../src/archive/index.js';
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

  it('refuses bidirectional controls, naming the code point', () => {
    for (const code of [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2069]) {
      const label = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(relativePathProblem(`invoice${String.fromCharCode(code)}fdp.exe`)).toBe(
        `path contains a bidirectional control character ${label}`,
      );
    }
    expect(errorOf(() => checkRelativePath('a\u202etxt.exe', 'file'))).toBe(
      'file "a\\u202etxt.exe": path contains a bidirectional control character U+202E',
    );
  });

  it('refuses zero-width and invisible formatting characters, naming the code point', () => {
    for (const code of [0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2064, 0xfeff, 0x180e, 0x00ad]) {
      const label = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(relativePathProblem(`para${String.fromCharCode(code)}.xml`)).toBe(
        `path contains a zero-width or invisible character ${label}`,
      );
    }
    expect(errorOf(() => checkRelativePath('para\u200b.xml', 'file'))).toBe(
      'file "para\\u200b.xml": path contains a zero-width or invisible character U+200B',
    );
  });

  it('refuses a component that is only spaces', () => {
    for (const name of [' ', '   ', 'a/ /b', 'a/  ', '\u00a0', '\u3000/x']) {
      expect(relativePathProblem(name)).toBe('path has a component that is only spaces');
    }
  });

  it('refuses a whole path longer than 4096 UTF-8 bytes', () => {
    const component = `${'x'.repeat(99)}/`; // 100 bytes
    expect(relativePathProblem(component.repeat(40) + 'y'.repeat(96))).toBeUndefined();
    expect(relativePathProblem(component.repeat(50).slice(0, -1) + 'z')).toBe(
      'path of 5000 bytes is over the limit of 4096',
    );
    expect(relativePathProblem('é/'.repeat(1365) + 'é')).toBe('path of 4097 bytes is over the limit of 4096');
  });

  it('judges names as they are: spaces inside a name, right-to-left scripts and emoji pass', () => {
    for (const name of ['my file.txt', ' lead', 'trail ', 'مرحبا/ملف.txt', 'שלום.dat', 'données/😀.txt']) {
      expect(relativePathProblem(name)).toBeUndefined();
    }
  });

  it('shows hidden characters in messages as escapes', () => {
    expect(quoteName('a\u202eb\u200bc\ufeffd\u00ade')).toBe('"a\\u202eb\\u200bc\\ufeffd\\u00ade"');
  });
});
