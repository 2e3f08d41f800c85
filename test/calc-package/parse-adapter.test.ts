import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAdapter } from '../../src/calc-package/index.js';

const fixture = path.join(import.meta.dirname, '../fixtures/calc-packages/cavity/adapter.xml');
const wrap = (body: string): string => `<Adapter name="t" version="1">\n${body}\n</Adapter>\n`;
const STEP = '<ExeArgument id="s" type="shell" value="run" priority="1"/>';

const errorOf = (source: string): string => {
  try {
    parseAdapter(source);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
};

describe('parseAdapter: valid adapters', () => {
  it('reads every element and attribute of the DESIGN.md example', () => {
    const adapter = parseAdapter(readFileSync(fixture));
    expect(adapter).toEqual({
      name: 'cavity',
      version: '1.2.0',
      steps: [
        {
          id: 'grid',
          type: 'shell',
          value: 'mesh --cells {cells}',
          workpath: 'GRID',
          priority: 1,
          premethod: 'gridPre',
          postmethod: 'gridPost',
          line: 4,
        },
        {
          id: 'flow',
          type: 'shell',
          value: 'solve',
          workpath: 'FLOW',
          priority: 2,
          postmethod: 'flowPost',
          timeoutMs: 3_600_000,
          line: 6,
        },
        { id: 'post', type: 'shell', value: 'report', workpath: 'POST', priority: 3, line: 8 },
      ],
      files: [{ name: '{model}', target: 'GRID/{model}', create: true, unzip: false, line: 10 }],
      templates: [{ src: 'FLOW/solver.in.tpl', target: 'FLOW/solver.in', line: 11 }],
      progress: { file: 'FLOW/solver.log', pattern: '^Iter (\\d+) of (\\d+)', line: 13 },
      process: [
        { key: 'info', file: 'FLOW/solver.log', line: 14 },
        { key: 'chart', file: 'FLOW/residuals.dat', line: 15 },
      ],
      results: [
        { key: 'mesh', file: 'GRID/mesh.dat', line: 16 },
        { key: 'force', file: 'POST/forces.txt', line: 17 },
      ],
      outputs: [{ key: 'cd', file: 'POST/forces.txt', pattern: 'Cd\\s*=\\s*(\\S+)', line: 18 }],
    });
    expect(JSON.parse(JSON.stringify(adapter))).toEqual(adapter);
  });

  it('orders steps by priority, ties in document order; workpath defaults to the run directory', () => {
    const adapter = parseAdapter(
      wrap(
        [
          '<ExeArgument id="c" type="shell" value="c" priority="2.5"/>',
          '<ExeArgument id="a" type="shell" value="a" priority="-1" workpath="."/>',
          '<ExeArgument id="b" type="shell" value="b" priority="2.5" workpath=""/>',
          '<ExeArgument id="d" type="shell" value="d" priority="0" timeout="0.25"/>',
        ].join('\n'),
      ),
    );
    expect(adapter.steps.map((s) => [s.id, s.priority, s.workpath])).toEqual([
      ['a', -1, '.'],
      ['d', 0, '.'],
      ['c', 2.5, '.'],
      ['b', 2.5, '.'],
    ]);
    expect(adapter.steps[1]?.timeoutMs).toBe(250);
  });

  it('reads a step’s resource attributes as written, placeholders kept for dispatch to render', () => {
    const adapter = parseAdapter(
      wrap(
        '<ExeArgument id="s" type="shell" value="run" priority="1" cores="{np}" nodes="2" memory="4G" walltime="1-02:00:00"/>',
      ),
    );
    expect(adapter.steps[0]?.resources).toEqual({
      cores: '{np}',
      nodes: '2',
      memory: '4G',
      walltime: '1-02:00:00',
    });
    expect(parseAdapter(wrap(STEP)).steps[0]?.resources).toBeUndefined();
  });

  it('accepts Progress all, unzip into the run directory, items in .mirror/logs/, literal shell braces', () => {
    const adapter = parseAdapter(
      wrap(
        [
          `<ExeArgument id="s" type="shell" value="awk '{ print $1 }' {input} &amp;&amp; echo \${HOME} &quot;{label}&quot;" priority="1"/>`,
          '<File name="cases/{model}.zip" target="." unzip="1"/>',
          '<Progress file=".mirror/logs/s.log" pattern="step (\\d+)" all="{nsteps}"/>',
          '<Process key="log" file=".mirror/logs/s.log"/>',
          '<Result key="field" file="out/{case}/U"/>',
        ].join('\n'),
      ),
    );
    expect(adapter.steps[0]?.value).toBe(`awk '{ print $1 }' {input} && echo \${HOME} "{label}"`);
    expect(adapter.files[0]).toMatchObject({ target: '.', unzip: true, create: false });
    expect(adapter.progress).toEqual({
      file: '.mirror/logs/s.log',
      pattern: 'step (\\d+)',
      all: '{nsteps}',
      line: 4,
    });
    expect(adapter.process[0]?.file).toBe('.mirror/logs/s.log');
  });
});

describe('parseAdapter: invalid adapters, each with its exact message', () => {
  const cases: [string, string, string][] = [
    ['an unknown element', wrap('<Foo/>'), 'adapter.xml line 2: unknown element <Foo> in <Adapter>'],
    [
      'an unknown attribute, with its line',
      wrap(`${STEP}\n<ExeArgument id="t" type="shell" value="run" priority="2"\n   colour="red"/>`),
      'adapter.xml line 3: unknown attribute "colour" on <ExeArgument>',
    ],
    [
      'a duplicate step id',
      wrap(`${STEP}\n${STEP}`),
      'adapter.xml line 3: <ExeArgument> id="s": duplicate step id (first on line 2)',
    ],
    [
      'priority abc',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="abc"/>'),
      'adapter.xml line 2: <ExeArgument> priority="abc": not a number',
    ],
    [
      'a step without value',
      wrap('<ExeArgument id="s" type="shell" priority="1"/>'),
      'adapter.xml line 2: <ExeArgument> needs attribute "value"',
    ],
    [
      'a step with a blank value',
      wrap('<ExeArgument id="s" type="shell" value="  " priority="1"/>'),
      'adapter.xml line 2: <ExeArgument> value="  ": a step needs a command',
    ],
    [
      'a type other than shell',
      wrap('<ExeArgument id="s" type="python" value="run" priority="1"/>'),
      'adapter.xml line 2: <ExeArgument> type="python": only "shell" is supported',
    ],
    [
      'create="2"',
      wrap('<File name="m" target="m" create="2"/>'),
      'adapter.xml line 2: <File> create="2": must be "0" or "1"',
    ],
    [
      'a .. workpath',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" workpath="../x"/>'),
      'adapter.xml line 2: <ExeArgument> workpath="../x": path leaves the run directory',
    ],
    [
      'an absolute target',
      wrap('<File name="m" target="/etc/passwd"/>'),
      'adapter.xml line 2: <File> target="/etc/passwd": path is absolute',
    ],
    [
      'a target into .mirror/',
      wrap('<Template src="a.tpl" target=".mirror/calc/adapter.xml"/>'),
      'adapter.xml line 2: <Template> target=".mirror/calc/adapter.xml": path points into .mirror/',
    ],
    [
      'an item into .mirror/ outside logs',
      wrap('<Result key="r" file=".mirror/proj/secret"/>'),
      'adapter.xml line 2: <Result> file=".mirror/proj/secret": path points into .mirror/ (only .mirror/logs/ may be read)',
    ],
    [
      'a backreference pattern',
      wrap('<Output key="cd" file="f" pattern="(a)\\1"/>'),
      'adapter.xml line 2: <Output> pattern="(a)\\1": not a linear-time pattern (RE2: invalid escape sequence: \\1); backreferences and lookaround are not supported',
    ],
    [
      'a lookahead pattern',
      wrap('<Output key="cd" file="f" pattern="(?=Cd)(\\S+)"/>'),
      'adapter.xml line 2: <Output> pattern="(?=Cd)(\\S+)": not a linear-time pattern (RE2: invalid perl operator: (?=); backreferences and lookaround are not supported',
    ],
    [
      'a pattern that is not a regular expression',
      wrap('<Output key="cd" file="f" pattern="(a"/>'),
      'adapter.xml line 2: <Output> pattern="(a": not a valid regular expression: Unterminated group',
    ],
    [
      'Progress without groups',
      wrap('<Progress file="log" pattern="^Iter \\d+"/>'),
      'adapter.xml line 2: <Progress> pattern="^Iter \\d+": needs 2 capture groups (current and total) or an "all" attribute',
    ],
    [
      'Progress with all but no group',
      wrap('<Progress file="log" pattern="^Iter" all="10"/>'),
      'adapter.xml line 2: <Progress> pattern="^Iter": needs a capture group (the current step)',
    ],
    [
      'Output without a group',
      wrap('<Output key="cd" file="f" pattern="Cd"/>'),
      'adapter.xml line 2: <Output> pattern="Cd": needs a capture group (the value)',
    ],
    [
      'a duplicate item key across process and result',
      wrap('<Process key="info" file="a"/>\n<Result key="info" file="b"/>'),
      'adapter.xml line 3: <Result> key="info": duplicate item key (first on line 2)',
    ],
    [
      'the key currentstep',
      wrap('<Process key="currentstep" file="a"/>'),
      'adapter.xml line 2: <Process> key="currentstep": is reserved for progress',
    ],
    [
      'a DOCTYPE (billion laughs)',
      '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>\n<Adapter name="&b;" version="1"/>',
      'adapter.xml line 2: DOCTYPE is not allowed',
    ],
    [
      'a missing name attribute',
      '<Adapter version="1">\n</Adapter>',
      'adapter.xml line 1: <Adapter> needs attribute "name"',
    ],
    [
      'text content',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1">run me</ExeArgument>'),
      'adapter.xml line 2: unexpected text "run me" in <ExeArgument>',
    ],
    [
      'a child element in a step',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1">\n  <Env/>\n</ExeArgument>'),
      'adapter.xml line 3: unknown element <Env> in <ExeArgument>',
    ],
    [
      'timeout -1',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" timeout="-1"/>'),
      'adapter.xml line 2: <ExeArgument> timeout="-1": not a positive number of seconds',
    ],
    [
      'a timeout no timer can hold',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" timeout="9999999"/>'),
      'adapter.xml line 2: <ExeArgument> timeout="9999999": over the limit of 2147483 seconds',
    ],
    [
      'zero cores',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" cores="0"/>'),
      'adapter.xml line 2: <ExeArgument> cores="0": not a whole number from 1 to 1000000',
    ],
    [
      'memory without a known unit',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" memory="4 GB"/>'),
      'adapter.xml line 2: <ExeArgument> memory="4 GB": not a size: a number of MiB, or with a unit K, M, G or T (e.g. 512M, 4G)',
    ],
    [
      'a walltime in minutes alone',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" walltime="90"/>'),
      'adapter.xml line 2: <ExeArgument> walltime="90": not a walltime: HH:MM:SS or D-HH:MM:SS (e.g. 02:00:00, 1-12:00:00)',
    ],
    [
      'a stray brace in nodes',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" nodes="{n"/>'),
      'adapter.xml line 2: <ExeArgument> nodes="{n": a brace that is not part of a placeholder {name}',
    ],
    [
      'a malformed placeholder',
      wrap('<File name="{model" target="GRID/x"/>'),
      'adapter.xml line 2: <File> name="{model": a brace that is not part of a placeholder {name}',
    ],
    [
      'a placeholder in a workpath',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" workpath="{case}"/>'),
      'adapter.xml line 2: <ExeArgument> workpath="{case}": placeholders are not allowed here',
    ],
    [
      'a reserved placeholder name',
      wrap('<File name="m" target="{constructor}/m"/>'),
      'adapter.xml line 2: <File> target="{constructor}/m": placeholder {constructor} uses a reserved name',
    ],
    [
      'a placeholder after a backslash in a command',
      wrap('<ExeArgument id="s" type="shell" value="echo \\{x}" priority="1"/>'),
      'adapter.xml line 2: <ExeArgument> value="echo \\{x}": placeholder {x} follows a backslash',
    ],
    [
      'a placeholder inside backquotes',
      wrap('<ExeArgument id="s" type="shell" value="echo `cat {f}`" priority="1"/>'),
      'adapter.xml line 2: <ExeArgument> value="echo `cat {f}`": placeholder {f} is inside backquotes; use $(...)',
    ],
    [
      'a second Progress',
      wrap('<Progress file="a" pattern="(\\d+)/(\\d+)"/>\n<Progress file="b" pattern="(\\d+)/(\\d+)"/>'),
      'adapter.xml line 3: a second <Progress>, only one is allowed (the first is on line 2)',
    ],
    [
      'no step at all',
      wrap('<Result key="r" file="f"/>'),
      'adapter.xml line 1: <Adapter> has no <ExeArgument> step',
    ],
    [
      'another root element',
      '<Adaptor name="t" version="1"/>',
      'adapter.xml line 1: root element is <Adaptor>, expected <Adapter>',
    ],
    [
      'the step id all',
      wrap('<ExeArgument id="all" type="shell" value="run" priority="1"/>'),
      'adapter.xml line 2: <ExeArgument> id="all": "all" is reserved (jobrun step="all" runs every step)',
    ],
    [
      'a premethod that is not an identifier',
      wrap('<ExeArgument id="s" type="shell" value="run" priority="1" premethod="pre-grid"/>'),
      'adapter.xml line 2: <ExeArgument> premethod="pre-grid": not an identifier ([A-Za-z_][A-Za-z0-9_]*)',
    ],
    [
      'Progress all that is neither number nor placeholder',
      wrap('<Progress file="log" pattern="(\\d+)" all="many"/>'),
      'adapter.xml line 2: <Progress> all="many": must be a whole number or placeholders',
    ],
    [
      'two templates to one target',
      wrap('<Template src="a" target="x"/>\n<Template src="b" target="x"/>'),
      'adapter.xml line 3: <Template> target="x": duplicate template target (first on line 2)',
    ],
    [
      'a run directory target without unzip',
      wrap('<File name="m" target="."/>'),
      'adapter.xml line 2: <File> target=".": path has a "." component',
    ],
  ];
  for (const [what, source, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(errorOf(source)).toBe(message);
    });
  }

  it('refuses an adapter over maxBytes', () => {
    expect(() => parseAdapter(wrap(STEP), { maxBytes: 10 })).toThrow(
      'adapter.xml is 102 bytes, over the limit of 10',
    );
  });
});
