// Hostile XML, in an adapter.xml (registering a calc package) and in a para file
// (dispatching): each is refused with its exact error, and nothing is stored.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedded } from '../../src/embedded/index.js';
import { openEmbedded, scratchDir } from '../support/embedded.js';
import { rejectionOf } from '../support/error-of.js';
import { hubSnapshot } from './unchanged.js';

const STEP = '<ExeArgument id="s" type="shell" value="run" priority="1"/>';
const wrap = (body: string) => `<Adapter name="t" version="1">\n${body}\n</Adapter>\n`;

/** [case, adapter.xml, the exact error]. */
const ADAPTERS: [string, string, string][] = [
  [
    'billion laughs (entity expansion)',
    `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<Adapter name="&lol2;" version="1">${STEP}</Adapter>`,
    'adapter.xml line 2: DOCTYPE is not allowed',
  ],
  [
    'external entity file://',
    `<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Adapter name="&x;" version="1">${STEP}</Adapter>`,
    'adapter.xml line 1: DOCTYPE is not allowed',
  ],
  [
    'external entity http://',
    `<!DOCTYPE a [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>\n<Adapter name="&x;" version="1">${STEP}</Adapter>`,
    'adapter.xml line 1: DOCTYPE is not allowed',
  ],
  ['a plain DOCTYPE', `<!DOCTYPE Adapter>\n${wrap(STEP)}`, 'adapter.xml line 1: DOCTYPE is not allowed'],
  [
    'an undefined entity',
    wrap('<ExeArgument id="s" type="shell" value="&foo;" priority="1"/>'),
    'adapter.xml line 2: malformed XML: undefined entity.',
  ],
  [
    'a huge attribute value',
    wrap(`<ExeArgument id="s" type="shell" value="${'x'.repeat(2_000_000)}" priority="1"/>`),
    'adapter.xml is 2000099 bytes, over the limit of 1048576',
  ],
  [
    'deep nesting',
    wrap(STEP + '<a>'.repeat(100) + '</a>'.repeat(100)),
    'adapter.xml line 2: nesting deeper than 64',
  ],
  [
    'a wrong encoding declaration',
    `<?xml version="1.0" encoding="ISO-8859-1"?>\n${wrap(STEP)}`,
    'adapter.xml line 1: encoding "ISO-8859-1" is not UTF-8',
  ],
  [
    'an unknown element',
    wrap(`${STEP}<Script/>`),
    'adapter.xml line 2: unknown element <Script> in <Adapter>',
  ],
  [
    'an unknown attribute',
    wrap('<ExeArgument id="s" type="shell" value="run" priority="1" onload="x"/>'),
    'adapter.xml line 2: unknown attribute "onload" on <ExeArgument>',
  ],
  [
    'duplicate step ids',
    wrap(STEP + STEP),
    'adapter.xml line 2: <ExeArgument> id="s": duplicate step id (first on line 2)',
  ],
  [
    'a priority that is not a number',
    wrap('<ExeArgument id="s" type="shell" value="run" priority="high"/>'),
    'adapter.xml line 2: <ExeArgument> priority="high": not a number',
  ],
  [
    'a step with no value',
    wrap('<ExeArgument id="s" type="shell" priority="1"/>'),
    'adapter.xml line 2: <ExeArgument> needs attribute "value"',
  ],
  [
    'a step with an empty value',
    wrap('<ExeArgument id="s" type="shell" value="" priority="1"/>'),
    'adapter.xml line 2: <ExeArgument> value="": a step needs a command',
  ],
  ['a CDATA section', wrap(`${STEP}<![CDATA[x]]>`), 'adapter.xml line 2: CDATA section is not allowed'],
  [
    'a processing instruction',
    wrap(`${STEP}<?php echo 1; ?>`),
    'adapter.xml line 2: processing instruction <?php?> is not allowed',
  ],
  [
    'XInclude',
    wrap(`${STEP}<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>`),
    'adapter.xml line 2: XInclude <xi:include> is not allowed',
  ],
  [
    'malformed XML',
    wrap(STEP).replace('</Adapter>', '</Adaptr>'),
    'adapter.xml line 3: malformed XML: unexpected close tag.',
  ],
  [
    'a workpath with ..',
    wrap('<ExeArgument id="s" type="shell" value="run" priority="1" workpath="../x"/>'),
    'adapter.xml line 2: <ExeArgument> workpath="../x": path leaves the run directory',
  ],
  [
    'an absolute workpath',
    wrap('<ExeArgument id="s" type="shell" value="run" priority="1" workpath="/tmp"/>'),
    'adapter.xml line 2: <ExeArgument> workpath="/tmp": path is absolute',
  ],
  [
    'a workpath into .mirror/',
    wrap('<ExeArgument id="s" type="shell" value="run" priority="1" workpath=".mirror/calc"/>'),
    'adapter.xml line 2: <ExeArgument> workpath=".mirror/calc": path points into .mirror/',
  ],
  [
    'a copy rule target with ..',
    wrap(`${STEP}<File name="a.dat" target="../a.dat" create="1" unzip="0"/>`),
    'adapter.xml line 2: <File> target="../a.dat": path leaves the run directory',
  ],
  [
    'an absolute copy rule target',
    wrap(`${STEP}<File name="a.dat" target="/etc/a.dat" create="1" unzip="0"/>`),
    'adapter.xml line 2: <File> target="/etc/a.dat": path is absolute',
  ],
  [
    'a copy rule into .mirror/',
    wrap(`${STEP}<File name="a.dat" target=".mirror/calc/bin/run" create="1" unzip="0"/>`),
    'adapter.xml line 2: <File> target=".mirror/calc/bin/run": path points into .mirror/',
  ],
  [
    'a copy rule source leaving the project',
    wrap(`${STEP}<File name="../../etc/passwd" target="a.dat" create="1" unzip="0"/>`),
    'adapter.xml line 2: <File> name="../../etc/passwd": path leaves the project',
  ],
  [
    'a template source leaving template/',
    wrap(`${STEP}<Template src="../x" target="a"/>`),
    'adapter.xml line 2: <Template> src="../x": path leaves template/',
  ],
  [
    'a result file leaving the run directory',
    wrap(`${STEP}<Result key="r" file="../../etc/passwd"/>`),
    'adapter.xml line 2: <Result> file="../../etc/passwd": path leaves the run directory',
  ],
  [
    'an invalid pattern',
    wrap(`${STEP}<Output key="o" file="a" pattern="(a+)+$("/>`),
    'adapter.xml line 2: <Output> pattern="(a+)+$(": not a valid regular expression: Unterminated group',
  ],
  [
    'a negative timeout',
    wrap('<ExeArgument id="s" type="shell" value="run" priority="1" timeout="-5"/>'),
    'adapter.xml line 2: <ExeArgument> timeout="-5": not a positive number of seconds',
  ],
];

