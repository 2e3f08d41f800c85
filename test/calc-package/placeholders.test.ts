import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { placeholdersOf, renderShellCommand, renderText } from '../../src/calc-package/index.js';

const DICTIONARY = `FoamFile
{
    version     2.0;
    object      blockMeshDict;
}
cells       ({cells} {cells} 1);
convertToMeters \${{ 1 + 2 }};
root        $HOME/{case};
shellVar    \${HOME};
nested      \${{ {a} + {b} }};
literal     {{cells}};
boundary
{
    inlet { type patch; faces ((0 4 7 3)); }
    { spaced } {not-an-identifier} {}
}
`;

/** Runs a rendered command with /bin/sh -c and returns what it printed. */
const sh = (command: string): string => execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8' });

describe('placeholders', () => {
  it('finds {identifier} placeholders only, each once, in order', () => {
    expect(placeholdersOf(DICTIONARY)).toEqual(['cells', 'case']);
    expect(placeholdersOf('{b}{a}{b} {{c}} ${d} { e } {1x}')).toEqual(['b', 'a']);
  });

  it('renders a solver dictionary: { } blocks, ${...} runs, $HOME and {{name}} as documented', () => {
    const out = renderText(DICTIONARY, { cells: '64', case: 'wing' });
    expect(out).toBe(`FoamFile
{
    version     2.0;
    object      blockMeshDict;
}
cells       (64 64 1);
convertToMeters \${{ 1 + 2 }};
root        $HOME/wing;
shellVar    \${HOME};
nested      \${{ {a} + {b} }};
literal     {cells};
boundary
{
    inlet { type patch; faces ((0 4 7 3)); }
    { spaced } {not-an-identifier} {}
}
`);
  });

  it('copies an unmatched ${ verbatim to the end', () => {
    expect(renderText('a ${ {x} b', { x: '1' })).toBe('a ${ {x} b');
  });

  it('inserts values verbatim, never expanding braces inside them', () => {
    expect(renderText('{a}/{b}', { a: '{b}', b: '${{x}}' })).toBe('{b}/${{x}}');
  });

  it('names a missing placeholder', () => {
    expect(() => renderText('n = {cells}', {})).toThrow(/^unknown placeholder \{cells\}$/);
    expect(() => renderText('n = {cells}', {}, 'template FLOW/solver.in.tpl')).toThrow(
      /^template FLOW\/solver\.in\.tpl: unknown placeholder \{cells\}$/,
    );
    expect(() => renderText('{toString}', {})).toThrow('unknown placeholder {toString}');
    expect(() => renderText('{__proto__}', {})).toThrow('unknown placeholder {__proto__}');
  });
});

describe('renderShellCommand', () => {
  const hostile = 'x; rm -rf / #\'"$(touch /tmp/pwned)`id`\\';

  it('keeps a value with shell syntax one argument: run with /bin/sh -c, argv count 2', () => {
    const command = renderShellCommand('set -- {a} {b}; echo $#; printf "%s\\n" "$1"', {
      a: hostile,
      b: 'two',
    });
    expect(command.startsWith("set -- 'x; rm -rf / #'\\''")).toBe(true);
    expect(sh(command)).toBe(`2\n${hostile}\n`);
  });

  it("holds inside the command's own single and double quotes", () => {
    const values = { a: hostile, b: "it's" };
    expect(sh(renderShellCommand('set -- \'{a}\' "{b}" "pre-{a}-post"; echo $#', values))).toBe('3\n');
    expect(sh(renderShellCommand("printf '%s|' '[{a}]' \"<{b}>\"", values))).toBe(`[${hostile}]|<it's>|`);
    expect(sh(renderShellCommand('echo "$(printf %s "{a}")"', values))).toBe(`${hostile}\n`);
  });

  it('leaves literal shell braces and ${...} alone and does not expand values', () => {
    const command = renderShellCommand("echo ${HOME+set} {v} | awk '{ print $1 }'", { v: '{other}' });
    expect(command).toBe("echo ${HOME+set} '{other}' | awk '{ print $1 }'");
    expect(sh(command)).toBe('set\n');
  });

  it('refuses placeholders no quoting can hold, and names a missing one', () => {
    expect(() => renderShellCommand('echo \\{a}', { a: 'x' }, 'step grid')).toThrow(
      'step grid: placeholder {a} follows a backslash',
    );
    expect(() => renderShellCommand("echo $'{a}'", { a: 'x' })).toThrow(
      "command: placeholder {a} is inside $'...' quoting",
    );
    expect(() => renderShellCommand('echo # {a}', { a: 'x' })).toThrow(
      'placeholder {a} is inside a shell comment',
    );
    expect(() => renderShellCommand('cat <<EOF\n{a}\nEOF', { a: 'x' })).toThrow(
      'placeholder {a} comes after a here-document (<<)',
    );
    expect(() => renderShellCommand('mesh --cells {cells}', {}, 'step grid')).toThrow(
      'step grid: unknown placeholder {cells}',
    );
  });

  it('treats # inside a word as text', () => {
    expect(sh(renderShellCommand('echo a#{v}', { v: 'b c' }))).toBe('a#b c\n');
  });
});