/** [case, para.xml, the exact error of dispatching it]. */
const PARAS: [string, string, string][] = [
  [
    'billion laughs in a para file',
    '<!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Para><Param name="v" value="&b;"/></Para>',
    'para.xml line 1: DOCTYPE is not allowed',
  ],
  [
    'an external entity in a para file',
    '<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Para><Param name="v" value="&x;"/></Para>',
    'para.xml line 1: DOCTYPE is not allowed',
  ],
  [
    'a parameter name that is not an identifier',
    '<Para><Param name="v;rm" value="x"/></Para>',
    'para.xml line 1: <Param> name="v;rm": not an identifier (a letter or _, then letters, digits or _)',
  ],
  [
    'a parameter name starting with a digit',
    '<Para><Param name="1v" value="x"/></Para>',
    'para.xml line 1: <Param> name="1v": not an identifier (a letter or _, then letters, digits or _)',
  ],
  [
    'a reserved parameter name',
    '<Para><Param name="__proto__" value="x"/></Para>',
    'para.xml line 1: <Param> name="__proto__": a reserved name',
  ],
  [
    'a NUL character in a value',
    '<Para><Param name="v" value="a&#0;b"/></Para>',
    'para.xml line 1: malformed XML: malformed character entity.',
  ],
  [
    'a control character in a value',
    '<Para><Param name="v" value="a&#1;b"/></Para>',
    'para.xml line 1: malformed XML: malformed character entity.',
  ],
  [
    'more states than allowed',
    `<Para><States rule="product"><Param name="v" values="${[...Array(400).keys()].join(' ')}"/><Param name="w" values="${[...Array(400).keys()].join(' ')}"/></States></Para>`,
    'para.xml makes 160000 states, over the limit of 100000 (maxStates)',
  ],
];

describe('hostile XML', () => {
  let mirror: Embedded;
  let packageId: number;

  beforeAll(async () => {
    mirror = await openEmbedded({ autorun: 'false' });
    packageId = (
      await mirror.hub.calcPackages.add({ dir: await packageWith(wrap(STEP.replace('run', 'run {v}'))) })
    ).id;
  });

  it.each(ADAPTERS)('adapter.xml: %s is refused and nothing is stored', async (_name, xml, error) => {
    const before = await hubSnapshot(mirror.hub);
    expect(await rejectionOf(mirror.hub.calcPackages.add({ dir: await packageWith(xml) }))).toBe(error);
    expect(await hubSnapshot(mirror.hub)).toEqual(before);
  });

  it.each(PARAS)('para file: %s is refused at dispatch and no job is made', async (name, xml, error) => {
    const { project } = await mirror.hub.projects.create(`hostile-${PARAS.findIndex((p) => p[0] === name)}`, [
      { name: 'para.xml', data: new TextEncoder().encode(xml) },
    ]);
    const before = await hubSnapshot(mirror.hub);
    expect(
      await rejectionOf(mirror.hub.dispatch({ projectId: project.id, packageId, paraName: 'para.xml' })),
    ).toBe(error);
    expect(await hubSnapshot(mirror.hub)).toEqual(before);
    expect(await mirror.hub.queue.size()).toBe(0);
  });
});

/** A calc package directory with this adapter.xml and an empty template/. */
async function packageWith(adapter: string): Promise<string> {
  const dir = await scratchDir('mirror-hostile-xml-');
  await mkdir(join(dir, 'template'));
  await writeFile(join(dir, 'adapter.xml'), adapter);
  return dir;
}
